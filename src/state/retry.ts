// Manual retries of failed deliveries, as pure functions over the world and a retry book: decide
// whether a row is retriable, build the new row (queued and settled forms), and read a page of a
// webhook's list with its retry rows on top. Time is the retry clock, passed in as `atMs`.
import { findLog, logAt, logsPage, rowCount, rowsAfter } from '../world/logs.js'
import { hashKey, mix, Rng } from '../encode/random.js'
import { drawFailure, failureDuration, successAnswer, successDuration } from '../world/receiver.js'
import { uuid } from '../world/ids.js'
import { recordedPayload } from '../world/recorded-rows.js'
import { addRetry, findRetry, firstAtOrBefore, nextAttempt, retriesOf, viewRetry, webhookKey, type RetryBook, type RetryEntry } from './retries.js'
import { MAX_INSTANT, RETENTION_SECONDS } from '../world/time.js'
import { FAILURES } from '../world/vocab.js'
import type { LogRecord, WebhookProfile, World } from '../world/model.js'

export type RetryOutcome = 'success' | 'failed'

/** The highest attempt number openapi.yaml allows (WebhookLog.attempt maximum): a delivery at it cannot be retried again. */
export const MAX_ATTEMPT = 1000

export interface RetryRequest {
  world: World
  /** The profile the webhook's history was generated from. */
  profile: WebhookProfile
  /**
   * The webhook as configured now (run-time updates applied); default `profile`. It decides
   * whether the retry is allowed (`enabled`) and how the redelivery goes (timeout, receiver),
   * as the docs say a redelivery uses the current configuration.
   */
  current?: WebhookProfile
  book: RetryBook
  logId: string
  /** The session asking (part of the new row's id, so sessions never share ids). */
  session: string
  /**
   * Retry-clock reading, epoch milliseconds: when the new row settles (`atMs + settleMs`). The row
   * itself is stamped with the instant served, world.at, so its bytes never depend on real time.
   */
  atMs: number
  /** How long the new row stays `pending`. */
  settleMs: number
  /** Forces the outcome (X-Mock-Retry-Outcome header); else the fixture's, else the seed's. */
  outcome?: RetryOutcome
  /** A real redelivery (--deliver live): the row stays pending until the receiver answers. */
  live?: boolean
}

/**
 * Queues a retry of `logId`, or says why not. The original row is never changed.
 * @example
 * retryLog({ world, profile, book, logId: 'log-uuid-2', session: '', atMs, settleMs: 2000 })
 * //=> { entry: { queued: { status: 'pending', attempt: 4, … }, … } }
 */
export function retryLog(req: RetryRequest): { entry: RetryEntry } | 'logNotFound' | 'logNotRetriable' {
  const { world, profile, book, logId, atMs } = req
  const current = req.current ?? profile
  const key = webhookKey(world.seed, profile)
  const nowSeconds = world.at
  const found = findRetry(book, key, logId)
  // A retry row dated after the instant served is not in the list yet: not found, like any unknown id.
  const retry = found && found.queued.createdAt <= world.at ? found : undefined
  const original = retry ? viewRetry(retry, atMs) : findLog(world, profile, logId)?.record
  if (!original) return 'logNotFound'

  const tooOld = original.createdAt < nowSeconds - RETENTION_SECONDS
  if (original.status !== 'failed' || tooOld || !current.enabled) return 'logNotRetriable'

  const deliveryKey = retry ? retry.deliveryKey : original.id
  const attempt = nextAttempt(book, key, deliveryKey, original.attempt)
  if (attempt > MAX_ATTEMPT) return 'logNotRetriable'
  const rowKey = hashKey(world.seed, 'retry', profile.agentId, profile.webhookId, deliveryKey, String(attempt), req.session)
  const queued: LogRecord = {
    ...blank(original),
    id: uuid(rowKey, mix(rowKey, 1), mix(rowKey, 2), mix(rowKey, 3)),
    attempt,
    status: 'pending',
    createdAt: nowSeconds,
  }
  let entry: RetryEntry
  if (req.live) entry = { queued, settled: queued, settleAt: Infinity, originalId: logId, deliveryKey }
  else {
    const settleAt = atMs + req.settleMs
    const outcome = req.outcome ?? current.retryOutcome ?? (new Rng(mix(rowKey, 4)).chance(current.failureRate) ? 'failed' : 'success')
    entry = { queued, settled: settle(current, queued, outcome, req.settleMs, rowKey), settleAt, originalId: logId, deliveryKey }
  }
  addRetry(book, key, entry)
  return { entry }
}

/** The row without any delivery fields (nor a recorded row's text): what a queued attempt shows. */
function blank(r: LogRecord): LogRecord {
  const payloadJson = r.raw !== undefined ? recordedPayload(r.raw) : r.payloadJson
  return {
    ...r,
    raw: undefined,
    payloadJson,
    httpStatus: undefined,
    responseBody: undefined,
    responseHeadersJson: undefined,
    durationMs: undefined,
    error: undefined,
    deliveredAt: undefined,
  }
}

/**
 * The queued row once its delivery finished, drawn from the same receiver model as the history.
 * It was delivered the settle delay (whole seconds, rounded up) after it was queued, whenever the
 * list is read: the bytes depend on the instant of the retry, never on real time.
 */
function settle(profile: WebhookProfile, queued: LogRecord, outcome: RetryOutcome, settleMs: number, rowKey: number): LogRecord {
  const rng = new Rng(mix(rowKey, 5))
  // Never past the last instant a clock can reach (four-digit years).
  const doneAt = Math.min(MAX_INSTANT, queued.createdAt + Math.ceil(settleMs / 1000))
  if (outcome === 'success') {
    const answer = successAnswer(profile, rng, doneAt)
    return {
      ...queued,
      status: 'success',
      httpStatus: answer.httpStatus,
      responseBody: answer.body,
      responseHeadersJson: answer.headersJson,
      durationMs: successDuration(profile, rng),
      deliveredAt: doneAt,
    }
  }
  const kind = drawFailure(profile, rng, -1)
  return { ...queued, status: 'failed', httpStatus: FAILURES[kind].http, error: profile.errorTexts[kind], durationMs: failureDuration(profile, kind, rng) }
}

/** The retry rows of a webhook (newest first) and the index of the first one that exists at world.at: rows dated after it are not shown. */
function visibleRetries(world: World, profile: WebhookProfile, book: RetryBook): { rows: readonly RetryEntry[]; first: number; count: number } {
  const rows = retriesOf(book, webhookKey(world.seed, profile))
  const first = rows.length === 0 ? 0 : firstAtOrBefore(rows, world.at)
  return { rows, first, count: rows.length - first }
}

/**
 * How many history rows the list holds at world.at dated after instant `x`. A retry dated before
 * the anchor (made before `PATCH /__mock/config {"now":…}` moved it on) also sits below the
 * anchor's rows newer than it: found by binary search, the list being newest first.
 */
function rowsNewer(world: World, profile: WebhookProfile, x: number): number {
  if (x >= world.now) return rowsAfter(world, profile, x)
  let low = rowsAfter(world, profile, world.now)
  let high = rowCount(world, profile)
  while (low < high) {
    const mid = (low + high) >>> 1
    if (logAt(world, profile, mid).createdAt > x) low = mid + 1
    else high = mid
  }
  return low
}

/** How many rows the webhook's list has at world.at with its retry rows. */
export function totalWithRetries(world: World, profile: WebhookProfile, book: RetryBook): number {
  return rowCount(world, profile) + visibleRetries(world, profile, book).count
}

/**
 * `count` rows from `offset` of the list as it reads at world.at and retry clock `atMs`: retry rows
 * dated at or before world.at (newest first) merged into the history by created_at, above every row
 * not newer than them. At the anchor that is on top of the whole history. Where the page starts
 * among the retry rows is found by binary search, so a page costs the same whatever the history.
 * @example
 * pageWithRetries(world, profile, book, atMs, 0, 25) // page 1, a fresh retry on top
 */
export function pageWithRetries(world: World, profile: WebhookProfile, book: RetryBook, atMs: number, offset: number, count: number): LogRecord[] {
  const { rows: all, first, count: shown } = visibleRetries(world, profile, book)
  if (shown === 0) return logsPage(world, profile, offset, count)
  // Where shown retry row k lands: after the k newer ones and the rows made since the anchor after
  // it. Retries are sorted newest first, so this rises strictly with k.
  const at = (k: number) => k + rowsNewer(world, profile, all[first + k].queued.createdAt)
  const end = Math.min(offset + count, rowCount(world, profile) + shown)
  let k = 0
  let high = shown
  while (k < high) {
    const mid = (k + high) >>> 1
    if (at(mid) < offset) k = mid + 1
    else high = mid
  }
  const history = logsPage(world, profile, Math.max(0, offset - k), end - offset)
  const rows: LogRecord[] = []
  let h = 0
  let next = k < shown ? at(k) : -1
  for (let i = Math.max(0, offset); i < end; i++) {
    if (i === next) {
      rows.push(viewRetry(all[first + k++], atMs))
      next = k < shown ? at(k) : -1
    } else rows.push(history[h++])
  }
  return rows
}
