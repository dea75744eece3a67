// A recorded row's `error` as an anonymised recording keeps it: a known error text (the generated
// logs' vocabulary, the live sender's words, an HTTP reason phrase) stays; a known template keeps
// its words with its host or URL faked (`Could not resolve host: …`, Guzzle's `Client error: `POST
// …` resulted in a `404 Not Found` response`); any other text, which may name anyone, becomes the
// known error text of its class (the status's reason phrase, a timeout, a refused connection…). Pure.
import { STATUS_CODES } from 'node:http'
import { ACTION_ERRORS, CALL_ERRORS, FAILURES } from '../world/vocab.js'

/** Error texts kept as they are. */
const KNOWN = new Set<string>([
  ...FAILURES.map((f) => f.error).filter((e) => !e.includes('{')),
  ...CALL_ERRORS,
  ...ACTION_ERRORS,
  ...Object.values(STATUS_CODES).filter((p): p is string => p !== undefined),
  'No route to host',
  'Connection failed',
  'SSL connect error: the receiver did not answer TLS (is it serving https?)',
])

const TIMEOUT = /^Connection timed out after \d+(?:\.\d+)? (?:seconds|milliseconds|ms)$/
const RESOLVE = /^Could not resolve host: (\S+)$/
const CONNECT = /^Failed to connect to (\S+) port (\d{1,5})(?: after \d+ ms)?: (Connection refused|Connection timed out|No route to host)$/
const GUZZLE = /^(Client|Server) error: `([A-Z]{3,7}) (\S+)` resulted in a `(\d{3}) [^`]*` response/

/** Fakes of the parts a template keeps: a host and a URL (the anonymiser's, so they join). */
export interface ErrorParts {
  host: (original: string) => string
  url: (original: string) => string
}

/**
 * The error text a recording keeps for `text` on a row answered with `httpStatus` (if any).
 * @example
 * errorText('Could not resolve host: hooks.acme.io', undefined, parts) //=> 'Could not resolve host: thunderbolt-ief4v.example.com'
 * errorText('Server error at /hooks/SECRET for Maria', 500, parts) //=> 'Internal Server Error'
 */
export function errorText(text: string, httpStatus: unknown, parts: ErrorParts): string {
  const t = text.trim()
  if (KNOWN.has(t) || TIMEOUT.test(t)) return t
  let m = RESOLVE.exec(t)
  if (m) return `Could not resolve host: ${parts.host(m[1])}`
  m = CONNECT.exec(t)
  if (m) return `Failed to connect to ${parts.host(m[1])} port ${m[2]}: ${m[3]}`
  m = GUZZLE.exec(t)
  const phrase = (code: string) => STATUS_CODES[Number(code)] ?? 'Unknown Status'
  // Guzzle appends the start of the receiver's answer after "response:"; it is not kept.
  if (m) return `${m[1]} error: \`${m[2]} ${parts.url(m[3])}\` resulted in a \`${m[4]} ${phrase(m[4])}\` response`
  return classOf(t, httpStatus)
}

/** The known error text of the class a text belongs to. */
function classOf(text: string, httpStatus: unknown): string {
  if (typeof httpStatus === 'number' && STATUS_CODES[httpStatus]) return STATUS_CODES[httpStatus]!
  if (/tim(?:ed?|ing) ?out|ETIMEDOUT/i.test(text)) return 'Connection timed out'
  if (/refused|ECONNREFUSED/i.test(text)) return 'Connection refused'
  if (/reset|EPIPE|ECONNRESET/i.test(text)) return 'Connection reset by peer'
  if (/resolve|ENOTFOUND|EAI_AGAIN|dns/i.test(text)) return 'Could not resolve host'
  if (/ssl|tls|certificate/i.test(text)) return 'SSL certificate problem'
  if (/unreachable|no route/i.test(text)) return 'No route to host'
  return 'Connection failed'
}
