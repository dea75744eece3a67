// Request verification: what the journal keeps of each request (references taken on the hot path),
// how an entry is shown (headers and body redacted by http/redact.ts, formatted only when read) and
// the filters of GET /__mock/requests and /__mock/requests/count. Pure.
import { REDACTED, SECRET_KEY, redactBody, redactRequestHeaders, redactSecretQuery, redactText } from '../http/redact.js'
import type { WebhookWrite } from '../api/webhooks.js'

/** Bytes of a request body the journal keeps (8 KiB); a longer body is cut and marked `body_truncated`. */
export const JOURNAL_BODY_BYTES = 8192

/** Bytes all journaled bodies may hold together (16 MiB): past --journal-size 2048 each entry keeps its share. */
export const JOURNAL_BODIES_BYTES = 16 * 1024 * 1024

/**
 * Bytes of a body one entry keeps in a journal of `capacity` entries.
 * @example
 * bodyShare(1000) //=> 8192
 * bodyShare(100000) //=> 167
 */
export const bodyShare = (capacity: number): number => Math.min(JOURNAL_BODY_BYTES, Math.floor(JOURNAL_BODIES_BYTES / Math.max(1, capacity)))

/** One journal line of GET /__mock/requests. */
export interface JournalEntry {
  seq: number
  time: string
  method: string
  path: string
  query: string
  /** The request's headers, names lower-cased, credentials shown as [redacted]. */
  headers?: Record<string, string>
  /** The body the mock read (at most JOURNAL_BODY_BYTES), secrets shown as [redacted]. */
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

/** The answer part of a journal line. */
export interface JournalAnswer {
  headers: Record<string, string>
  body?: string
  body_truncated?: true
}

/** An answer as the journal keeps it: the responder's header object by reference, at most the entry's share of the body. */
export interface StoredAnswer {
  headers: Record<string, string>
  body: string | Uint8Array
  truncated?: true
}

/** Where an entry's headers are read from when shown: node:http's rawHeaders, or a fetch Headers (in-process). */
export type HeaderSource = readonly string[] | Headers

/** A journal entry as the journal keeps it: `time` in epoch ms, headers by reference, the body as read. */
export type StoredEntry = Omit<JournalEntry, 'time' | 'headers' | 'answer'> & { time: number; headers?: HeaderSource; answer?: StoredAnswer }

/** What the observer hands to record(): an entry whose first two fields, seq and time, record() fills in. */
export type RecordedEntry = Omit<StoredEntry, 'seq' | 'time'> & { seq: number; time: number }

/** The filters of GET /__mock/requests and /__mock/requests/count, already checked. */
export interface RequestFilter {
  method?: string
  path?: string
  path_prefix?: string
  status?: number
  session?: string
  /** Epoch ms: entries that arrived at or after it. */
  since?: number
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
  if (typeof query.since === 'string') {
    const since = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(query.since) ? Date.parse(query.since) : Number.NaN
    if (Number.isNaN(since)) {
      return { errors: { since: ['The since field must be an ISO-8601 instant with a zone, like 2024-01-15T12:00:00.000Z.'] } }
    }
    filter.since = since
  }
  return { filter }
}

/**
 * The predicate of a filter over stored entries (undefined when it keeps everything).
 * @example
 * journal.list(matcher({ method: 'POST' }))
 */
export function matcher(filter: RequestFilter): ((entry: StoredEntry) => boolean) | undefined {
  const { method, path, path_prefix, status, session, since } = filter
  if (Object.values(filter).every((v) => v === undefined)) return undefined
  return (e) =>
    (method === undefined || e.method === method) &&
    (path === undefined || e.path === path) &&
    (path_prefix === undefined || e.path.startsWith(path_prefix)) &&
    (status === undefined || e.status === status) &&
    (session === undefined || e.session === session) &&
    (since === undefined || e.time >= since)
}

/**
 * A stored entry as GET /__mock/requests shows it: time formatted, headers read and redacted, body redacted.
 * @example
 * showEntry(stored) //=> { seq: 1, time: '2024-01-15T12:00:00.000Z', method: 'GET', …, headers: { authorization: '[redacted]' } }
 */
export function showEntry(e: StoredEntry): JournalEntry {
  const { headers, body, answer, ...rest } = e
  const shown: JournalEntry = { ...rest, query: redactSecretQuery(rest.query), time: new Date(e.time).toISOString() }
  if (headers !== undefined) shown.headers = redactRequestHeaders(headerRecord(headers))
  if (body !== undefined) shown.body = redactBody(body)
  if (answer !== undefined) shown.answer = showAnswer(answer)
  return shown
}

/**
 * The body the journal keeps of a text: its first `max` bytes (whole characters).
 * @example
 * boundBody('{"a":1}', 8192) //=> { body: '{"a":1}' }
 */
export function boundBody(text: string, max: number): { body: string; body_truncated?: true } {
  if (text.length * 3 <= max || Buffer.byteLength(text) <= max) return { body: text }
  const cut = Buffer.from(text).subarray(0, max)
  // Back off a partial UTF-8 character at the cut.
  let end = cut.length
  while (end > 0 && (cut[end - 1] & 0xc0) === 0x80) end--
  if (end > 0 && cut[end - 1] >= 0xc0) {
    const lead = cut[end - 1]
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2
    if (cut.length - (end - 1) < need) return { body: cut.subarray(0, end - 1).toString('utf8'), body_truncated: true }
  }
  return { body: cut.toString('utf8'), body_truncated: true }
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

/**
 * What the journal keeps of an answer: the header object by reference and at most `max` bytes of
 * the body, copied (a reference could hold a whole cached page alive).
 * @example
 * keepAnswer({ 'content-type': 'application/json' }, '{"success":true}', 8192) //=> { headers: {…}, body: '{"success":true}' }
 */
export function keepAnswer(headers: Record<string, string>, body: string | Uint8Array, max: number): StoredAnswer {
  if (typeof body === 'string') {
    const kept = boundBody(body, max)
    return kept.body_truncated ? { headers, body: kept.body, truncated: true } : { headers, body }
  }
  return body.byteLength <= max ? { headers, body: body.slice() } : { headers, body: body.slice(0, max), truncated: true }
}

/** An answer as GET /__mock/requests shows it: header names lower-cased, headers and body redacted. */
function showAnswer(answer: StoredAnswer): JournalAnswer {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(answer.headers)) headers[name.toLowerCase()] = value
  let text = typeof answer.body === 'string' ? answer.body : Buffer.from(answer.body).toString('utf8')
  if (answer.truncated) text = text.replace(/\uFFFD+$/, '')
  const shown: JournalAnswer = { headers: redactRequestHeaders(headers) }
  if (text !== '') shown.body = answer.truncated ? redactCutJson(text) : redactBody(text)
  if (answer.truncated) shown.body_truncated = true
  return shown
}

/**
 * A body cut short, which redactBody cannot parse: URLs and token-shaped values as redactText
 * shows them, and the string values of fields named like a credential or `value` (custom headers)
 * replaced, a value cut at the end included.
 */
function redactCutJson(text: string): string {
  const fields = text.replace(/"((?:[^"\\]|\\.)*)"(\s*:\s*)"(?:[^"\\]|\\.)*("|\\?$)/g, (whole, key: string, colon: string, end: string) =>
    SECRET_KEY.test(key) || key === 'value' ? `"${key}"${colon}"${REDACTED}${end}` : whole,
  )
  return redactText(cutString(fields))
}

/** A text whose last string is cut by the bound (no closing quote) loses that string: a URL cut before its `@` would show its user info as a host. */
function cutString(text: string): string {
  let open = -1
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (open < 0) {
      if (c === '"') open = i
    } else if (c === '\\') i++
    else if (c === '"') open = -1
  }
  return open < 0 ? text : `${text.slice(0, open)}"${REDACTED}`
}
