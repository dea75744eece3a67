// Where state lives, as createApp sees it: one interface, two implementations. `memory` is this
// process alone (today's behaviour and speed: every method is the identity); a Valkey/Redis store
// makes replicas answer as one (replicate.ts). Nothing above this file knows which is in use.
import { createReplicator, type ReplicaApp } from './replicate.js'
import { storeSetting } from './store-url.js'

type Fetch = (request: Request, env?: object) => Response | Promise<Response>

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
  /** Resolves once the store can serve (replicas: connected and caught up); rejects with StoreUnavailable. */
  ready(): Promise<void>
  /** True while the store can take writes. */
  up(): boolean
  /** The run id of live deliveries: the fleet's (the first replica's), or `mine`. */
  runId(mine: string): Promise<string>
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
    ready: fleet.ready,
    up: fleet.up,
    runId: fleet.runId,
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
    runId: (mine) => Promise.resolve(mine),
    close: () => Promise.resolve(),
  }
}
