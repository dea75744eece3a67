// Replicas that answer as one process: a wrapper of the app's fetch. A pure read is answered at
// once from the replica's own memory. A write is appended to the fleet's log, applied by every
// replica in log order (this replica runs the real request at its place in the order; the others
// run a copy, with waits skipped and nothing journaled), and answered once every live replica
// has applied it: the next request, to any replica, sees it. While a write is applied the clock
// of state reads the instant the write was received, so every replica computes the same bytes.
import { randomUUID } from 'node:crypto'
import { compareIds, createRedisLog, StoreUnavailable, type LogEntry, type RedisLog } from './redis-log.js'
import { opOf, requestOf, type Credentials, type Op } from './op.js'
import { declaredTooLarge, readCapped } from '../http/body-limit.js'
import { ConfigError } from '../settings/model.js'
import { createSharedJournal, type SharedEntry, type SharedJournal, type ShownLine } from './shared-journal.js'
import { createDeliveryGate, type DeliveryGate, type GateOp } from './delivery-gate.js'

/** How long a write waits for the other replicas to apply it before answering anyway, ms. */
export const ACK_TIMEOUT_MS = 2000
/** How long a write waits for its own replica to apply it, ms. */
export const APPLY_TIMEOUT_MS = 10_000

/** What a request is to the fleet. */
export type Kind = 'read' | 'write' | 'journal'

/** Fields the fleet puts on a request's env for the layers below (faults/layer.ts, admin/observe.ts). */
export interface FleetEnv {
  /** The request is another replica's write, applied here: skip waits, journal nothing. */
  fleetReplay?: true
  /** Called by the fault layer once the state change is made, before an injected delay. */
  fleetSettled?: () => void
  /** Awaited by the fault layer before it breaks a connection: every replica has the write then. */
  fleetBeforeAnswer?: () => Promise<void>
}

type Fetch = (request: Request, env?: object) => Response | Promise<Response>

/** What the replicator needs of the app. */
export interface ReplicaApp {
  /** The app's own fetch. */
  fetch: Fetch
  classify: (request: Request) => Kind
  /** Before each write is applied: the fleet's count of API requests without a session before it. */
  beforeApply: (k0: number) => void
  /** Starts the clocks afresh (the clock is pinned to the fleet's origin meanwhile). */
  rebase: () => void
  /** Replaces this replica's journal by the fleet's, newest first. */
  mirror: (entries: SharedEntry[]) => void
  /** How many of the newest journal lines a journal read needs (a `limit` without filters), or undefined for all. */
  journalWindow: (request: Request) => number | undefined
  /** The 413 of a body over the mock's cap (http/body-limit.ts). */
  tooLarge: (request: Request) => Response
  /** The answer to a write the store could not take: 503, naming the store. */
  unavailable: (request: Request, message: string) => Response
  /** A session the write resets, if it is a reset of one session (its journal lines go too). */
  resetSession: (op: Op) => string | undefined | null
  credentials: Credentials
  /** A digest of the settings every replica must share (fleet-wiring.ts settingsFingerprint). */
  fingerprint: string
  /** This replica's own run id (live delivery ids); adoptRunId receives the fleet's, the first replica's. */
  runId: string
  adoptRunId: (run: string) => void
  journalCapacity: number
  /** A journal entry as its line in the fleet's journal (redacted as GET /__mock/requests shows it), its answer's body apart. */
  show: (entry: object) => ShownLine
  /** True while no fault is configured: requests are then counted in batches, so a write first has every replica flush. */
  quiet: () => boolean
}

interface Own {
  run: () => Promise<void>
}

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
  let started: Promise<void> | undefined
  let isReady = false
  // The app's real clock (the one state reads between writes): a write is stamped with it, so a
  // replica never compares an instant of one clock with a reading of another.
  let stateNow = wallClock
  let closing: Promise<void> | undefined
  const own = new Map<string, Own>()
  const acked = new Map<string, string>()
  const ackWaiters = new Set<() => void>()
  const syncAcks = new Map<string, Set<string>>()

  const redis: RedisLog = createRedisLog({
    url,
    replica,
    wallClock,
    log,
    onEntries: applyEntries,
    onAck(from, what) {
      if (what.startsWith('sync:')) {
        syncAcks.get(what.slice(5))?.add(from)
      } else if (compareIds(what, acked.get(from) ?? '0-0') > 0) acked.set(from, what)
      for (const wake of ackWaiters) wake()
    },
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

  /** Resolves once every replica in `live` has acknowledged `id` (or after ACK_TIMEOUT_MS). */
  function acks(id: string, live: string[]): Promise<void> {
    const done = () => live.every((r) => compareIds(acked.get(r) ?? '0-0', id) >= 0)
    return waitFor(done, `the write ${id}`, live)
  }

  function waitFor(done: () => boolean, what: string, live: string[]): Promise<void> {
    if (done()) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        ackWaiters.delete(wake)
        log?.(`talkover-mock: ${live.length} replica(s) did not acknowledge ${what} within ${ACK_TIMEOUT_MS} ms; answering anyway`)
        resolve()
      }, ACK_TIMEOUT_MS)
      const wake = () => {
        if (!done()) return
        clearTimeout(timer)
        ackWaiters.delete(wake)
        resolve()
      }
      ackWaiters.add(wake)
    })
  }

  /** Every live replica has written what it journaled so far. */
  async function barrier(): Promise<void> {
    const nonce = randomUUID()
    const seen = new Set<string>()
    syncAcks.set(nonce, seen)
    try {
      const live = await redis.live()
      const all = waitFor(() => live.every((r) => seen.has(r)), 'a journal read', live)
      await redis.sync(nonce)
      await journal?.flush()
      await all
      // Every replica has staged what it answered: into the journal, in the order answered.
      await journal?.seal()
    } finally {
      syncAcks.delete(nonce)
    }
  }

  async function write(request: Request, env: object | undefined): Promise<Response> {
    const a = app!
    const method = request.method
    // A body over the mock's cap is refused here (413), as the app would, before anything is read
    // past the cap or sent to the store: it changes nothing anywhere.
    if (declaredTooLarge(request.headers.get('content-length') ?? undefined)) return a.fetch(request, env)
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readCapped(request.body)
    if (body === 'too large') return a.tooLarge(request)
    const nonce = randomUUID()
    const op = opOf(request, body, { origin: replica, nonce, at: stateNow() }, a.credentials)
    // An admin change without the admin token is refused (401) by every replica alike: it changes
    // nothing, so it is answered here and never enters the log.
    if (op.url.startsWith('/__mock/') && a.credentials.adminToken !== undefined && op.auth !== 'valid') return a.fetch(request, env)
    // The real request, run here at the write's place in the log.
    // An empty body is no body, as in the log (admin/routes.ts takes a bodiless change without a Content-Type).
    const local = new Request(request.url, { method, headers: request.headers, body: body?.byteLength ? body : undefined, signal: request.signal })
    let answered!: (res: Promise<Response>) => void
    const response = new Promise<Promise<Response>>((resolve) => (answered = resolve))
    let ackedAll!: () => void
    const everyone = new Promise<void>((resolve) => (ackedAll = resolve))
    own.set(nonce, {
      run: () =>
        new Promise<void>((settled) => {
          const fleetEnv: FleetEnv = Object.assign(env ?? {}, { fleetSettled: settled, fleetBeforeAnswer: () => everyone })
          let res: Promise<Response>
          try {
            res = Promise.resolve(a.fetch(local, fleetEnv))
          } catch (error) {
            res = Promise.reject(error)
          }
          answered(res)
          res.then(
            () => settled(),
            () => settled(),
          )
        }),
    })
    const session = a.resetSession(op)
    let committed: { id: string; live: string[] }
    try {
      // Everyone flushes first: a reset must not be followed by lines journaled before it, and
      // a write's k must count every request answered before it (they are counted in batches).
      if (session !== undefined || a.quiet()) await barrier()
      committed = await redis.commit(JSON.stringify(op), countsK(op))
    } catch (error) {
      own.delete(nonce)
      if (error instanceof StoreUnavailable)
        return a.unavailable(
          request,
          `${error.message} while this write was sent: it was most likely not made; check with a GET once the store is back before sending it again.`,
        )
      throw error
    }
    void acks(committed.id, committed.live).then(ackedAll)
    const timeout = setTimeout(
      () => answered(Promise.resolve(a.unavailable(request, `The write was taken by ${redis.shown} but not applied within ${APPLY_TIMEOUT_MS} ms.`))),
      APPLY_TIMEOUT_MS,
    )
    const res = await await response
    clearTimeout(timeout)
    await everyone
    // A reset made (not one refused: 401, 422…) also resets what the store keeps for it; the log
    // before a global reset goes once every live replica has applied the reset (none misses a write).
    if (session !== undefined && res.status === 200) {
      if (session === null) await redis.reset(committed.id).catch(() => {})
      else await redis.forgetJournal(session).catch(() => {})
    }
    return res
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
      journal = createSharedJournal({ log: redis, capacity: replicaApp.journalCapacity, show: replicaApp.show, replica })
      const handle = (request: Request, env?: object): Response | Promise<Response> => {
        const kind = replicaApp.classify(request)
        if (kind === 'read') return replicaApp.fetch(request, env)
        if (!redis.up() && kind === 'write')
          return replicaApp.unavailable(
            request,
            `The state store ${redis.shown} cannot be reached, so this write was not made anywhere; try again once it is back.`,
          )
        return kind === 'journal' ? journalRead(request, env) : write(request, env)
      }
      return (request, env) => (isReady ? handle(request, env) : ready().then(() => handle(request, env)))
    },
    /** Journals an entry in the fleet's journal (instead of this replica's); `counted` takes k from the fleet. */
    record: (entry: object, counted: boolean) => journal?.record(entry, counted),
    /** Forgets what this replica answered and has not staged yet: all of it (a global reset) or one session's. */
    forget: (session?: string) => journal?.forget(session),
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

/** A write counts toward the fleet's k when it is an API request without a session, as decide() counts it. */
function countsK(op: Op): boolean {
  return op.url.startsWith('/api/') && !op.headers.some(([name]) => name === 'x-mock-session')
}
