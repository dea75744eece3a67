// Folder state/: per-session writes over the pure world (manual retries, created/updated/deleted
// webhooks, the session books that bound them). It may import world/ and encode/ only.
//
// The per-process overlay of manual retries on top of the pure log world. The world never changes;
// this book holds only the rows that retries created, newest first per webhook, bounded in size.
// Pure: time comes in as arguments, nothing here reads a clock.
import { createSessionBooks, type BudgetedBook, type SessionRegistry } from './sessions.js'
import { StateFull, stringBytes, type StateBudget } from './budget.js'
import { pageKey } from '../encode/page-cache.js'
import type { LogRecord, WebhookProfile } from '../world/model.js'

/** One row created by a manual retry. */
export interface RetryEntry {
  /** The row as queued (`pending`). */
  queued: LogRecord
  /** The row once settled (`success` or `failed`), shown from `settleAt` on. */
  settled: LogRecord
  /**
   * Retry-clock milliseconds at which the row settles. A live attempt (real delivery) stays
   * pending (Infinity) until its receiver answers, then settles at once (see settleLive).
   */
  settleAt: number
  /** Id of the row the user asked to retry. */
  originalId: string
  /** Id of the delivery's generated or pinned row, so attempts of all its retries are consecutive (unique within its webhook). */
  deliveryKey: string
}

/** All retries of one session, keyed by webhook (see webhookKey). */
export interface RetryBook extends BudgetedBook {
  byWebhook: Map<string, RetryEntry[]>
  byId: Map<string, { webhookKey: string; entry: RetryEntry }>
  /** Last attempt per delivery, keyed by attemptKey(webhook key, delivery): ids repeat across webhooks and seeds. */
  lastAttempt: Map<string, number>
  count: number
  /** Bumps on every change: part of any cache key of a page that shows retries. */
  version: number
  /** Live deliveries started in this book so far: what the next one's generated payload is drawn from. */
  liveSerial: number
}

/** Most retry rows one session keeps; a retry beyond it is refused (StateFull), never an older row dropped. */
export const MAX_RETRIES_PER_SESSION = 10_000

/**
 * An empty book.
 * @example
 * const book = createRetryBook()
 */
export function createRetryBook(): RetryBook {
  const book: RetryBook = {
    byWebhook: new Map(),
    byId: new Map(),
    lastAttempt: new Map(),
    count: 0,
    version: 0,
    liveSerial: 0,
    charge: () => {},
    forget() {
      book.byWebhook.clear()
      book.byId.clear()
      book.lastAttempt.clear()
      book.count = 0
      book.version++
    },
  }
  return book
}

/** What a record costs on the heap, roughly: its strings and the object. */
const recordBytes = (r: LogRecord) =>
  200 + stringBytes(r.id) + stringBytes(r.event) + stringBytes(r.responseBody) + stringBytes(r.responseHeadersJson) + stringBytes(r.error)

/**
 * What a retry row costs, roughly: both forms (the payload text is shared with the original row and
 * counted once), its keys and map entries. The constant is calibrated on the ~3.7 kB per row of the
 * docs webhook that the review measured (issue 13).
 */
export function retryBytes(entry: RetryEntry, key: string): number {
  return (
    2_600 +
    recordBytes(entry.queued) +
    recordBytes(entry.settled) +
    stringBytes(entry.queued.payloadJson) +
    stringBytes(entry.originalId) +
    2 * stringBytes(key)
  )
}

/**
 * The key of one webhook's history in one world (agent and campaign webhooks never share one).
 * Ids are user input and may hold any character, so the parts are length-prefixed, not joined.
 * @example
 * webhookKey(1, { owner: 'agent', agentId: 'a/b', webhookId: 'c' }) !== webhookKey(1, { owner: 'agent', agentId: 'a', webhookId: 'b/c' })
 */
export function webhookKey(seed: number, { owner, agentId, webhookId }: Pick<WebhookProfile, 'owner' | 'agentId' | 'webhookId'>): string {
  return pageKey(seed, owner, agentId, webhookId)
}

/** The retry rows of a webhook, newest first (by created_at; among equals, the one made last first). */
export function retriesOf(book: RetryBook, key: string): readonly RetryEntry[] {
  return book.byWebhook.get(key) ?? []
}

/**
 * Index of the first row of `rows` (newest first) whose created_at is at or before `at` (epoch
 * seconds), by binary search: the rows before it are dated after `at`.
 * @example
 * firstAtOrBefore(retriesOf(book, key), world.at) // rows from here on exist at world.at
 */
export function firstAtOrBefore(rows: readonly RetryEntry[], at: number): number {
  let low = 0
  let high = rows.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (rows[mid].queued.createdAt > at) low = mid + 1
    else high = mid
  }
  return low
}

/** A retry row as it reads at retry-clock time `at` (ms): pending until it settles. */
export function viewRetry(entry: RetryEntry, at: number): LogRecord {
  return at >= entry.settleAt ? entry.settled : entry.queued
}

/** Finds a retry row by its id. */
export function findRetry(book: RetryBook, key: string, logId: string): RetryEntry | undefined {
  const hit = book.byId.get(logId)
  return hit && hit.webhookKey === key ? hit.entry : undefined
}

const attemptKey = (key: string, deliveryKey: string) => pageKey(key, deliveryKey)

/** The attempt number the next retry of a delivery of webhook `key` gets: one past the last attempt seen. */
export function nextAttempt(book: RetryBook, key: string, deliveryKey: string, lastGenerated: number): number {
  return Math.max(lastGenerated, book.lastAttempt.get(attemptKey(key, deliveryKey)) ?? 0) + 1
}

/**
 * Records a retry row in its webhook's list, kept newest first by created_at: a retry made at an
 * earlier instant (X-Mock-Now, a moved anchor) goes below the rows dated after it.
 * @example
 * addRetry(book, key, entry) // a row made at the latest instant so far: the list now starts with it
 */
export function addRetry(book: RetryBook, key: string, entry: RetryEntry): void {
  const counter = attemptKey(key, entry.deliveryKey)
  if (book.count >= MAX_RETRIES_PER_SESSION)
    throw new StateFull(
      `This session holds ${MAX_RETRIES_PER_SESSION} retry rows, the most one session keeps, so this retry was refused and nothing changed: reset it (POST /__mock/reset, with ?session=<id> for a session) or use another X-Mock-Session.`,
    )
  // Charged before the write: a write that does not fit throws StateFull before anything changed.
  book.charge(retryBytes(entry, key) + (book.lastAttempt.has(counter) ? 0 : 150 + stringBytes(counter)))
  const rows = book.byWebhook.get(key) ?? []
  rows.splice(firstAtOrBefore(rows, entry.queued.createdAt), 0, entry)
  book.byWebhook.set(key, rows)
  book.byId.set(entry.queued.id, { webhookKey: key, entry })
  book.lastAttempt.set(counter, entry.queued.attempt)
  book.count++
  book.version++
}

/**
 * Settles a live row with its attempt's outcome, shown from now on.
 * @example
 * settleLive(book, entry, { ...entry.queued, status: 'success', httpStatus: 200, … })
 */
export function settleLive(book: RetryBook, entry: RetryEntry, settled: LogRecord): void {
  entry.settled = settled
  entry.settleAt = -Infinity
  book.version++
}

/** Forgets one row (live rows beyond their global bound); false when it is already gone. */
export function removeRetry(book: RetryBook, key: string, logId: string): boolean {
  const rows = book.byWebhook.get(key)
  const at = rows ? rows.findIndex((e) => e.queued.id === logId) : -1
  if (!rows || at < 0) return false
  rows.splice(at, 1)
  if (rows.length === 0) book.byWebhook.delete(key)
  book.byId.delete(logId)
  book.count--
  book.version++
  return true
}

export interface RetryDeskOptions {
  /** The app's sessions: a session's retries live exactly as long as it does. */
  registry: SessionRegistry
  /** How long a new retry row stays pending (--retry-settle-ms). */
  settleMs: number
  /** The app's one budget of per-session state. */
  budget: StateBudget
}

export type RetryDesk = ReturnType<typeof createRetryDesk>

/**
 * The retry state of one app: a book for requests without X-Mock-Session and a bounded store of
 * books for sessions. The retry clock is the session's clock (clock/clock.ts retryMs()).
 * @example
 * const desk = createRetryDesk({ registry, settleMs: 2000, budget })
 * desk.book('test-1') // that session's retries
 */
export function createRetryDesk({ registry, settleMs, budget }: RetryDeskOptions) {
  const books = createSessionBooks(createRetryBook, registry, budget)
  return {
    settleMs,
    /** The book of a session (or of requests without one). */
    book: (session?: string): RetryBook => books.book(session),
    /** Forgets one session's retries, or all of them. */
    reset(session?: string): void {
      books.reset(session)
    },
  }
}
