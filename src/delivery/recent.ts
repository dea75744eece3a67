// The admin view of live deliveries (GET /__mock/deliveries): the most recent ones, in flight or
// done, with every attempt's request headers and the receiver's answer, bounded in count and
// size. Only what a person debugging a receiver needs beyond the log rows. Pure.
import { showAnswerHeaders } from '../http/redact-request.js'
import type { LogRecord } from '../world/model.js'
import type { SendResult } from './send.js'

/** Deliveries the view keeps; the oldest finished ones are forgotten first. */
export const MAX_RECENT_DELIVERIES = 200
/** Attempts kept per delivery (automatic ones are at most 11; manual retries add more). */
export const MAX_ATTEMPTS_SHOWN = 50
/** How much of a receiver's answer the view shows. */
export const VIEW_BODY_CHARS = 2048

export interface AttemptView {
  log_id: string
  attempt: number
  method: string
  /** The webhook URL, its user info, query values and fragment shown as [redacted]. */
  url: string
  created_at: string
  /** What was sent, signature included (never the secret; custom header values shown as [redacted]). */
  request_headers: Record<string, string>
  /** The body sent (the event payload), cut at VIEW_BODY_CHARS. */
  request_body?: string
  status: LogRecord['status']
  http_status?: number
  error?: string
  duration_ms?: number
  /** The receiver's answer, cut at VIEW_BODY_CHARS, failures included (log rows show no body for them). */
  response_body?: string
  /** The receiver's answer headers by the answer allow-list (http/redact-request): Set-Cookie or a token header reads [redacted]. */
  response_headers?: Record<string, string>
}

export interface DeliveryView {
  /** The `webhook-id` every attempt carried. */
  id: string
  session?: string
  owner: 'agent' | 'campaign'
  owner_id: string
  webhook_id: string
  event: string
  state: 'sending' | 'waiting' | 'done'
  next_attempt_at?: string
  attempts: AttemptView[]
}

/**
 * Creates the bounded view.
 * @example
 * const recent = createRecent()
 * const view = recent.open({ id: 'msg_1', owner: 'agent', ownerId: 'a', webhookId: 'w', event: 'event_phone_call_ended' })
 */
export function createRecent() {
  // Keyed by session and message id; Map order is last-opened order (oldest first).
  const views = new Map<string, DeliveryView>()
  const keyOf = (session: string | undefined, id: string) => `${session ?? ''}\u0000${id}`

  return {
    /** The view of a delivery (a manual retry reopens its delivery's view when still kept). */
    open(d: { session?: string; id: string; owner: 'agent' | 'campaign'; ownerId: string; webhookId: string; event: string }): DeliveryView {
      const key = keyOf(d.session, d.id)
      let view = views.get(key)
      views.delete(key)
      view ??= {
        id: d.id,
        ...(d.session !== undefined && { session: d.session }),
        owner: d.owner,
        owner_id: d.ownerId,
        webhook_id: d.webhookId,
        event: d.event,
        state: 'sending',
        attempts: [],
      }
      views.set(key, view)
      for (const [k, v] of views) {
        if (views.size <= MAX_RECENT_DELIVERIES) break
        if (v.state === 'done') views.delete(k)
      }
      return view
    },
    state(view: DeliveryView, state: DeliveryView['state'], nextAttemptAt?: string) {
      view.state = state
      if (nextAttemptAt === undefined) delete view.next_attempt_at
      else view.next_attempt_at = nextAttemptAt
    },
    attempt(view: DeliveryView, a: Omit<AttemptView, 'status'>): AttemptView {
      const shown: AttemptView = { ...a, status: 'pending' }
      view.attempts.unshift(shown)
      if (view.attempts.length > MAX_ATTEMPTS_SHOWN) view.attempts.pop()
      return shown
    },
    settle(shown: AttemptView, row: LogRecord, result: SendResult | undefined) {
      shown.status = row.status
      if (row.httpStatus !== undefined) shown.http_status = row.httpStatus
      if (row.error !== undefined) shown.error = row.error
      if (row.durationMs !== undefined) shown.duration_ms = row.durationMs
      if (result?.kind === 'response') {
        shown.response_body = result.body.length > VIEW_BODY_CHARS ? result.body.slice(0, VIEW_BODY_CHARS) : result.body
        shown.response_headers = showAnswerHeaders(result.headers)
      }
    },
    /** Newest first. */
    list(session?: string, limit = Infinity): DeliveryView[] {
      const out: DeliveryView[] = []
      for (const view of [...views.values()].reverse()) {
        if (out.length >= limit) break
        if (session === undefined || view.session === session) out.push(view)
      }
      return out
    },
    clear(session?: string) {
      if (session === undefined) return views.clear()
      for (const [k, v] of views) if (v.session === session) views.delete(k)
    },
  }
}
