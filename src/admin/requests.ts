// Request verification: a journal entry (what it keeps is bounded by entry-bounds.ts), how it is
// shown (headers by http/redact-request's allow-list, formatted only when read; the body was
// redacted before it was cut) and the filters of GET /__mock/requests and /__mock/requests/count. Pure.
import { redactSecretQuery } from '../http/redact.js'
import { showHeaders } from '../http/redact-request.js'
import type { WebhookWrite } from '../api/webhooks.js'
import { showAnswer, type JournalAnswer, type StoredAnswer } from './answer.js'

/** One journal line of GET /__mock/requests. */
export interface JournalEntry {
  seq: number
  time: string
  method: string
  path: string
  query: string
  /** The request's headers, names lower-cased, values of headers not on the allow-list shown as [redacted]. */
  headers?: Record<string, string>
  /** The headers were more than an entry keeps (JOURNAL_HEADER_BYTES, JOURNAL_HEADER_COUNT): the first ones are shown. */
  headers_truncated?: true
  /** The body the mock read, redacted and then bounded (at most JOURNAL_BODY_BYTES). */
  body?: string
  body_truncated?: true
  /** Absent when no response was sent (reset, hang, client gone). */
  status?: number
  duration_ms: number
  session?: string
  k?: number
  latency_ms?: number
  fault?: { kind: 'status' | 'reset' | 'hang' | 'truncate'; status?: number; via: string }
  client_aborted?: boolean
  /** The row a retry request created. */
  retry?: { log_id: string; original_log_id: string }
  /** What a webhook write (create, update, toggle, delete) did. */
  webhook?: WebhookWrite
  /** What the mock answered (absent when it sent nothing): headers and body, both redacted, the body bounded like a request's. */
  answer?: JournalAnswer
  /** On an outgoing live delivery attempt: which row it is. */
  delivery?: { url: string; log_id: string; webhook_id: string; event: string; attempt: number; status: string }
}

/** Where an entry's headers are read from when shown: node:http's rawHeaders, or a fetch Headers (in-process). */
export type HeaderSource = readonly string[] | Headers

/** A journal entry as the journal keeps it: `time` in epoch ms, headers by reference (or a bounded copy), the body redacted and bounded. */
export type StoredEntry = Omit<JournalEntry, 'time' | 'headers' | 'answer'> & { time: number; headers?: HeaderSource; answer?: StoredAnswer }

/** What the observer hands to record(): an entry whose first two fields, seq and time, record() fills in. */
export type RecordedEntry = Omit<StoredEntry, 'seq' | 'time'> & { seq: number; time: number }

/** The filters of GET /__mock/requests and /__mock/requests/count, already checked. */
export interface RequestFilter {
  method?: string
  path?: string
  path_prefix?: string
  /** Text the path and query contain, as shown (secret query values [redacted]). */
  path_contains?: string
  status?: number
  /** The first digit of the status (`'4'`), or `'none'` for entries without a response. */
  status_class?: string
  session?: string
  /** Epoch ms: entries that arrived at or after it. */
  since?: number
  /** Epoch ms: entries that arrived at or before it. */
  until?: number
}

/**
 * The filter of a request's query (schema-valid), or the 422 field errors of the values the schema cannot check.
 * @example
 * requestFilter({ method: 'get', since: '2024-01-15T12:00:00Z' }) //=> { filter: { method: 'GET', since: 1705320000000 } }
 */
export function requestFilter(query: Record<string, unknown>): { filter: RequestFilter } | { errors: Record<string, string[]> } {
  const filter: RequestFilter = {}
  if (typeof query.method === 'string') filter.method = query.method.toUpperCase()
  if (typeof query.path === 'string') filter.path = query.path
  if (typeof query.path_prefix === 'string') filter.path_prefix = query.path_prefix
  if (typeof query.status === 'number') filter.status = query.status
  if (typeof query.session === 'string') filter.session = query.session
  if (typeof query.path_contains === 'string') filter.path_contains = query.path_contains
  if (typeof query.status_class === 'string') filter.status_class = query.status_class === 'none' ? 'none' : query.status_class[0]
  for (const name of ['since', 'until'] as const) {
    const text = query[name]
    if (typeof text !== 'string') continue
    const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : Number.NaN
    if (Number.isNaN(at)) return { errors: { [name]: [`The ${name} field must be an ISO-8601 instant with a zone, like 2024-01-15T12:00:00.000Z.`] } }
    filter[name] = at
  }
  return { filter }
}

/** The filter parameters of GET /__mock/requests and /__mock/requests/count (the list also takes `limit`). */
export const FILTER_PARAMS: readonly string[] = ['method', 'path', 'path_prefix', 'path_contains', 'status', 'status_class', 'session', 'since', 'until']

/**
 * The 422 field errors of filter parameters given more than once (`?status=200&status=500`):
 * PHP would keep the last silently, and a verification would then count something else than
 * asked. Undefined when none is repeated. Parameters the journal does not know are ignored, as on
 * every other route.
 * @example
 * repeatedFilters('http://mock/__mock/requests?status=200&status=500') //=> { status: ['The status field must be given once, not 2 times; …'] }
 */
export function repeatedFilters(url: string, names: readonly string[] = FILTER_PARAMS): Record<string, string[]> | undefined {
  const start = url.indexOf('?')
  if (start === -1) return undefined
  const seen = new Map<string, number>()
  for (const pair of url
    .slice(start + 1)
    .split('#')[0]
    .split('&')) {
    const eq = pair.indexOf('=')
    let name = eq === -1 ? pair : pair.slice(0, eq)
    try {
      name = decodeURIComponent(name.replace(/\+/g, ' '))
    } catch {
      // Judged as written.
    }
    name = name.replace(/\[.*$/, '').replace(/[. ]/g, '_')
    if (names.includes(name)) seen.set(name, (seen.get(name) ?? 0) + 1)
  }
  const errors: Record<string, string[]> = {}
  for (const [name, n] of seen) {
    if (n > 1) errors[name] = [`The ${name} field must be given once, not ${n} times; to match several values, ask once per value and add the counts.`]
  }
  return Object.keys(errors).length > 0 ? errors : undefined
}

/**
 * The predicate of a filter over stored entries (undefined when it keeps everything).
 * @example
 * journal.list(matcher({ method: 'POST' }))
 */
export function matcher(filter: RequestFilter): ((entry: StoredEntry) => boolean) | undefined {
  const { method, path, path_prefix, path_contains, status, status_class, session, since, until } = filter
  if (Object.values(filter).every((v) => v === undefined)) return undefined
  return (e) =>
    (method === undefined || e.method === method) &&
    (path === undefined || e.path === path) &&
    (path_prefix === undefined || e.path.startsWith(path_prefix)) &&
    (status === undefined || e.status === status) &&
    (status_class === undefined || (status_class === 'none' ? e.status === undefined : String(e.status ?? '')[0] === status_class)) &&
    (session === undefined || e.session === session) &&
    (since === undefined || e.time >= since) &&
    (until === undefined || e.time <= until) &&
    // Matched as shown: a secret query value is never found by guessing it.
    (path_contains === undefined || (e.query ? `${e.path}?${redactSecretQuery(e.query)}` : e.path).includes(path_contains))
}

/**
 * A stored entry as GET /__mock/requests shows it: time formatted, headers read and redacted (the body was redacted when kept), the answer redacted.
 * @example
 * showEntry(stored) //=> { seq: 1, time: '2024-01-15T12:00:00.000Z', method: 'GET', …, headers: { authorization: '[redacted]' } }
 */
export function showEntry(e: StoredEntry): JournalEntry {
  const { headers, answer, ...rest } = e
  const shown: JournalEntry = { ...rest, query: redactSecretQuery(rest.query), time: new Date(e.time).toISOString() }
  if (headers !== undefined) shown.headers = showHeaders(headerRecord(headers))
  if (answer !== undefined) shown.answer = showAnswer(answer)
  return shown
}

function headerRecord(source: HeaderSource): Record<string, string> {
  const out: Record<string, string> = {}
  if (source instanceof Headers) {
    for (const [name, value] of source) out[name] = value
    return out
  }
  for (let i = 0; i + 1 < source.length; i += 2) {
    const name = source[i].toLowerCase()
    out[name] = out[name] === undefined ? source[i + 1] : `${out[name]}, ${source[i + 1]}`
  }
  return out
}
