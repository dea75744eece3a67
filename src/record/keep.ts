// What an anonymised recording keeps as it was: a short allow-list of structural fields and
// enumerations (the owner's ids, event names, statuses, reasons from a known vocabulary, counts
// and durations, timestamps) and response header values with a known grammar (media types, HTTP
// dates, numbers, token lists). Everything else is replaced (anonymise.ts). Pure.
import { ACTION_ERRORS, ACTIONS, CALL_ERRORS, CAMPAIGN_EVENT_NAMES, ENDED_REASONS, EVENT_NAMES, NO_CONNECT_REASONS, ROLES } from '../world/vocab.js'

/** Ids of the recorded owner and its webhooks: the replay is reached by them, and they name no person. */
const KEPT_IDS = new Set(['agent_id', 'campaign_id', 'webhook_id'])

/** Fields whose numbers are counts, durations or codes, never a person's number. */
const KEPT_NUMBERS = new Set([
  'attempt',
  'attempts',
  'duration',
  'duration_ms',
  'duration_seconds',
  'recording_duration',
  'detected_after',
  'http_status',
  'status_code',
  'response_time',
  'max_retries',
  'timeout',
  'page',
  'per_page',
  'total',
  'count',
])

/** Fields whose value is one of a small set of words: kept when the value looks like one. */
const ENUM_KEYS = new Set([
  'event',
  'type',
  'status',
  'state',
  'result',
  'outcome',
  'reason',
  'ended_reason',
  'error',
  'error_code',
  'code',
  'participant_role',
  'role',
  'action',
  'direction',
  'channel',
  'mode',
  'disposition',
])

/** Values of the vocabularies Talkover's payloads use (world/vocab.ts): kept under any enum key. */
const KNOWN_VALUES = new Set<string>([
  ...EVENT_NAMES,
  ...CAMPAIGN_EVENT_NAMES,
  'webhook.test',
  ...ENDED_REASONS,
  ...NO_CONNECT_REASONS,
  ...CALL_ERRORS,
  ...ACTION_ERRORS,
  ...ROLES,
  ...ACTIONS,
])

/** An enumeration's word: lower case, digits, `_`, `.` or `-` between, short. */
const ENUM_WORD = /^[a-z][a-z0-9]*(?:[_.-][a-z0-9]+)*$/
/** An ISO-8601 instant with a time of day. */
const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/
const TIME_KEY = /(^|_)(at|timestamp|time)$/

/**
 * Whether a JSON value under `key` is kept as it is (true) or replaced.
 * @example
 * keepsValue('ended_reason', 'customer_ended_call') //=> true
 * keepsValue('contact_first', 'Maria') //=> false
 */
export function keepsValue(key: string, value: string | number): boolean {
  const k = key.toLowerCase()
  if (typeof value === 'number') return KEPT_NUMBERS.has(k)
  if (KEPT_IDS.has(k)) return true
  if (TIME_KEY.test(k)) return INSTANT.test(value)
  if (!ENUM_KEYS.has(k)) return false
  return KNOWN_VALUES.has(value) || (value.length <= 40 && ENUM_WORD.test(value))
}

const TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+"
const PARAM = `\\s*;\\s*${TOKEN}=(?:${TOKEN}|"[^"\\\\]*")`
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:${PARAM})*$`)
const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/
const DIGITS = /^\d{1,15}$/
/** A comma-separated list of tokens, each maybe `=token` or `="quoted"` (cache-control, vary, encodings…). */
const TOKEN_LIST = new RegExp(`^${TOKEN}(?:=(?:${TOKEN}|"[^"\\\\]*"))?(?:\\s*[,;]\\s*${TOKEN}(?:=(?:${TOKEN}|"[^"\\\\]*"))?)*$`)

/** Response headers with a known grammar, and the grammar their value must match to be kept. */
const HEADER_GRAMMAR: Record<string, (v: string) => boolean> = {
  'content-type': (v) => MEDIA_TYPE.test(v),
  'content-length': (v) => DIGITS.test(v),
  age: (v) => DIGITS.test(v),
  'retry-after': (v) => DIGITS.test(v) || HTTP_DATE.test(v),
  date: (v) => HTTP_DATE.test(v),
  expires: (v) => HTTP_DATE.test(v) || v === '0' || v === '-1',
  'last-modified': (v) => HTTP_DATE.test(v),
  'cache-control': (v) => TOKEN_LIST.test(v),
  pragma: (v) => TOKEN_LIST.test(v),
  vary: (v) => TOKEN_LIST.test(v),
  connection: (v) => TOKEN_LIST.test(v),
  'keep-alive': (v) => TOKEN_LIST.test(v),
  'content-encoding': (v) => TOKEN_LIST.test(v),
  'transfer-encoding': (v) => TOKEN_LIST.test(v),
  'accept-ranges': (v) => TOKEN_LIST.test(v),
  'x-content-type-options': (v) => TOKEN_LIST.test(v),
  'strict-transport-security': (v) => TOKEN_LIST.test(v),
  'x-ratelimit-limit': (v) => DIGITS.test(v),
  'x-ratelimit-remaining': (v) => DIGITS.test(v),
  'x-ratelimit-reset': (v) => DIGITS.test(v),
}

/**
 * Whether a response header's value is kept: its name has a known grammar and the value matches it.
 * @example
 * keepsHeader('content-type', 'application/json; charset=utf-8') //=> true
 * keepsHeader('server', 'acme-edge-7') //=> false
 */
export function keepsHeader(name: string, value: string): boolean {
  return HEADER_GRAMMAR[name.toLowerCase()]?.(value) ?? false
}

/** Header values that are URLs (replaced by fake URLs of the same shape). */
export const URL_HEADERS = new Set(['location', 'content-location', 'link', 'refresh'])

/** Plain-text answers that say nothing about anyone: kept. */
const ACKNOWLEDGEMENTS = /^(?:ok|okay|accepted|received|success|done|true|false|thanks|thank you|no content|created)\.?$/i

/**
 * Whether a plain-text response body is kept as it is.
 * @example
 * keepsText('OK') //=> true
 */
export function keepsText(text: string): boolean {
  return text.trim() === '' || ACKNOWLEDGEMENTS.test(text.trim())
}
