// Where a webhook's rows lie in time: the earlier attempts of its last pinned delivery (the
// continuation) and the slice of the 30-day window the generated rows fill (the layout). Pure.
import { Rng, mix } from '../encode/random.js'
import { drawFailure, failureDuration } from './receiver.js'
import { RETENTION_SECONDS, backoffSeconds, gapAfter } from './time.js'
import { FAILURES } from './vocab.js'
import type { ContinuationRow, Layout, WebhookProfile } from './model.js'

/** Earlier attempts of the last pinned row's delivery (attempt a-1 … 1), spaced by the backoff. */
export function continuation(p: WebhookProfile): ContinuationRow[] {
  const last = p.head[p.head.length - 1]
  if (!last || last.attempt <= 1) return []
  const rng = new Rng(mix(p.key, 0xc0471))
  const count = Math.min(last.attempt - 1, p.total - p.head.length)
  const rows: ContinuationRow[] = []
  let t = last.createdAt
  let kind = -1
  for (let attempt = last.attempt - 1; attempt >= last.attempt - count; attempt--) {
    let row: Omit<ContinuationRow, 'createdAt'>
    if (last.error !== undefined) {
      const durationMs = Math.max(1, Math.floor((last.durationMs ?? 1_000) * (0.8 + 0.4 * rng.next())))
      row = { attempt, durationMs, httpStatus: last.httpStatus, error: last.error }
    } else {
      kind = drawFailure(p, rng, kind)
      row = { attempt, durationMs: failureDuration(p, kind, rng), httpStatus: FAILURES[kind].http, error: p.errorTexts[kind] }
    }
    t -= gapAfter(attempt, row.durationMs, rng.next())
    rows.push({ ...row, createdAt: t })
  }
  return rows
}

/** Where the generated rows go, given the pinned rows, the window ending at `now` and how long ago a disabled webhook stopped. */
export function layout(p: WebhookProfile, now: number, disabledAgo: number): Layout {
  const last = p.head[p.head.length - 1]
  const cont = p.continuation
  const prefix = p.head.length + cont.length
  const generated = p.total - prefix
  const end = cont.length > 0 ? cont[cont.length - 1].createdAt - 1 : last ? last.createdAt - 1 : p.enabled ? now : now - disabledAgo
  let start = now - RETENTION_SECONDS
  // Pinned rows so old that the window before them is too short: use the 30 days before them.
  if (end - start + 1 < Math.max(86_400, 2 * generated)) start = end - RETENTION_SECONDS
  // Segments long enough for a few full retry chains, so chains rarely need compressing.
  let chainSeconds = 0
  for (let k = 1; k <= p.maxRetries; k++) chainSeconds += backoffSeconds(k) * 1.2 + p.timeout
  const secondsPerRow = (end - start + 1) / Math.max(1, generated)
  const segmentSize = Math.min(512, Math.max(32, Math.ceil((4 * chainSeconds) / secondsPerRow)))
  return Object.freeze({ prefix, generated, start, end, segmentSize, inFlight: p.head.length === 0 && p.enabled })
}
