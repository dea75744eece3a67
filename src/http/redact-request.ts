// What the mock shows of a request's headers and body (the journal, and through it the dashboard's
// request detail; the deliveries view of the requests the mock sent). Headers by an allow-list:
// a header not listed keeps its name and shows [redacted]. Bodies are redacted by field name
// before anything cuts them: JSON keeps its shape, a form its pairs, and any other body is
// described by its type and size, never shown. Part of http/redact's one redaction helper. Pure.
import { REDACTED, SECRET_KEY, redactTokens, redactUrl } from './redact.js'

/**
 * Request headers whose values are shown (lower-case): framing and content negotiation, the
 * mock's own control headers and, on the requests the mock sends, the Standard Webhooks headers
 * (a signature only proves that body; it cannot sign another). Every other value is [redacted].
 */
export const SHOWN_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'connection',
  'content-encoding',
  'content-length',
  'content-type',
  'host',
  'idempotency-key',
  'origin',
  'pragma',
  'transfer-encoding',
  'user-agent',
  'x-mock-dashboard',
  'x-mock-error-rate',
  'x-mock-fault',
  'x-mock-latency',
  'x-mock-now',
  'x-mock-retry-outcome',
  'x-mock-seed',
  'x-mock-session',
  'x-mock-status',
  'webhook-event',
  'webhook-id',
  'webhook-signature',
  'webhook-timestamp',
])

/** Whether a header's value may be shown (any case). */
export const isShownHeader = (name: string): boolean => SHOWN_HEADERS.has(name.toLowerCase())

/**
 * Headers as they may be shown: the values of allow-listed headers (token-shaped values removed),
 * `[redacted]` for every other, and for the `secret` names (a webhook's custom headers) even when listed.
 * @example
 * showHeaders({ 'content-type': 'application/json', 'x-auth': 's' }) //=> { 'content-type': 'application/json', 'x-auth': '[redacted]' }
 */
export function showHeaders(headers: Record<string, string>, secret: Iterable<string> = []): Record<string, string> {
  const hidden = new Set([...secret].map((name) => name.toLowerCase()))
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    out[redactTokens(name).text] = isShownHeader(name) && !hidden.has(name.toLowerCase()) ? redactTokens(value).text : REDACTED
  }
  return out
}

/**
 * Answer headers whose values are shown (lower-case): the ones the mock itself sends — framing,
 * CORS, rate limits, Retry-After, Allow, WWW-Authenticate's realm, its X-Mock-* headers. Any other
 * (Set-Cookie, a replayed recording's header) shows [redacted].
 */
export const SHOWN_ANSWER_HEADERS: ReadonlySet<string> = new Set([
  ...SHOWN_HEADERS,
  'access-control-allow-credentials',
  'access-control-allow-headers',
  'access-control-allow-methods',
  'access-control-allow-origin',
  'access-control-expose-headers',
  'access-control-max-age',
  'allow',
  'date',
  'etag',
  'last-modified',
  'location',
  'retry-after',
  'vary',
  'www-authenticate',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
])

/**
 * The mock's answer headers as they may be shown: allow-listed values (token-shaped values removed), `[redacted]` for every other.
 * @example
 * showAnswerHeaders({ 'x-ratelimit-remaining': '99', 'set-cookie': 's=1' }) //=> { 'x-ratelimit-remaining': '99', 'set-cookie': '[redacted]' }
 */
export function showAnswerHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    out[redactTokens(name).text] =
      SHOWN_ANSWER_HEADERS.has(name.toLowerCase()) || name.toLowerCase().startsWith('x-mock-') ? redactTokens(value).text : REDACTED
  }
  return out
}

/**
 * A request body as it may be shown, whole (cut it after, never before). A JSON object or array
 * keeps its shape with the values of credential-named fields (`webhook_secret`, `token`,
 * `password`, `api_key`, …), everything under a field named like `custom_headers` (any field whose
 * name contains `headers`) but its `key`s, and anything nested
 * deeper than 32 levels replaced; an
 * `application/x-www-form-urlencoded` body the same by field name; any other body (multipart,
 * text, XML, JSON that does not parse) is only described: `[N bytes of text/plain, not shown]`.
 * @example
 * showBody('{"webhook_secret":"s","name":"n"}', 'application/json') //=> '{"webhook_secret":"[redacted]","name":"n"}'
 * showBody('secret=s&name=n', 'application/x-www-form-urlencoded') //=> 'secret=[redacted]&name=n'
 * showBody('--b\r\n…', 'multipart/form-data; boundary=b') //=> '[123 bytes of multipart/form-data, not shown]'
 */
export function showBody(text: string, contentType: string | undefined): string {
  if (text === '') return text
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase()
  if (type === 'application/x-www-form-urlencoded') return showForm(text)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  if (parsed !== null && typeof parsed === 'object') return JSON.stringify(showJson(parsed))
  const named = /^[a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,64}$/.test(type) ? type : 'an unnamed type'
  return `[${Buffer.byteLength(text)} bytes of ${named}, not shown]`
}

/** A string value: a URL as redactUrl shows it, any other text without token-shaped values. */
const showString = (value: string) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? redactUrl(value) : redactTokens(value).text)

/** Fields holding header values (`custom_headers`, `customHeaders`, `headers`): only their names are shown. */
const HEADERS_KEY = /headers/i

/** How deep a JSON body is shown; anything deeper is [redacted] (and the walk stays off the stack's limit). */
const MAX_DEPTH = 32

function showJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return showString(value)
  if (value === null || typeof value !== 'object') return value
  if (depth >= MAX_DEPTH) return REDACTED
  if (Array.isArray(value)) return value.map((item) => showJson(item, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : HEADERS_KEY.test(key) ? showCustomHeaders(item) : showJson(item, depth + 1)
  }
  return out
}

/** custom_headers of any shape: the `key` of each `{key, value}` item is shown, nothing else. */
function showCustomHeaders(value: unknown): unknown {
  if (value === null) return value
  if (!Array.isArray(value)) {
    if (typeof value !== 'object') return REDACTED
    return Object.fromEntries(Object.keys(value).map((name) => [redactTokens(name).text, REDACTED]))
  }
  return value.map((item) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return REDACTED
    return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, k === 'key' && typeof v === 'string' ? redactTokens(v).text : REDACTED]))
  })
}

/** A field name as PHP reads one (`custom_headers[0][key]`); anything else in a name's place is not shown. */
const FORM_NAME = /^[\w.\- [\]]{1,128}$/

/**
 * A form body: pairs kept in order, the values of credential-named fields and of custom headers
 * (but their keys) replaced. A pair without `=` or whose name is not a field name (JSON sent as a
 * form, say) is shown as [redacted] whole.
 */
function showForm(text: string): string {
  return text
    .split('&')
    .map((pair) => {
      if (pair === '') return pair
      const eq = pair.indexOf('=')
      const rawName = pair.slice(0, Math.max(eq, 0))
      const name = decodeForm(rawName)
      if (eq < 0 || !FORM_NAME.test(name)) return REDACTED
      const shownName = redactTokens(rawName).text
      const rawValue = pair.slice(eq + 1)
      const hidden = SECRET_KEY.test(name) || (HEADERS_KEY.test(name) && !/\[key\]$/.test(name))
      if (hidden) return `${shownName}=${REDACTED}`
      const value = decodeForm(rawValue)
      const shown = showString(value)
      return `${shownName}=${shown === value ? rawValue : shown}`
    })
    .join('&')
}

function decodeForm(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}
