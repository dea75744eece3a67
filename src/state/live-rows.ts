// Log rows of live deliveries (--deliver live) in a session's retry book, beside manual retries:
// newest first on the webhook's list, each attempt its own row, pending until its receiver
// answers. A delivery's key (its first row's id, and its `webhook-id`) is drawn from the app's run
// id (random per process unless pinned) and how many deliveries the app started, so no two
// deliveries share one across restarts, resets or forgotten sessions, and a pinned run repeats
// the same ids. Pure: times and the run id come in as arguments.
import { hashKey, hashKeyB } from '../encode/random.js'
import { uuid } from '../world/ids.js'
import type { LogRecord } from '../world/model.js'
import { addRetry, type RetryBook, type RetryEntry } from './retries.js'

/** A UUID from four independent 32-bit hashes of the parts: wide enough that ids never collide in practice. */
const wideId = (seed: number, ...parts: string[]) =>
  uuid(hashKey(seed, 'a', ...parts), hashKeyB(seed, 'b', ...parts), hashKey(seed, 'c', ...parts), hashKeyB(seed, 'd', ...parts))

/**
 * The key of a new live delivery: the id of its first row, which later attempts and manual
 * retries share as their delivery key (and the `webhook-id` header derives from). `run` is the
 * app's run id, `serial` how many deliveries the app started before (never reset).
 * @example
 * newDeliveryKey({ seed: 1, owner: 'agent', ownerId: 'a', webhookId: 'w', session: '', run: '9f2c…', serial: 0 }) //=> '4c0f…'
 */
export function newDeliveryKey(p: { seed: number; owner: string; ownerId: string; webhookId: string; session: string; run: string; serial: number }): string {
  return wideId(p.seed, 'live', p.run, String(p.serial), p.owner, p.ownerId, p.webhookId, p.session)
}

/**
 * The key a delivery's `webhook-id` derives from: one per (run, session, owner, webhook, delivery
 * key), so two webhooks whose rows share an id (`log-2`), or rows `log-2` and `log2`, never send
 * the same id, while every attempt and manual retry of one delivery in one run shares it.
 * @example
 * messageKey({ seed: 1, run: '9f2c…', session: '', owner: 'agent', ownerId: 'a', webhookId: 'w', deliveryKey: 'log-2' }) //=> '7d1e…'
 */
export function messageKey(p: { seed: number; run: string; session: string; owner: string; ownerId: string; webhookId: string; deliveryKey: string }): string {
  return wideId(p.seed, 'message', p.run, p.session, p.owner, p.ownerId, p.webhookId, p.deliveryKey)
}

export interface LiveAttempt {
  seed: number
  session: string
  /** The delivery's key (its first row's id). */
  deliveryKey: string
  attempt: number
  webhookId: string
  event: string
  /** The exact body sent. */
  payloadJson: string
  /** Epoch seconds. */
  createdAt: number
}

/**
 * Puts a pending row for one attempt on top of its webhook's list; attempt 1 takes the
 * delivery's key as its id.
 * @example
 * queueLiveAttempt(book, webhookKey(seed, profile), { seed, session: '', deliveryKey, attempt: 1, … })
 */
export function queueLiveAttempt(book: RetryBook, key: string, a: LiveAttempt): RetryEntry {
  const id = a.attempt === 1 ? a.deliveryKey : wideId(a.seed, 'live-attempt', a.deliveryKey, String(a.attempt), a.session)
  const queued: LogRecord = {
    id,
    webhookId: a.webhookId,
    event: a.event,
    attempt: a.attempt,
    status: 'pending',
    createdAt: a.createdAt,
    payloadJson: a.payloadJson,
    httpStatus: undefined,
    responseBody: undefined,
    responseHeadersJson: undefined,
    durationMs: undefined,
    error: undefined,
    deliveredAt: undefined,
  }
  const entry: RetryEntry = { queued, settled: queued, settleAt: Infinity, originalId: id, deliveryKey: a.deliveryKey }
  addRetry(book, key, entry)
  return entry
}
