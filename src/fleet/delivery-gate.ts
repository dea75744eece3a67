// Live delivery across replicas: every replica runs every delivery's schedule (the writes that
// start them are applied everywhere), but only the holder of the delivery lease sends. Each wait
// ends, and each attempt's outcome is known, through the log: the lease holder appends a `tick`
// when a wait is over and a `result` when the receiver answered, and every replica (the holder
// too) moves on when it applies them, so all record the same rows at the same place in the
// order. When the holder dies, the lease expires and the next holder sends what is due: an
// attempt the dead one had sent but not logged is sent again, with the same webhook-id.
import type { RedisLog } from './redis-log.js'

/** How long the lease lasts unless renewed, and how often it is renewed (or sought), ms. */
export const LEASE_MS = 3000
export const LEASE_RENEW_MS = 1000

/** An op of the gate in the log: a wait that is over, or an attempt's outcome. */
export interface GateOp {
  kind: 'tick' | 'result'
  origin: string
  nonce: string
  at: number
  key: string
  result?: unknown
}

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

interface Wait {
  due: number
  done: () => void
}

interface InFlight<Req, Res> {
  req: Req
  done: (result: Res) => void
  sending: boolean
}

/** Bounds the outcomes that arrive before their waiter (a replica catching up): never a leak. */
const EARLY_MAX = 10_000

/**
 * The gate of one replica.
 * @example
 * const gate = createDeliveryGate({ redis, replica, wallClock, commit, sleep: timerSleep, send })
 * deliveries use gate.sleep and gate.send; the replicator hands it every GateOp it applies
 */
export function createDeliveryGate<Req extends { signal?: AbortSignal }, Res>(options: {
  redis: RedisLog
  replica: string
  wallClock: () => number
  /** Appends an op to the log. */
  commit: (op: Omit<GateOp, 'origin' | 'nonce' | 'at'>) => Promise<void>
  sleep: Sleep
  send: (req: Req) => Promise<Res>
  log?: (line: string) => void
}) {
  const { redis, wallClock } = options
  const waits = new Map<string, Wait>()
  const inFlight = new Map<string, InFlight<Req, Res>>()
  const earlyTicks = new Set<string>()
  const earlyResults = new Map<string, Res>()
  let leader = false
  let timer: ReturnType<typeof setInterval> | undefined
  let mine = false
  let stopped = false

  const bounded = () => {
    if (earlyTicks.size > EARLY_MAX) earlyTicks.delete(earlyTicks.values().next().value!)
    if (earlyResults.size > EARLY_MAX) earlyResults.delete(earlyResults.keys().next().value!)
  }

  /**
   * Appends an op, again and again while the store is away (every 200 ms), as long as this
   * replica holds the lease and the op is still needed: a lost tick would end a schedule.
   */
  async function commitWhile(op: Omit<GateOp, 'origin' | 'nonce' | 'at'>, needed: () => boolean): Promise<void> {
    while (!stopped && leader && needed()) {
      try {
        return await options.commit(op)
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
  }

  const tick = (key: string) => {
    if (leader && waits.has(key)) void commitWhile({ kind: 'tick', key }, () => waits.has(key))
  }

  async function sendNow(key: string, flight: InFlight<Req, Res>): Promise<void> {
    flight.sending = true
    const result = await options.send(flight.req)
    // Cut short because this replica is closing: the next holder sends it; nothing is logged.
    if (flight.req.signal?.aborted) return flight.done(result)
    // The receiver answered: its answer is logged, never the attempt sent again by this replica.
    await commitWhile({ kind: 'result', key, result }, () => inFlight.get(key) === flight)
    // Lost the lease before the outcome was logged: the next holder sends the attempt again.
    if (inFlight.get(key) === flight) flight.sending = false
  }

  /** Sends what is due once this replica holds the lease. */
  function takeOver(): void {
    const now = wallClock()
    for (const [key, wait] of waits) if (wait.due <= now) tick(key)
    for (const [key, flight] of inFlight) if (!flight.sending) void sendNow(key, flight)
  }

  async function renew(): Promise<void> {
    const held = redis.up() && (await redis.lease(LEASE_MS).catch(() => false))
    const gained = held && !leader
    leader = held
    if (gained) {
      options.log?.('talkover-mock: this replica now holds the delivery lease and sends live deliveries')
      takeOver()
    }
  }

  return {
    /** A delivery's wait: over when its tick is applied (the lease holder appends it when `ms` have passed). */
    sleep(ms: number, signal?: AbortSignal, key?: string): Promise<void> {
      // A wait no delivery names is this replica's own.
      if (key === undefined) return options.sleep(ms, signal)
      return new Promise((resolve) => {
        if (earlyTicks.delete(key) || signal?.aborted) return resolve()
        const wait: Wait = { due: wallClock() + ms, done: resolve }
        waits.set(key, wait)
        signal?.addEventListener(
          'abort',
          () => {
            waits.delete(key)
            resolve()
          },
          { once: true },
        )
        void options.sleep(ms, signal).then(() => tick(key))
      })
    },
    /** An attempt: sent by the lease holder; its outcome, for every replica, is the one in the log. */
    send(req: Req, key?: string): Promise<Res> {
      if (key === undefined) return options.send(req)
      return new Promise((resolve) => {
        const early = earlyResults.get(key)
        if (early !== undefined) {
          earlyResults.delete(key)
          return resolve(early)
        }
        const flight: InFlight<Req, Res> = { req, done: resolve, sending: false }
        inFlight.set(key, flight)
        if (leader) void sendNow(key, flight)
      })
    },
    /** Applies a GateOp of the log. */
    apply(op: GateOp): void {
      mine = op.origin === options.replica
      if (op.kind === 'tick') {
        const wait = waits.get(op.key)
        if (wait) {
          waits.delete(op.key)
          wait.done()
        } else earlyTicks.add(op.key)
      } else {
        const flight = inFlight.get(op.key)
        if (flight) {
          inFlight.delete(op.key)
          flight.done(op.result as Res)
        } else earlyResults.set(op.key, op.result as Res)
      }
      bounded()
    },
    /** Ends what apply() began: `owns()` is false again. */
    applied(): void {
      mine = false
    },
    /** True while the op being applied was appended by this replica: it journals and logs the attempt. */
    owns: () => mine,
    /** True while this replica holds the lease. */
    leads: () => leader,
    start(): void {
      void renew()
      timer = setInterval(() => void renew(), LEASE_RENEW_MS)
      timer.unref()
    },
    stop(): void {
      if (timer) clearInterval(timer)
      stopped = true
      leader = false
    },
  }
}

export type DeliveryGate = ReturnType<typeof createDeliveryGate>
