// The message of a failed request-count assertion: what was expected, how many matched, and the
// journal entries closest to the filter with the fields in which each differs (WireMock's near
// misses). Pure.
import type { components } from '../http/openapi-types.js'

type MockRequest = components['schemas']['MockRequest']

/** What to look for in the journal: every given field must match (`GET /__mock/requests`'s filters). */
export interface RequestMatch {
  method?: string
  /** The exact path, no query. */
  path?: string
  path_prefix?: string
  status?: number
  session?: string
  /** Requests that arrived at or after this instant. */
  since?: string | Date
}

/** How many near misses a failure message lists. */
export const CLOSEST_SHOWN = 3

/** How many matching requests a failure message lists (newest first). */
export const MATCHED_SHOWN = 5

/**
 * The fields of `match` an entry does not satisfy, each as `field: wanted X, was Y`.
 * @example
 * differences({ method: 'POST', path: '/a' }, entry) //=> ['method: wanted POST, was GET']
 */
export function differences(match: RequestMatch, entry: MockRequest): string[] {
  const out: string[] = []
  if (match.method !== undefined && entry.method !== match.method.toUpperCase()) out.push(`method: wanted ${match.method.toUpperCase()}, was ${entry.method}`)
  if (match.path !== undefined && entry.path !== match.path) out.push(`path: wanted ${match.path}, was ${entry.path}`)
  if (match.path_prefix !== undefined && !entry.path.startsWith(match.path_prefix)) out.push(`path_prefix: wanted ${match.path_prefix}…, was ${entry.path}`)
  if (match.status !== undefined && entry.status !== match.status) out.push(`status: wanted ${match.status}, was ${entry.status ?? 'no response'}`)
  if (match.session !== undefined && entry.session !== match.session) out.push(`session: wanted ${match.session}, was ${entry.session ?? 'none'}`)
  if (match.since !== undefined && Date.parse(entry.time) < new Date(match.since).getTime())
    out.push(`since: wanted ${new Date(match.since).toISOString()}, was ${entry.time}`)
  return out
}

/**
 * The readable failure of "expected n requests matching `match`": the entries that matched (when
 * some did, but not n) and the closest entries of `journal` that did not, with how each differs.
 * @example
 * countMessage({ method: 'POST', path: '/x' }, 2, 1, journal)
 * //=> 'Expected 2 requests matching POST /x, found 1.\nRequests that matched:\n  #3 POST /x → 201\nClosest requests in the journal: …'
 */
export function countMessage(match: RequestMatch, expected: number, found: number, journal: readonly MockRequest[]): string {
  const head = `Expected ${expected} request${expected === 1 ? '' : 's'} matching ${describeMatch(match)}, found ${found}.`
  if (journal.length === 0) return `${head}\nThe journal is empty: no request reached the mock${match.session ? ` in session ${match.session}` : ''}.`
  const judged = journal.map((entry) => ({ entry, diff: differences(match, entry) }))
  const matched = judged.filter(({ diff }) => diff.length === 0).slice(0, MATCHED_SHOWN)
  const misses = judged
    .filter(({ diff }) => diff.length > 0)
    .sort((a, b) => a.diff.length - b.diff.length || b.entry.seq - a.entry.seq)
    .slice(0, CLOSEST_SHOWN)
  const lines = [head]
  if (matched.length > 0) lines.push('Requests that matched:', ...matched.map(({ entry }) => `  #${entry.seq} ${showRequest(entry)}`))
  if (misses.length > 0)
    lines.push('Closest requests in the journal:', ...misses.map(({ entry, diff }) => `  #${entry.seq} ${showRequest(entry)} (${diff.join('; ')})`))
  return lines.join('\n')
}

/** A filter in words: `POST /api/v1/… status 200 in session s1`. */
export function describeMatch(match: RequestMatch): string {
  const parts = [
    match.method?.toUpperCase() ?? 'any method',
    match.path ?? (match.path_prefix !== undefined ? `${match.path_prefix}…` : 'any path'),
    match.status !== undefined && `status ${match.status}`,
    match.session !== undefined && `in session ${match.session}`,
    match.since !== undefined && `since ${new Date(match.since).toISOString()}`,
  ]
  return parts.filter(Boolean).join(' ')
}

const showRequest = (e: MockRequest) =>
  `${e.method} ${e.path}${e.query ? `?${e.query}` : ''} → ${e.status ?? 'no response'}${e.session ? ` [session ${e.session}]` : ''}`
