// Live delivery (--deliver live): sends real, signed webhooks to allowed receivers, retries them
// on a schedule and logs each attempt as a row of the webhook's list. This folder owns sending
// (send.ts), signing (signature.ts), the allow-list (allow.ts), the schedule (backoff.ts), the
// rows of an attempt (attempt.ts), its log line and journal entry (report.ts), the admin view
// (recent.ts), the jobs requests start (jobs.ts), its admin routes (routes.ts) and the `trigger`
// command (trigger.ts). It may import the state layer (retry book, live rows), the
// world's pure helpers and http/ (errors, responses); api/ and admin/ call it, never the reverse.
//
// This file is the scheduler: at most MAX_ACTIVE_DELIVERIES deliveries at once (each holds one
// socket or one timer), live rows bounded per session, every wait cancelled on close().
import { messageKey, newDeliveryKey, queueLiveAttempt } from '../state/live-rows.js'
import { removeRetry, settleLive, type RetryBook, type RetryEntry } from '../state/retries.js'
import { redactUrl } from '../http/redact.js'
import { showBody, showHeaders } from '../http/redact-request.js'
import { formatTimestamp, MAX_INSTANT } from '../world/time.js'
import { checkUrl, type AllowedHost } from './allow.js'
import { messageId, refusedRow, requestHeaders, settledRow, type Outcome, type Target } from './attempt.js'
import { honourRetryAfter, waitAfter } from './backoff.js'
import { createRecent, VIEW_BODY_CHARS, type DeliveryView } from './recent.js'
import { reportAttempt, type DeliveryJournalEntry } from './report.js'
import { send as realSend, type SendResult } from './send.js'

/** Deliveries sending or waiting for their next attempt, at most; more are refused (429). */
export const MAX_ACTIVE_DELIVERIES = 1000
/** Payload bytes those deliveries may hold together (32 MiB); a delivery that would pass it is refused (429). */
export const MAX_ACTIVE_DELIVERY_BYTES = 32 * 1024 * 1024
/**
 * Live attempt rows kept per session (per retry book); a session's own oldest are dropped first,
 * as with retention, never another session's. Their bytes count toward the state budget.
 */
export const MAX_LIVE_ROWS = 1000

/** A wait; `key` names it in the whole fleet (replicas end it through their shared log). */
export type Sleep = (ms: number, signal?: AbortSignal, key?: string) => Promise<void>

export interface DeliveryOptions {
  /** Hosts allowed besides loopback (--deliver-allow). */
  allow: readonly AllowedHost[]
  /** Seconds between attempts (--deliver-backoff); default the generated world's schedule. */
  backoff?: readonly number[]
  sleep: Sleep
  /**
   * Part of every new delivery's key and `webhook-id`: random per process (createApp draws it), so
   * a restarted mock never reuses a receiver's idempotency key. Tests pin it.
   */
  runId: string | (() => string)
  /** The instant of a session's clock (epoch ms, whole seconds): `created_at` and `delivered_at` of its rows, never real time under a frozen clock. */
  now: (session: string | undefined) => number
  /** Real wall-clock ms (Date.now, not a monotonic origin): `webhook-timestamp` of each attempt and Retry-After dates. */
  wallClock: () => number
  /** Journal clock (ms), as the request journal uses. */
  clock: () => number
  /** Attempt deadline from the webhook's timeout (s); default seconds × 1000. A test hook. */
  timeoutMs?: (seconds: number) => number
  /** Replaces the HTTP sender (a test hook; replicas send through the delivery lease). `key` names the attempt in the whole fleet. */
  send?: (req: Parameters<typeof realSend>[0], key?: string) => Promise<SendResult>
  /** Marks a session busy while one of its deliveries runs (it is not idle); returns the release. */
  hold?: (session: string) => () => void
  /** One access-log line per attempt. */
  log?: (line: string) => void
  /** One journal entry per attempt. */
  journal?: (entry: DeliveryJournalEntry, startedAt: number) => void
}

/** A delivery to run: where its rows go, what it sends, and to whom. */
export interface DeliveryJob {
  session?: string
  book: RetryBook
  /** The webhook's key in the book. */
  key: string
  seed: number
  owner: 'agent' | 'campaign'
  ownerId: string
  webhookId: string
  deliveryKey: string
  event: string
  payloadJson: string
  /** The webhook as configured now (read before each attempt), or undefined once deleted. */
  target: () => Target | undefined
  firstAttempt: number
  /** The first row when already queued (a manual retry); otherwise it is queued here. */
  first?: RetryEntry
  /** Whether failures schedule further attempts (up to max_retries); manual retries do not. */
  automatic: boolean
}

/** What the first attempt came to: the Test Webhook endpoint answers with it. */
export interface FirstAttempt {
  row: Outcome['row']
}

export type Started = { ok: true; logId: string; first: Promise<FirstAttempt> } | { ok: false; reason: 'busy' | 'closed' }

export type Deliveries = ReturnType<typeof createDeliveries>

/**
 * Creates the delivery scheduler of one app.
 * @example
 * const deliveries = createDeliveries({ allow: [], sleep: timerSleep, runId: 'a1b2c3d4e5f60718', now, wallClock, clock })
 * deliveries.start(job) //=> { ok: true, logId, first }
 */
export function createDeliveries(options: DeliveryOptions) {
  const sendOne = options.send ?? ((req) => realSend(req))
  const runId = typeof options.runId === 'function' ? options.runId : () => options.runId as string
  const timeoutMs = options.timeoutMs ?? ((s: number) => s * 1000)
  const active = new Set<{ session?: string; controller: AbortController; done: Promise<void> }>()
  // Payload bytes of the active deliveries: a few large payloads must not hold more memory than many small ones.
  let activeBytes = 0
  const fits = (bytes: number) => active.size < MAX_ACTIVE_DELIVERIES && activeBytes + bytes <= MAX_ACTIVE_DELIVERY_BYTES
  // Each session's own ring of live rows: a reset or forgotten session gets a new book, and its ring goes with the old one.
  const liveRows = new WeakMap<RetryBook, { key: string; id: string }[]>()
  const recent = createRecent()
  let closed = false
  // Deliveries this app started: with the run id, the key of the next one. Never reset, so a reset
  // or a session forgotten and seen again never repeats a key either.
  let serial = 0

  // The webhook-id: unique per run, session, webhook and delivery (a fixture row id like `log-2`
  // repeats across webhooks), the same for every attempt and manual retry of one delivery.
  const messageOf = (job: DeliveryJob) =>
    messageId(
      messageKey({
        seed: job.seed,
        run: runId(),
        session: job.session ?? '',
        owner: job.owner,
        ownerId: job.ownerId,
        webhookId: job.webhookId,
        deliveryKey: job.deliveryKey,
      }),
    )

  const track = (book: RetryBook, key: string, entry: RetryEntry) => {
    const ring = liveRows.get(book) ?? []
    liveRows.set(book, ring)
    ring.push({ key, id: entry.queued.id })
    if (ring.length > MAX_LIVE_ROWS) {
      const oldest = ring.shift()!
      removeRetry(book, oldest.key, oldest.id)
    }
  }

  async function attempt(job: DeliveryJob, entry: RetryEntry, target: Target, signal: AbortSignal, view: DeliveryView): Promise<Outcome & { waitMs?: number }> {
    const { queued } = entry
    const more = (retriable: boolean) => job.automatic && retriable && queued.attempt < 1 + target.maxRetries && !signal.aborted
    const allowed = checkUrl(target.url, options.allow)
    const startedAt = options.clock()
    const timestamp = Math.floor(options.wallClock() / 1000)
    const headers = requestHeaders(target, { id: messageOf(job), timestamp, body: job.payloadJson, event: job.event })
    const attemptView = recent.attempt(view, {
      log_id: queued.id,
      attempt: queued.attempt,
      // Shown, so without the URL's user info and query values nor the custom headers' values.
      url: redactUrl(target.url),
      method: target.method,
      created_at: formatTimestamp(queued.createdAt),
      request_headers: showHeaders(
        headers,
        target.customHeaders.map((h) => h.key),
      ),
      // Shown like the journal's bodies: fields named like a credential redacted.
      request_body: showBody(job.payloadJson, 'application/json').slice(0, VIEW_BODY_CHARS),
    })
    let outcome: Outcome
    let result: SendResult | undefined
    if (!allowed.ok) outcome = refusedRow(queued, allowed.reason)
    else {
      result = await sendOne(
        { url: allowed.url, method: target.method, headers, body: job.payloadJson, timeoutMs: timeoutMs(target.timeout), signal },
        `${messageOf(job)}#${queued.attempt}`,
      )
      outcome = settledRow(queued, result, { more, nowSeconds: Math.floor(options.now(job.session) / 1000) })
    }
    settleLive(job.book, entry, outcome.row)
    recent.settle(attemptView, outcome.row, result)
    reportAttempt(options, { session: job.session, target, row: outcome.row, startedAt })
    if (outcome.row.status !== 'retrying') return outcome
    const scheduled = waitAfter(options.backoff, queued.attempt)
    return { ...outcome, waitMs: honourRetryAfter(outcome.retryAfter, scheduled, options.wallClock()) }
  }

  async function run(job: DeliveryJob, first: RetryEntry, signal: AbortSignal, view: DeliveryView, onFirst: (f: FirstAttempt) => void) {
    let entry: RetryEntry | undefined = first
    for (let n = job.firstAttempt; ; n++) {
      const target = job.target()
      // A webhook deleted or disabled since the last attempt gets no more of them.
      if (!target || signal.aborted || (n > job.firstAttempt && !target.enabled)) break
      if (!entry) {
        entry = queueLiveAttempt(job.book, job.key, { ...job, session: job.session ?? '', attempt: n, createdAt: Math.floor(options.now(job.session) / 1000) })
        track(job.book, job.key, entry)
      }
      recent.state(view, 'sending')
      const outcome = await attempt(job, entry, target, signal, view)
      if (n === job.firstAttempt) onFirst({ row: outcome.row })
      if (outcome.waitMs === undefined) break
      recent.state(view, 'waiting', formatTimestamp(Math.min(MAX_INSTANT, Math.floor((options.now(job.session) + outcome.waitMs) / 1000))))
      await options.sleep(outcome.waitMs, signal, `${messageOf(job)}#wait${n}`)
      entry = undefined
    }
    recent.state(view, 'done')
  }

  return {
    /**
     * The key of a new delivery (its first row's id; its `webhook-id` derives from it), unique to
     * this run of the app.
     */
    newKey: (p: { seed: number; owner: string; ownerId: string; webhookId: string; session: string }): string =>
      newDeliveryKey({ ...p, run: runId(), serial: serial++ }),
    /** Whether start() would take one more delivery (of `bytes` of payload) now. */
    canStart: (bytes = 0) => !closed && fits(bytes),
    /** Deliveries sending or waiting right now. */
    get active() {
      return active.size
    },
    /** Payload bytes those deliveries hold. */
    get activeBytes() {
      return activeBytes
    },
    /**
     * Starts a delivery: its first row is queued (pending) before this returns, the attempts run
     * in the background. Refused when MAX_ACTIVE_DELIVERIES are running or after close().
     */
    start(job: DeliveryJob): Started {
      if (closed) return { ok: false, reason: 'closed' }
      // A manual retry sends its row's payload again (the same string): only a new delivery adds bytes.
      const bytes = job.first === undefined ? Buffer.byteLength(job.payloadJson) : 0
      if (!fits(bytes)) return { ok: false, reason: 'busy' }
      const first =
        job.first ??
        queueLiveAttempt(job.book, job.key, {
          ...job,
          session: job.session ?? '',
          attempt: job.firstAttempt,
          createdAt: Math.floor(options.now(job.session) / 1000),
        })
      track(job.book, job.key, first)
      const view = recent.open({
        session: job.session,
        id: messageOf(job),
        owner: job.owner,
        ownerId: job.ownerId,
        webhookId: job.webhookId,
        event: job.event,
      })
      const controller = new AbortController()
      let onFirst!: (f: FirstAttempt) => void
      const firstDone = new Promise<FirstAttempt>((resolve) => (onFirst = resolve))
      const slot = { session: job.session, controller, done: Promise.resolve() }
      // A session whose delivery is sending or waiting to retry is in use: its webhook edit must
      // still be there for the next attempt.
      const unhold = job.session !== undefined && options.hold ? options.hold(job.session) : () => undefined
      slot.done = run(job, first, controller.signal, view, onFirst)
        .catch(() => undefined)
        .finally(() => {
          active.delete(slot)
          activeBytes -= bytes
          unhold()
          onFirst({ row: first.settled })
        })
      active.add(slot)
      activeBytes += bytes
      return { ok: true, logId: first.queued.id, first: firstDone }
    },
    /** Recent deliveries, newest first (of one session, when given). */
    list: (session?: string, limit?: number) => recent.list(session, limit),
    /** Cancels the deliveries of one session (or all) and forgets their admin view. */
    reset(session?: string) {
      for (const slot of active) if (session === undefined || slot.session === session) slot.controller.abort()
      recent.clear(session)
    },
    /** Cancels every wait and in-flight attempt; later starts are refused. Resolves once all stopped. */
    async close(): Promise<void> {
      closed = true
      const stopping = [...active]
      for (const slot of stopping) slot.controller.abort()
      await Promise.all(stopping.map((slot) => slot.done))
    },
  }
}
