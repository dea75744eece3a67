// How much of a request one journal entry keeps, and what the whole journal may hold, so memory
// stays bounded whatever clients send: a body is redacted first and then cut to its share, an
// entry's headers are kept by reference when small and as a bounded copy (names, and the values
// that are shown) when not, and the journal drops its oldest entries past a byte budget. Pure.
import { REDACTED } from '../http/redact.js'
import { isShownHeader, showBody } from '../http/redact-request.js'
import { boundBody } from './bound-body.js'
import type { HeaderSource, StoredEntry } from './requests.js'

/** Bytes of a request body the journal keeps (8 KiB); a longer body is cut and marked `body_truncated`. */
export const JOURNAL_BODY_BYTES = 8192

/** Bytes all journaled bodies may hold together (16 MiB): past --journal-size 2048 each entry keeps its share. */
export const JOURNAL_BODIES_BYTES = 16 * 1024 * 1024

/**
 * Bytes the bodies of the mock's answers keep together (4 MiB, written round and round,
 * answer-bytes.ts): the newest answers' bodies, at least 511 of the 8 KiB an entry keeps at most;
 * an older entry shows its answer's headers and `body_dropped`.
 */
export const JOURNAL_ANSWER_BYTES = 4 * 1024 * 1024

/** Bytes of header names and shown values one entry keeps (4 KiB); past it the rest is dropped and marked `headers_truncated`. */
export const JOURNAL_HEADER_BYTES = 4096

/** Headers one entry keeps at most. */
export const JOURNAL_HEADER_COUNT = 64

/** Bytes the journal's entries may hold together besides their bodies (32 MiB): past it the oldest are dropped. */
export const JOURNAL_BYTES = 32 * 1024 * 1024

/** What an entry is counted as besides its path, query and headers: its fields and bookkeeping. */
const ENTRY_OVERHEAD = 256

/**
 * Bytes of a body one entry keeps in a journal of `capacity` entries.
 * @example
 * bodyShare(1000) //=> 8192
 * bodyShare(100000) //=> 167
 */
export const bodyShare = (capacity: number): number => Math.min(JOURNAL_BODY_BYTES, Math.floor(JOURNAL_BODIES_BYTES / Math.max(1, capacity)))

/**
 * The body the journal keeps: redacted whole (http/redact-request's showBody), then its first `max` bytes (whole characters).
 * @example
 * keptBody('{"token":"s"}', 'application/json', 8192) //=> { body: '{"token":"[redacted]"}' }
 */
export function keptBody(text: string, contentType: string | undefined, max: number): { body: string; body_truncated?: true } {
  return boundBody(showBody(text, contentType), max)
}

/**
 * The headers an entry keeps: the request's own list when it is within the bounds (no copy on the
 * hot path), otherwise a copy of the first headers that fit, each with its name and, unless the
 * header is shown, `[redacted]` instead of its value (a value nobody sees is never kept).
 * @example
 * keptHeaders(incoming.rawHeaders) //=> { headers: incoming.rawHeaders }
 */
export function keptHeaders(source: HeaderSource): { headers: HeaderSource; truncated?: true } {
  const pairs = source instanceof Headers ? [...source].flat() : source
  if (pairs.length <= 2 * JOURNAL_HEADER_COUNT && textBytes(pairs) <= JOURNAL_HEADER_BYTES) return { headers: source }
  const kept: string[] = []
  let bytes = 0
  let truncated = false
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const value = isShownHeader(pairs[i]) ? pairs[i + 1] : REDACTED
    const size = pairs[i].length + value.length
    if (kept.length >= 2 * JOURNAL_HEADER_COUNT || bytes + size > JOURNAL_HEADER_BYTES) truncated = true
    else {
      kept.push(pairs[i], value)
      bytes += size
    }
  }
  return truncated ? { headers: kept, truncated: true } : { headers: kept }
}

/**
 * What an entry counts against JOURNAL_BYTES: its path, query and kept headers plus its fields.
 * @example
 * createJournal<StoredEntry>(1000, { maxBytes: JOURNAL_BYTES, weigh: entryBytes })
 */
export function entryBytes(entry: StoredEntry): number {
  const headers = entry.headers === undefined ? 0 : entry.headers instanceof Headers ? textBytes([...entry.headers].flat()) : textBytes(entry.headers)
  return ENTRY_OVERHEAD + entry.path.length + entry.query.length + headers
}

function textBytes(texts: readonly string[]): number {
  let n = 0
  for (const text of texts) n += text.length
  return n
}
