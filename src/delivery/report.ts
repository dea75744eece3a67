// What each live attempt leaves behind besides its row: one access-log line and one journal entry
// (an outgoing request, marked `delivery`), the URL's user info and query values redacted. Pure
// apart from the callbacks it is handed.
import { redactQuery, redactUrl } from '../http/redact.js'
import type { LogRecord } from '../world/model.js'
import type { Target } from './attempt.js'

/** The journal entry of one attempt (an outgoing request). */
export interface DeliveryJournalEntry {
  method: string
  path: string
  query: string
  status?: number
  duration_ms: number
  session?: string
  delivery: { url: string; log_id: string; webhook_id: string; event: string; attempt: number; status: string }
}

export interface Reporters {
  log?: (line: string) => void
  journal?: (entry: DeliveryJournalEntry, startedAt: number) => void
}

/**
 * Logs and journals one settled attempt.
 * @example
 * reportAttempt({ log: console.log }, { target, row, startedAt })
 * // deliver POST http://127.0.0.1:3000/hook?key=[redacted] 200 12.0ms attempt=1 success
 */
export function reportAttempt({ log, journal }: Reporters, a: { session?: string; target: Target; row: LogRecord; startedAt: number }): void {
  const { target, row, session } = a
  const url = URL.canParse(target.url) ? new URL(target.url) : undefined
  const shown = redactUrl(target.url)
  const duration = row.durationMs ?? 0
  log?.(
    [
      `deliver ${target.method} ${shown} ${row.httpStatus ?? '-'} ${duration.toFixed(1)}ms`,
      `attempt=${row.attempt}`,
      row.status,
      session && `session=${session}`,
      row.error && `error=${JSON.stringify(row.error)}`,
    ]
      .filter(Boolean)
      .join(' '),
  )
  const entry: DeliveryJournalEntry = {
    method: target.method,
    path: url?.pathname ?? shown,
    query: redactQuery(url?.search.slice(1) ?? ''),
    duration_ms: duration,
    delivery: { url: shown, log_id: row.id, webhook_id: row.webhookId, event: row.event, attempt: row.attempt, status: row.status },
  }
  if (row.httpStatus !== undefined) entry.status = row.httpStatus
  if (session !== undefined) entry.session = session
  journal?.(entry, a.startedAt)
}
