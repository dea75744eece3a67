// A write through the fleet's log: checked and read where it arrives (a body over the cap is
// refused here, an admin change without the admin token answered here: neither enters the log),
// appended to the log (after a barrier while no fault is configured, so its k counts every request
// answered before it), run for real when this replica applies it at its place in the log, and
// answered once every live replica has applied it. A reset made also resets the store's part.
import { randomUUID } from 'node:crypto'
import { declaredTooLarge, readCapped } from '../http/body-limit.js'
import { routedPath } from '../http/routed-path.js'
import type { Acks } from './acks.js'
import { opOf, type Op } from './op.js'
import { StoreUnavailable, type RedisLog } from './redis-log.js'
import type { FleetEnv, ReplicaApp } from './replica-app.js'

/** How long a write waits for its own replica to apply it, ms. */
export const APPLY_TIMEOUT_MS = 10_000

/** A write of this replica waiting for its place in the log: the apply loop runs it there. */
export interface Own {
  run: () => Promise<void>
}

export interface WriteOptions {
  app: ReplicaApp
  redis: RedisLog
  acks: Acks
  replica: string
  /** This replica's writes waiting for their place, by nonce (the apply loop takes them). */
  own: Map<string, Own>
  /** The real clock of state: a write is stamped with it. */
  now: () => number
  /** Every live replica stages what it answered, then the staged lines are sealed. */
  barrier: () => Promise<void>
}

/**
 * The write path of one replica.
 * @example
 * const write = createWrite({ app, redis, acks, replica, own, now, barrier })
 * const res = await write(request)
 */
export function createWrite({ app, redis, acks, replica, own, now, barrier }: WriteOptions) {
  return async function write(request: Request, env: object | undefined): Promise<Response> {
    const a = app
    const method = request.method
    // A body over the mock's cap is refused here (413), as the app would, before anything is read
    // past the cap or sent to the store: it changes nothing anywhere.
    if (declaredTooLarge(request.headers.get('content-length') ?? undefined)) return a.fetch(request, env)
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readCapped(request.body)
    if (body === 'too large') return a.tooLarge(request)
    const nonce = randomUUID()
    const op = opOf(request, body, { origin: replica, nonce, at: now() }, a.credentials)
    // An admin change without the admin token is refused (401) by every replica alike: it changes
    // nothing, so it is answered here and never enters the log.
    if (routedPath(op.url).startsWith('/__mock/') && a.credentials.adminToken !== undefined && op.auth !== 'valid') return a.fetch(request, env)
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
      // Everyone stages what it answered first, and the staged lines are sealed: a reset must not be
      // followed by lines answered before it, and a write's k must count every request answered
      // before it (replicas count pure reads in the store only when they stage them).
      if (session !== undefined || a.quiet()) await barrier()
      committed = await redis.commit(JSON.stringify(op), countsK(op), session === null)
    } catch (error) {
      own.delete(nonce)
      if (error instanceof StoreUnavailable)
        return a.unavailable(
          request,
          `${error.message} while this write was sent: it may or may not have been made; check with a GET once the store is back before sending it again.`,
        )
      throw error
    }
    void acks.applied(committed.id, committed.live).then(ackedAll)
    const timeout = setTimeout(
      () => answered(Promise.resolve(a.unavailable(request, `The write was taken by ${redis.shown} but not applied within ${APPLY_TIMEOUT_MS} ms.`))),
      APPLY_TIMEOUT_MS,
    )
    const res = await await response
    clearTimeout(timeout)
    await everyone
    // A reset made (not one refused: 401, 422…) also resets what the store keeps for it; the log
    // before a global reset goes once every live replica has applied the reset (none misses a write).
    if (session !== undefined && res.status === 200) await again(() => (session === null ? redis.reset(committed.id) : redis.forgetJournal(session)))
    return res
  }
}

/**
 * A write counts toward the fleet's k when it is an API request (on the routed path) without a
 * session, as decide() counts it; one with a control header the fault layer refuses is never a
 * write (fleet-wiring.ts classifier answers it locally, counted nowhere, as in one process).
 */
function countsK(op: Op): boolean {
  return routedPath(op.url).startsWith('/api/') && !op.headers.some(([name]) => name === 'x-mock-session')
}

/** How often, and how far apart, the store's part of a reset is sent again when the store does not take it. */
const RESET_TRIES = 10
const RESET_RETRY_MS = 200

/** Runs an idempotent store command until it goes through (a blip), RESET_TRIES times at most. */
async function again(run: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < RESET_TRIES; i++) {
    try {
      await run()
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, RESET_RETRY_MS))
    }
  }
}
