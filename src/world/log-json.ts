// Rows to JSON. encodeLog writes one record as text; encodePage writes a whole list page straight
// into bytes (generated rows never become records or strings), which is what the server sends.
import { writeLogId } from './ids.js'
import { ByteWriter, jsonString, quote } from '../encode/json-writer.js'
import { visitRows } from './logs.js'
import type { PageWindow } from './paginate.js'
import { deliveryEvent, writePayload } from './payloads.js'
import { mix, Rng } from '../encode/random.js'
import { writeSuccessHeaders } from './receiver.js'
import { PENDING, STATUSES, SUCCESS, statusAt } from './segments.js'
import { formatTimestamp, writeTimestamp } from './time.js'
import { FAILURES, STACKS } from './vocab.js'
import type { LogRecord, Segment, WebhookProfile, World } from './model.js'

/**
 * The row's JSON text, with the field-presence rules of its status applied (absent = omitted):
 * success → http_status, request_payload, response_body, response_headers, duration_ms,
 * delivered_at; failed/retrying → http_status when the receiver answered, error, duration_ms;
 * pending → request_payload. A recorded row is its recorded text.
 * @example
 * encodeLog(record) //=> '{"id":"log-uuid-1","webhook_id":"webhook-uuid",…,"created_at":"2024-01-15T11:00:00Z"}'
 */
export function encodeLog(r: LogRecord): string {
  if (r.raw !== undefined) return r.raw
  const status = r.status
  let json = `{"id":${quote(r.id)},"webhook_id":${jsonString(r.webhookId)},"event":${jsonString(r.event)},"attempt":${r.attempt},"status":"${status}"`
  if (status === 'pending') return `${json},"request_payload":${r.payloadJson},"created_at":"${formatTimestamp(r.createdAt)}"}`
  if (r.httpStatus !== undefined) json += `,"http_status":${r.httpStatus}`
  if (status === 'success') {
    json += `,"request_payload":${r.payloadJson},"response_body":${jsonString(r.responseBody ?? '')},"response_headers":${r.responseHeadersJson ?? '{}'}`
  } else if (r.error !== undefined) json += `,"error":${jsonString(r.error)}`
  if (r.durationMs !== undefined) json += `,"duration_ms":${r.durationMs}`
  if (status === 'success' && r.deliveredAt !== undefined) json += `,"delivered_at":"${formatTimestamp(r.deliveredAt)}"`
  return `${json},"created_at":"${formatTimestamp(r.createdAt)}"}`
}

const writer = new ByteWriter(256 * 1024)

/**
 * The body of a list response, `{"success":true,"data":[…],"pagination":{…}}`, as UTF-8 bytes:
 * what the page cache keeps and the server writes. Same bytes as encodeRecords(logsPage(…)).
 * @example
 * encodePage(world, profile, paginate(profile.total, 1, 25))
 * //=> <Buffer 7b 22 73 75 63 63 65 73 73 22 3a 74 72 75 65 …>
 */
export function encodePage(world: World, profile: WebhookProfile, { offset, count, pagination }: PageWindow): Buffer<ArrayBuffer> {
  const w = writer.reset()
  let first = true
  w.ascii('{"success":true,"data":[')
  visitRows(world, profile, offset, count, {
    record: (row) => {
      if (!first) w.byte(44)
      first = false
      w.text(encodeLog(row))
    },
    generated: (idKey, idIndex, seg, j) => {
      if (!first) w.byte(44)
      first = false
      writeGenerated(w, profile, idKey, idIndex, seg, j, world.at)
    },
  })
  return finish(w, pagination)
}

/**
 * encodePage for rows already made as records (e.g. with retried rows laid over the history).
 * @example
 * encodeRecords(logsPage(world, profile, 0, 25), paginate(profile.total, 1, 25).pagination)
 */
export function encodeRecords(rows: readonly LogRecord[], pagination: PageWindow['pagination']): Buffer<ArrayBuffer> {
  const w = writer.reset()
  w.ascii('{"success":true,"data":[')
  for (let i = 0; i < rows.length; i++) {
    if (i) w.byte(44)
    w.text(encodeLog(rows[i]))
  }
  return finish(w, pagination)
}

function finish(w: ByteWriter, p: PageWindow['pagination']): Buffer<ArrayBuffer> {
  w.ascii('],"pagination":{"current_page":')
  w.uint(p.current_page)
  w.ascii(',"per_page":')
  w.uint(p.per_page)
  w.ascii(',"total":')
  w.uint(p.total)
  w.ascii(',"last_page":')
  w.uint(p.last_page)
  w.ascii('}}')
  return w.copy()
}

/**
 * Writes generated row j of a segment exactly as encodeLog(generated(…)) would (logs.ts): same
 * draws, same fields in the same order. The tests compare the two over many webhooks.
 */
function writeGenerated(w: ByteWriter, p: WebhookProfile, idKey: number, idIndex: number, seg: Segment, j: number, now: number): void {
  const seed = seg.chainSeed[j]
  const status = statusAt(seg, j, now)
  const attempt = seg.attempt[j]
  const at = seg.time[j]
  w.ascii('{"id":"')
  writeLogId(w, idKey, p.idKey, idIndex)
  w.ascii('","webhook_id":')
  w.text(jsonString(p.webhookId))
  w.ascii(',"event":')
  w.text(jsonString(deliveryEvent(p, seed)))
  w.ascii(',"attempt":')
  w.uint(attempt)
  w.ascii(',"status":"')
  w.ascii(STATUSES[status])
  w.byte(34)
  if (status === PENDING) {
    w.ascii(',"request_payload":')
    writePayload(w, p, seed, seg.chainStart[j])
  } else if (status === SUCCESS) {
    const stack = STACKS[p.stack]
    const durationMs = seg.duration[j]
    const deliveredAt = at + 1 + Math.floor(durationMs / 1000)
    w.ascii(',"http_status":')
    w.uint(stack.status)
    w.ascii(',"request_payload":')
    writePayload(w, p, seed, seg.chainStart[j])
    w.ascii(',"response_body":')
    w.text(jsonString(stack.body))
    w.ascii(',"response_headers":')
    writeSuccessHeaders(w, p, new Rng(mix(seed, 0x5eed + attempt)), deliveredAt)
    w.ascii(',"duration_ms":')
    w.uint(durationMs)
    w.ascii(',"delivered_at":"')
    writeTimestamp(w, deliveredAt)
    w.byte(34)
  } else {
    const kind = seg.kind[j]
    const http = FAILURES[kind].http
    if (http !== undefined) {
      w.ascii(',"http_status":')
      w.uint(http)
    }
    w.ascii(',"error":')
    w.text(jsonString(p.errorTexts[kind]))
    w.ascii(',"duration_ms":')
    w.uint(seg.duration[j])
  }
  w.ascii(',"created_at":"')
  writeTimestamp(w, at)
  w.ascii('"}')
}
