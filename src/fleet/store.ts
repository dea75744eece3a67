// Where state lives, as createApp sees it: one interface, two implementations. `memory` is this
// process alone (today's behaviour and speed: every method is the identity); a Valkey/Redis store
// makes replicas answer as one (replicate.ts). Nothing above this file knows which is in use.
import type { ReplicaApp } from './replica-app.js'
import { createReplicator } from './replicate.js'
import { storeSetting } from './store-url.js'

type Fetch = (request: Request, env?: object) => Response | Promise<Response>

/** How live delivery waits and sends. */
export interface DeliveryIo<Req, Res> {
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  send: (req: Req) => Promise<Res>
}

/** The same, each wait and attempt named by a key unique in the fleet (its webhook-id and attempt). */
export interface KeyedDeliveryIo<Req, Res> {
  sleep: (ms: number, signal?: AbortSignal, key?: string) => Promise<void>
  send: (req: Req, key?: string) => Promise<Res>
}

export interface StateStore {
  readonly kind: 'memory' | 'redis'
  /** The clock state reads (journal times, retry clocks, session clocks): a write's instant while it is applied. */
  clock(real: () => number): () => number
  /** The clock of session expiry: with replicas it moves with the log, so all forget a session at the same write. */
  sessionClock(real: () => number): () => number
  /** Wraps the app's fetch (replicas: writes go through the fleet's log). */
  serve(app: ReplicaApp): Fetch
  /** Journals an entry in the fleet's journal; undefined in memory (the app's own journal keeps it). */
  readonly share?: (entry: object, counted: boolean) => void
  /** Forgets the entries this replica has not shared yet: all (a global reset) or one session's. */
  readonly forget?: (session?: string) => void
  /** Resolves once the store can serve (replicas: connected and caught up); rejects with StoreUnavailable. */
  ready(): Promise<void>
  /** True while the store can take writes. */
  up(): boolean
  /** Live delivery's waits and sends: as given in memory; with replicas, only the lease holder sends and every replica moves on through the log. */
  deliveryIo<Req extends { signal?: AbortSignal }, Res>(io: DeliveryIo<Req, Res>): KeyedDeliveryIo<Req, Res>
  /** False while another replica's attempt outcome is applied: that replica journals and logs it. */
  owns(): boolean
  close(): Promise<void>
}

/**
 * The store a --state value names.
 * @example
 * createStore('memory').kind //=> 'memory'
 */
export function createStore(state: string, { wallClock, log }: { wallClock: () => number; log?: (line: string) => void }): StateStore {
  const setting = storeSetting(state)
  if (setting.kind === 'memory') return memoryStore()
  const fleet = createReplicator({ url: setting.url, wallClock, log })
  return {
    kind: 'redis',
    clock: fleet.clock,
    sessionClock: () => fleet.logClock,
    serve: (app) => fleet.serve(app),
    share: fleet.record,
    forget: fleet.forget,
    ready: fleet.ready,
    up: fleet.up,
    deliveryIo: (io) => fleet.deliveryIo(io),
    owns: fleet.owns,
    close: fleet.close,
  }
}

function memoryStore(): StateStore {
  return {
    kind: 'memory',
    clock: (real) => real,
    sessionClock: (real) => real,
    serve: (app) => app.fetch,
    ready: () => Promise.resolve(),
    up: () => true,
    deliveryIo: (io) => ({ sleep: (ms, signal) => io.sleep(ms, signal), send: (req) => io.send(req) }),
    owns: () => true,
    close: () => Promise.resolve(),
  }
}
