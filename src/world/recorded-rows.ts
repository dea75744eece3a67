// A recorded webhook's rows: one JSON object per line, exactly as the upstream served them (after
// anonymisation), newest first. Each line is kept as its text, which the list serves byte for byte;
// the fields the mock itself needs (id, status, attempt, times, payload for a retry) are read from it.
// A recording is history: its instants are the upstream's and never move with --now.
import type { PinnedRow } from './model.js'

/** A problem in the rows, as [path below the webhook, message]. */
export type RowsProblem = [string, string]

/**
 * Reads the `recorded_rows` text of a webhook into pinned rows, or says which line is wrong.
 * Unknown fields and statuses are kept (a recording of a drifted upstream still replays); only
 * what the mock relies on is checked.
 * @example
 * readRecordedRows('{"id":"l1","webhook_id":"w","event":"e","attempt":1,"status":"success","created_at":"2024-01-15T11:00:00Z"}\n', 'w')
 * //=> { rows: [{ id: 'l1', attempt: 1, status: 'success', createdAt: 1705316400, raw: '{"id":"l1",…}', … }] }
 */
export function readRecordedRows(text: string, webhookId: string): { rows: PinnedRow[] } | { problem: RowsProblem } {
  const rows: PinnedRow[] = []
  const seen = new Set<string>()
  let start = 0
  let line = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const raw = text.slice(start, end)
    start = end + 1
    line++
    if (raw.trim() === '') continue
    const at = `/recorded_rows/line ${line}`
    let row: Record<string, unknown>
    try {
      row = JSON.parse(raw)
    } catch (error) {
      return { problem: [at, `must be one JSON object (${(error as Error).message.replace(/\.$/, '')})`] }
    }
    if (!row || typeof row !== 'object' || Array.isArray(row)) return { problem: [at, 'must be one JSON object'] }
    const problem = rowProblem(row, webhookId, seen)
    if (problem) return { problem: [`${at}/${problem[0]}`, problem[1]] }
    seen.add(row.id as string)
    rows.push(toPinned(row, raw, webhookId))
  }
  return { rows }
}

function rowProblem(row: Record<string, unknown>, webhookId: string, seen: Set<string>): RowsProblem | undefined {
  if (typeof row.id !== 'string' || row.id === '') return ['id', 'must be a non-empty string']
  if (seen.has(row.id)) return ['id', `must be unique, but "${row.id}" is used twice`]
  if (row.webhook_id !== undefined && row.webhook_id !== webhookId) return ['webhook_id', `must be "${webhookId}", the webhook's id`]
  if (typeof row.event !== 'string') return ['event', 'must be a string']
  if (typeof row.status !== 'string') return ['status', 'must be a string']
  if (!Number.isInteger(row.attempt)) return ['attempt', 'must be a whole number']
  if (typeof row.created_at !== 'string' || Number.isNaN(Date.parse(row.created_at))) return ['created_at', 'must be a time like 2024-01-15T11:00:00Z']
  return undefined
}

/**
 * The request_payload of a recorded row as JSON text, for the row a retry of it queues; `{}` when
 * the recorded attempt shows none (the API omits it on failed attempts).
 * @example
 * recordedPayload('{"id":"l1","request_payload":{"call_id":"c"},…}') //=> '{"call_id":"c"}'
 */
export function recordedPayload(raw: string): string {
  const payload = (JSON.parse(raw) as { request_payload?: unknown }).request_payload
  return payload && typeof payload === 'object' ? JSON.stringify(payload) : '{}'
}

const seconds = (text: unknown) => (typeof text === 'string' && !Number.isNaN(Date.parse(text)) ? Math.floor(Date.parse(text) / 1000) : undefined)
const numberOr = (value: unknown) => (typeof value === 'number' ? value : undefined)
const stringOr = (value: unknown) => (typeof value === 'string' ? value : undefined)

function toPinned(row: Record<string, unknown>, raw: string, webhookId: string): PinnedRow {
  return Object.freeze({
    id: row.id as string,
    webhookId,
    event: row.event as string,
    attempt: row.attempt as number,
    status: row.status as PinnedRow['status'],
    createdAt: seconds(row.created_at)!,
    // Served as `raw`: the payload and headers are read from it only if the row is retried
    // (recordedPayload), which keeps loading 50,000 rows from re-serialising them all.
    payloadJson: undefined,
    httpStatus: numberOr(row.http_status),
    responseBody: stringOr(row.response_body),
    responseHeadersJson: undefined,
    durationMs: numberOr(row.duration_ms),
    error: stringOr(row.error),
    deliveredAt: seconds(row.delivered_at),
    raw,
  })
}
