// One live attempt from request to log row: the headers a delivery carries (Standard Webhooks
// signature, user agent, the webhook's custom headers), and the row its result becomes. Pure.
import { STATUS_CODES } from 'node:http'
import type { LogRecord } from '../world/model.js'
import { sendableHeaders } from './headers.js'
import type { SendResult } from './send.js'
import { webhookHeaders } from './signature.js'

export const USER_AGENT = 'Talkover-Webhooks/mock'

/** What the webhook is now, as far as sending to it goes. */
export interface Target {
  owner: 'agent' | 'campaign'
  ownerId: string
  webhookId: string
  url: string
  method: 'POST' | 'PUT' | 'PATCH'
  secret?: string
  customHeaders: readonly { key: string; value: string }[]
  /** Seconds. */
  timeout: number
  maxRetries: number
  enabled: boolean
}

/**
 * The `webhook-id` of a delivery from its message key (see messageKey in state/live-rows.ts): the
 * same on every attempt and manual retry of it.
 * @example
 * messageId('4c0f1a2b-…') //=> 'msg_4c0f1a2b…'
 */
export function messageId(key: string): string {
  return `msg_${key.replace(/[^A-Za-z0-9]/g, '')}`
}

/**
 * The request headers of one attempt. Custom headers come first; the ones the scheme defines
 * (content type, user agent, webhook-*) cannot be overridden, and a custom header that is
 * reserved (headers.ts: framing, hop-by-hop, signature) or that Node would refuse to send is left out.
 * `webhook-event` names the event (a mock choice: Talkover's docs do not say where the event name
 * travels, and a redelivered body may not carry it).
 * @example
 * requestHeaders(target, { id: 'msg_1', timestamp: 1705320000, body: '{}', event: 'event_phone_call_ended' })['webhook-event'] //=> 'event_phone_call_ended'
 */
export function requestHeaders(target: Target, message: { id: string; timestamp: number; body: string; event?: string }): Record<string, string> {
  const custom = sendableHeaders(target.customHeaders)
  const event: Record<string, string> = message.event === undefined ? {} : { 'webhook-event': message.event }
  return { ...custom, 'content-type': 'application/json', 'user-agent': USER_AGENT, ...event, ...webhookHeaders({ ...message, secret: target.secret }) }
}

/** How an attempt ended, beyond the row: whether another attempt may follow, and the receiver's Retry-After. */
export interface Outcome {
  row: LogRecord
  /** The attempt failed in a way a later attempt could fix (not 410 Gone, not a refused host, not cancelled). */
  retriable: boolean
  retryAfter?: string
}

/**
 * The settled row of an attempt. Field presence follows the docs' rows: a 2xx is `success` with
 * the answer (a cut body ends with a note saying so); anything else is `failed` (or `retrying`
 * when `more` attempts follow) with `error` (the reason phrase, or the socket error) and
 * `http_status` only when the receiver answered.
 * @example
 * settledRow(queued, { kind: 'response', status: 503, … }, { more: true, nowSeconds }).row.status //=> 'retrying'
 */
export function settledRow(
  queued: LogRecord,
  result: SendResult,
  { more, nowSeconds }: { more: (retriable: boolean) => boolean; nowSeconds: number },
): Outcome {
  const base: LogRecord = { ...queued, durationMs: result.durationMs }
  if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
    const note = result.truncated ? `\n[talkover-mock: the response was cut at ${65_536} bytes]` : ''
    const row: LogRecord = {
      ...base,
      status: 'success',
      httpStatus: result.status,
      responseBody: result.body + note,
      responseHeadersJson: JSON.stringify(result.headers),
      deliveredAt: Math.max(queued.createdAt, nowSeconds),
    }
    return { row, retriable: false }
  }
  if (result.kind === 'response') {
    const phrase = STATUS_CODES[result.status] ?? `HTTP ${result.status}`
    const error = result.status >= 300 && result.status < 400 ? `${phrase} (redirects are not followed)` : phrase
    const retriable = result.status !== 410
    const retryAfter = result.status === 429 || result.status === 503 ? result.headers['retry-after'] : undefined
    return { row: { ...base, status: more(retriable) ? 'retrying' : 'failed', httpStatus: result.status, error }, retriable, retryAfter }
  }
  const retriable = !result.cancelled
  return { row: { ...base, status: more(retriable) ? 'retrying' : 'failed', error: result.error }, retriable }
}

/** The row of an attempt the allow-list refused: failed at once, never retried. */
export function refusedRow(queued: LogRecord, reason: string): Outcome {
  return { row: { ...queued, status: 'failed', error: reason, durationMs: 0 }, retriable: false }
}
