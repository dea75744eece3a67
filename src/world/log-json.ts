// Rows to JSON. encodeLog writes one record as text; encodePage writes a whole list page straight
// into bytes (generated rows never become records or strings), which is what the server sends.
import { writeLogId } from './ids.js'
import { jsonString, quote } from '../encode/json-text.js'
import { ByteWriter } from '../encode/json-writer.js'
import { visitRows } from './logs.js'
import type { PageWindow } from './paginate.js'
import { openDelivery, writePayloadInside } from './payloads.js'
import { mix, Rng } from '../encode/random.js'
import { SUCCESS_TAILS, writeHeaderPlan } from './receiver.js'
import {
  CLOSE_RUN,
  CREATED_RUN,
  DELIVERED_END_RUN,
  DELIVERED_RUN,
  eventRun,
  FAILED_RUN,
  failureRun,
  PENDING_END_RUN,
  PENDING_RUN,
  RETRYING_RUN,
  ROW_OPEN,
  rowRuns,
  SUCCESS_RUNS,
  type RowRuns,
} from './row-runs.js'
import { FAILED, PENDING, SUCCESS, statusAt } from './segments.js'
import { formatTimestamp, writeTimestamp } from './time.js'
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
  const runs = rowRuns(profile)
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
      writeGenerated(w, profile, runs, idKey, idIndex, seg, j, world.at)
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

const delivery = new Rng(0)
const answer = new Rng(0)

/**
 * Writes generated row j of a segment exactly as encodeLog(generated(…)) would (logs.ts): same
 * draws, same fields in the same order, as the profile's constant runs (row-runs.ts) with the
 * varying slots written between them. The tests compare the two over many webhooks.
 */
function writeGenerated(w: ByteWriter, p: WebhookProfile, runs: RowRuns, idKey: number, idIndex: number, seg: Segment, j: number, now: number): void {
  const seed = seg.chainSeed[j]
  const status = statusAt(seg, j, now)
  const attempt = seg.attempt[j]
  const at = seg.time[j]
  const event = openDelivery(p, delivery, seed)
  w.bytes(ROW_OPEN)
  writeLogId(w, idKey, p.idKey, idIndex)
  w.bytes(runs.webhook)
  w.bytes(eventRun(runs, p, event))
  w.uint(attempt)
  if (status === PENDING) {
    w.bytes(PENDING_RUN)
    writePayloadInside(w, p, runs, delivery, p.events[event], seg.chainStart[j])
    w.bytes(PENDING_END_RUN)
  } else if (status === SUCCESS) {
    const durationMs = seg.duration[j]
    const deliveredAt = at + 1 + Math.floor(durationMs / 1000)
    w.bytes(SUCCESS_RUNS[p.stack])
    writePayloadInside(w, p, runs, delivery, p.events[event], seg.chainStart[j])
    writeHeaderPlan(w, SUCCESS_TAILS[p.stack], answer.reseed(mix(seed, 0x5eed + attempt)), deliveredAt)
    w.uint(durationMs)
    w.bytes(DELIVERED_RUN)
    writeTimestamp(w, deliveredAt)
    w.bytes(DELIVERED_END_RUN)
  } else {
    w.bytes(status === FAILED ? FAILED_RUN : RETRYING_RUN)
    w.bytes(failureRun(runs, p, seg.kind[j]))
    w.uint(seg.duration[j])
    w.bytes(CREATED_RUN)
  }
  writeTimestamp(w, at)
  w.bytes(CLOSE_RUN)
}
