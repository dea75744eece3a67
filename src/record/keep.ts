// What an anonymised recording keeps as it was: a short allow-list of structural fields and
// enumerations (the owner's ids, event names, statuses, reasons from a known vocabulary, small
// counts and durations, the delivery's own timestamps) and object keys that are plain identifiers.
// Everything else is replaced (anonymise.ts); header values are kept-header.ts's. Pure.
import { ACTION_ERRORS, ACTIONS, CALL_ERRORS, CAMPAIGN_EVENT_NAMES, ENDED_REASONS, EVENT_NAMES, NO_CONNECT_REASONS, ROLES } from '../world/vocab.js'

/** Ids of the recorded owner and its webhooks: the replay is reached by them, and they name no person. */
const KEPT_IDS = new Set(['agent_id', 'campaign_id', 'webhook_id'])

/** Fields whose numbers are counts, durations or codes, never a person's number (below MAX_KEPT_NUMBER). */
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
/** A kept count stays below this: a larger integer may be a phone or account number. */
const MAX_KEPT_NUMBER = 10_000_000

/** Fields whose value is one of a small set of words: kept only when the word is a known one. */
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

/** Enumeration values Talkover's payloads and common webhook bodies use, beyond world/vocab.ts. */
const STRUCTURAL_VALUES = [
  // Delivery and call statuses.
  'success',
  'failed',
  'retrying',
  'pending',
  'queued',
  'delivered',
  'completed',
  'in_progress',
  'ringing',
  'answered',
  'ended',
  'canceled',
  'cancelled',
  'active',
  'inactive',
  'disabled',
  'enabled',
  'error',
  'ok',
  'started',
  'connected',
  'disconnected',
  // Directions, channels, roles.
  'inbound',
  'outbound',
  'phone',
  'web',
  'sms',
  'voice',
  'chat',
  'user',
  'assistant',
  'system',
  'bot',
  'tool',
  'human',
]

/** Values kept under any enum key: the vocabularies of world/vocab.ts and the structural words above. */
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
  ...STRUCTURAL_VALUES,
])

/** An ISO-8601 instant with a time of day. */
const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/
/** The time fields of a delivery or a call: their instants say when it happened, not who it was. */
const KEPT_TIMES = new Set([
  'timestamp',
  'created_at',
  'updated_at',
  'delivered_at',
  'queued_at',
  'sent_at',
  'received_at',
  'started_at',
  'ended_at',
  'answered_at',
  'connected_at',
  'completed_at',
  'failed_at',
])

/**
 * Whether a JSON value under `key` is kept as it is (true) or replaced.
 * @example
 * keepsValue('ended_reason', 'customer_ended_call') //=> true
 * keepsValue('status', 'maria.garcia') //=> false
 * keepsValue('total', 15551239999) //=> false
 */
export function keepsValue(key: string, value: string | number): boolean {
  const k = key.toLowerCase()
  if (typeof value === 'number') return KEPT_NUMBERS.has(k) && Math.abs(value) < MAX_KEPT_NUMBER
  if (KEPT_IDS.has(k)) return true
  if (KEPT_TIMES.has(k)) return INSTANT.test(value)
  return ENUM_KEYS.has(k) && KNOWN_VALUES.has(value)
}

/** An object key kept as it is: a plain identifier. Any other key (an e-mail, a number, a name) is replaced. */
const PLAIN_KEY = /^[a-z][a-z0-9_]{0,63}$/i

/**
 * Whether an object's key is kept as it is.
 * @example
 * keepsKey('contact_first') //=> true
 * keepsKey('maria.garcia@acme-corp.com') //=> false
 */
export function keepsKey(key: string): boolean {
  return PLAIN_KEY.test(key)
}

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
