// Rows to JSON: a row's JSON text, and a whole list page as the bytes sent on the wire. Rows are
// assembled by concatenation of pre-escaped parts; no JSON.stringify of row objects.
import type { LogRecord } from './logs.js'
import type { PageWindow } from './paginate.js'
import { formatTimestamp } from './time.js'

const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/** A JSON string literal; plain strings skip JSON.stringify. */
function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`
}

const quoted = new Map<string, string>()
/** quote() for strings that repeat from row to row (ids of webhooks, events, errors, bodies). */
function str(text: string): string {
  let q = quoted.get(text)
  if (q === undefined) {
    q = quote(text)
    if (quoted.size < 4096) quoted.set(text, q)
  }
  return q
}

/**
 * The row's JSON text, with the field-presence rules of its status applied (absent = omitted):
 * success → http_status, request_payload, response_body, response_headers, duration_ms,
 * delivered_at; failed/retrying → http_status when the receiver answered, error, duration_ms;
 * pending → request_payload.
 * @example
 * encodeLog(record) //=> '{"id":"log-uuid-1","webhook_id":"webhook-uuid",…,"created_at":"2024-01-15T11:00:00Z"}'
 */
export function encodeLog(r: LogRecord): string {
  const status = r.status
  let json = `{"id":${quote(r.id)},"webhook_id":${str(r.webhookId)},"event":${str(r.event)},"attempt":${r.attempt},"status":"${status}"`
  if (status === 'pending') return `${json},"request_payload":${r.payloadJson},"created_at":"${formatTimestamp(r.createdAt)}"}`
  if (r.httpStatus !== undefined) json += `,"http_status":${r.httpStatus}`
  if (status === 'success') {
    json += `,"request_payload":${r.payloadJson},"response_body":${str(r.responseBody ?? '')},"response_headers":${r.responseHeadersJson ?? '{}'}`
  } else if (r.error !== undefined) json += `,"error":${str(r.error)}`
  if (r.durationMs !== undefined) json += `,"duration_ms":${r.durationMs}`
  if (status === 'success' && r.deliveredAt !== undefined) json += `,"delivered_at":"${formatTimestamp(r.deliveredAt)}"`
  return `${json},"created_at":"${formatTimestamp(r.createdAt)}"}`
}

/**
 * The body of a list response, `{"success":true,"data":[…],"pagination":{…}}`, as UTF-8 bytes.
 * The bytes are what the page cache keeps and what the server writes, with no re-encoding.
 * @example
 * encodePage(logsPage(world, profile, 0, 25), paginate(247, 1, 25).pagination)
 * //=> <Buffer 7b 22 73 75 63 63 65 73 73 22 3a 74 72 75 65 …>
 */
export function encodePage(rows: readonly LogRecord[], pagination: PageWindow['pagination']): Buffer<ArrayBuffer> {
  let data = ''
  for (let i = 0; i < rows.length; i++) data += (i ? ',' : '') + encodeLog(rows[i])
  const p = pagination
  return Buffer.from(`{"success":true,"data":[${data}],"pagination":{"current_page":${p.current_page},"per_page":${p.per_page},"total":${p.total},"last_page":${p.last_page}}}`)
}
