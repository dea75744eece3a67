// Replicas that answer as one process: a wrapper of the app's fetch. A pure read is answered at
// once from the replica's own memory. A write is appended to the fleet's log, applied by every
// replica in log order (this replica runs the real request at its place in the order; the others
// run a copy, with waits skipped and nothing journaled), and answered once every live replica
// has applied it: the next request, to any replica, sees it. While a write is applied the clock
// of state reads the instant the write was received, so every replica computes the same bytes.
import { randomUUID } from 'node:crypto'
import { createAcks } from './acks.js'
import { createRedisLog, StoreUnavailable, type LogEntry, type RedisLog } from './redis-log.js'
import { requestOf, type Op } from './op.js'
import { ConfigError } from '../settings/model.js'
import { createSharedJournal, type SharedJournal } from './shared-journal.js'
import { createDeliveryGate, type DeliveryGate, type GateOp } from './delivery-gate.js'
import type { Fetch, FleetEnv, ReplicaApp } from './replica-app.js'
import { createWrite, type Own } from './write.js'

export interface ReplicatorOptions {
  url: string
  /** Real wall time, ms. */
  wallClock: () => number
  log?: (line: string) => void
}

/**
 * The fleet side of one replica on a Valkey/Redis store.
 * @example
 * const fleet = createReplicator({ url: 'redis://127.0.0.1:6379', wallClock: Date.now })
 * const clock = fleet.clock(realClock) // give it to state
 * app.fetch = fleet.serve({ fetch: app.fetch, classify, … })
 * await fleet.ready()
 */
export function createReplicator({ url, wallClock, log }: ReplicatorOptions) {
  const replica = randomUUID()
  let app: ReplicaApp | undefined
  let journal: SharedJournal | undefined
  let pinned: number | undefined
  let logTime = 0
  let applied = '0-0'
  /** The log id of the last global reset this replica applied (made): its journal lines are of that reset. */
  let epoch = ''
  /** The log id of the write being applied. */
  let applying = ''
  let started: Promise<void> | undefined
  let isReady = false
  // The app's real clock (the one state reads between writes): a write is stamped with it, so a
  // replica never compares an instant of one clock with a reading of another.
  let stateNow = wallClock
  let closing: Promise<void> | undefined
  const own = new Map<string, Own>()
  const acks = createAcks({ log })

  const redis: RedisLog = createRedisLog({
    url,
    replica,
    wallClock,
    log,
    onEntries: applyEntries,
    onAck: acks.received,
    onSync(nonce) {
      void (journal?.flush() ?? Promise.resolve()).then(() => redis.ack(`sync:${nonce}`))
    },
  })

  async function applyEntries(entries: LogEntry[]): Promise<void> {
    for (const entry of entries) {
      let op: Op | GateOp
      try {
        op = JSON.parse(entry.json) as Op | GateOp
      } catch {
        continue
      }
      applying = entry.id
      app!.beforeApply(entry.k0)
      pinned = op.at
      logTime = Math.max(logTime, op.at)
      try {
        if ('kind' in op) {
          // A delivery's wait is over or its attempt answered: the delivery moves on here, now.
          gate?.apply(op)
          await settledSoon(Promise.resolve())
          gate?.applied()
        } else {
          const mine = op.origin === replica ? own.get(op.nonce) : undefined
          if (mine) own.delete(op.nonce)
          await settledSoon(mine ? mine.run() : replay(op))
        }
      } finally {
        pinned = undefined
      }
      applied = entry.id
    }
    void redis.ack(applied)
  }

  async function replay(op: Op): Promise<void> {
    try {
      const env: FleetEnv = { fleetReplay: true }
      const res = await app!.fetch(requestOf(op, app!.credentials), env)
      await res.body?.cancel().catch(() => {})
    } catch {
      // An emulated network fault, or a refusal: the state change (if any) is made either way.
    }
  }

  let gate: DeliveryGate | undefined

  /** Every live replica stages what it answered; then the staged lines are sealed, in the order answered. */
  async function barrier(): Promise<void> {
    await acks.barrier(await redis.live(), redis.sync, () => journal?.flush() ?? Promise.resolve())
    await journal?.seal()
  }

  async function journalRead(request: Request, env: object | undefined): Promise<Response> {
    const a = app!
    try {
      await barrier()
      a.mirror(await journal!.read(a.journalWindow(request)))
    } catch (error) {
      if (error instanceof StoreUnavailable)
        return a.unavailable(request, `${error.message}, so the fleet's journal cannot be read; try again once it is back.`)
      throw error
    }
    return a.fetch(request, env)
  }

  function ready(): Promise<void> {
    started ??= (async () => {
      await redis.connect().catch((error: Error) => {
        const fix = /password/.test(error.message)
          ? 'fix the user and password in --state (TALKOVER_MOCK_STATE)'
          : 'start it, or point --state (TALKOVER_MOCK_STATE) at a running Valkey/Redis, like redis://127.0.0.1:6379'
        throw new StoreUnavailable(`${error.message}: ${fix}.`)
      })
      // Replicas with other settings would answer differently: refused while such replicas run.
      const others = await redis.joinSettings(app!.fingerprint)
      if (others > 0)
        throw new ConfigError(
          `This replica's settings differ from those of the ${others} replica(s) running on ${redis.shown}: every replica must run with the same seed, now, fixtures, token, admin token, faults and other settings (only --port, --host, --allowed-hosts, --quiet and --cache-mb may differ). Start it with theirs, or stop them first (a Kubernetes Deployment: strategy Recreate).`,
          { valueFree: true },
        )
      const origin = await redis.origin(stateNow())
      pinned = origin
      logTime = origin
      app!.rebase()
      pinned = undefined
      app!.adoptRunId(await redis.runId(app!.runId))
      const history = await redis.history()
      await applyEntries(history)
      await redis.start(applied)
      gate?.start()
      isReady = true
    })()
    return started
  }

  return {
    replica,
    /** The clock of state: a write's instant while it is applied, otherwise `real` (whose readings also stamp this replica's writes). */
    clock: (real: () => number) => {
      stateNow = real
      return () => pinned ?? real()
    },
    /** The clock of session expiry: the last write's instant, so every replica forgets a session at the same write. */
    logClock: () => pinned ?? logTime,
    /** Wraps the app's fetch. */
    serve(replicaApp: ReplicaApp): Fetch {
      app = replicaApp
      journal = createSharedJournal({
        log: redis,
        bounds: replicaApp.journalBounds,
        show: replicaApp.show,
        replica,
        epoch: () => epoch,
        makeReset: redis.reset,
      })
      const ownWrite = createWrite({ app: replicaApp, redis, acks, replica, own, now: () => stateNow(), barrier })
      const handle = (request: Request, env?: object): Response | Promise<Response> => {
        const kind = replicaApp.classify(request)
        if (kind === 'read') return replicaApp.fetch(request, env)
        if (!redis.up() && kind === 'write')
          return replicaApp.unavailable(
            request,
            `The state store ${redis.shown} cannot be reached, so this write was not made anywhere; try again once it is back.`,
          )
        return kind === 'journal' ? journalRead(request, env) : ownWrite(request, env)
      }
      return (request, env) => (isReady ? handle(request, env) : ready().then(() => handle(request, env)))
    },
    /** Journals an entry in the fleet's journal (instead of this replica's); `counted` takes k from the fleet. */
    record: (entry: object, counted: boolean) => journal?.record(entry, counted),
    /** Forgets what this replica answered and has not staged yet: all of it (a global reset) or one session's. */
    forget: (session?: string) => {
      // A global reset made here: lines answered from now on are of it (the store refuses older ones).
      if (session === undefined) epoch = applying
      journal?.forget(session)
    },
    /** Connects, starts the clocks at the fleet's origin, applies every write so far, then follows the log. */
    ready,
    /** Live delivery's waits and sends, through the lease and the log (delivery-gate.ts). */
    deliveryIo<Req extends { signal?: AbortSignal }, Res>(io: {
      sleep: (ms: number, signal?: AbortSignal) => Promise<void>
      send: (req: Req) => Promise<Res>
    }) {
      const made = createDeliveryGate<Req, Res>({
        redis,
        replica,
        wallClock,
        log,
        sleep: io.sleep,
        send: io.send,
        commit: async (op) => {
          await redis.commit(JSON.stringify({ ...op, origin: replica, nonce: randomUUID(), at: stateNow() }), false)
        },
      })
      gate = made as unknown as DeliveryGate
      return { sleep: made.sleep, send: made.send }
    },
    /** False while another replica's attempt outcome is applied: that replica journals and logs it. */
    owns: () => gate?.owns() ?? true,
    /** The fleet's run id (live delivery ids): the first replica's. */
    runId: (mine: string) => redis.runId(mine),
    /** True once caught up and while the store answers. */
    up: () => isReady && redis.up(),
    close: () => {
      gate?.stop()
      journal?.stop()
      // What this replica answered stays in the fleet's journal (a store that is away loses it).
      const staged = redis.up() && journal ? Promise.race([journal.flush(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]) : Promise.resolve()
      closing ??= staged.then(() => redis.close())
      return closing
    },
    shown: redis.shown,
  }
}

export type Replicator = ReturnType<typeof createReplicator>

/**
 * Resolves when `done` does or once the microtasks it started have run, whichever comes first: a
 * write's state change is made synchronously or in microtasks (its body is already read), while
 * its answer may wait on later writes of the log (the first attempt of a live delivery).
 */
function settledSoon(done: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    setImmediate(resolve)
    done.then(
      () => resolve(),
      () => resolve(),
    )
  })
}
