// Log rows of live deliveries (--deliver live) in a session's retry book, beside manual retries:
// newest first on the webhook's list, each attempt its own row, pending until its receiver
// answers. Ids are drawn from the seed, the session and how many deliveries it started, so the
// same steps give the same ids. Pure: times come in as arguments.
import { hashKey, mix } from '../encode/random.js'
import { uuid } from '../world/ids.js'
import type { LogRecord } from '../world/model.js'
import { addRetry, type RetryBook, type RetryEntry } from './retries.js'

const idOf = (key: number) => uuid(key, mix(key, 1), mix(key, 2), mix(key, 3))

/**
 * The key of a new live delivery: the id of its first row, which later attempts and manual
 * retries share as their delivery key (and the `webhook-id` header derives from).
 * @example
 * newDeliveryKey(book, { seed: 1, owner: 'agent', ownerId: 'a', webhookId: 'w', session: '' }) //=> '4c0f…'
 */
export function newDeliveryKey(book: RetryBook, p: { seed: number; owner: string; ownerId: string; webhookId: string; session: string }): string {
  return idOf(hashKey(p.seed, 'live', p.owner, p.ownerId, p.webhookId, p.session, String(book.liveSerial++)))
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
  const id = a.attempt === 1 ? a.deliveryKey : idOf(hashKey(a.seed, 'live-attempt', a.deliveryKey, String(a.attempt), a.session))
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
