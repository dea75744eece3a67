// Vocabulary of generated logs: fixed tables (events, receiver failures, receiver stacks) and
// tables made with faker from a fixed seed (phone numbers, receiver hosts), stored in
// vocab-table.ts so the server never loads faker (a test rebuilds them and compares). The
// vocabulary never depends on --seed: the seed only picks entries. Strings used inside JSON are
// stored pre-escaped so rows are assembled by concatenation.
import { HOSTS, PHONES } from './vocab-table.js'

/** Agent webhook event names from the docs (fact sheet §1.4), with how often calls produce them. */
export const EVENTS = [
  ['event_phone_call_started', 300],
  ['event_phone_call_ended', 300],
  ['event_phone_call_did_not_connect', 40],
  ['event_phone_call_connected', 90],
  ['event_phone_call_disconnected', 70],
  ['event_phone_call_error', 8],
  ['event_participant_joined', 25],
  ['event_participant_left', 25],
  ['event_voicemail_detected', 10],
  ['event_voicemail_message_left', 5],
  ['event_conversation_started', 60],
  ['event_conversation_ended', 60],
  ['event_action', 50],
  ['event_action_failed', 6],
  ['event_recording', 35],
  ['event_connection_established', 20],
  ['event_connection_closed', 20],
  ['event_connection_error', 4],
  ['event_user_connected', 10],
] as const

export type EventName = (typeof EVENTS)[number][0]
export const EVENT_NAMES: readonly string[] = EVENTS.map(([name]) => name)

/** `available_events` of the agent webhooks list: the docs' descriptions (the last one is cut there). */
export const EVENT_DESCRIPTIONS: Readonly<Record<EventName, string>> = {
  event_phone_call_started: 'Phone call has started',
  event_phone_call_ended: 'Phone call has ended',
  event_phone_call_did_not_connect: 'Phone call failed to connect',
  event_phone_call_connected: 'Phone call connection established',
  event_phone_call_disconnected: 'Phone call connection closed',
  event_phone_call_error: 'Phone call connection error occurred',
  event_participant_joined: 'Participant joined the call',
  event_participant_left: 'Participant left the call',
  event_voicemail_detected: 'Voicemail system detected',
  event_voicemail_message_left: 'Message left on voicemail',
  event_conversation_started: 'Human conversation started',
  event_conversation_ended: 'Human conversation ended',
  event_action: 'Agent executed an action',
  event_action_failed: 'Agent action failed',
  event_recording: 'Call recording event',
  event_connection_established: 'Call connection established',
  event_connection_closed: 'Call connection closed',
  event_connection_error: 'Call connection error occurred',
  event_user_connected: 'User connected',
}

/** Campaign webhook event names seen in the docs' campaign pages, with how often a campaign produces them. */
export const CAMPAIGN_EVENTS = [
  ['campaign_call.completed', 300],
  ['campaign_call.failed', 90],
  ['campaign.started', 2],
  ['campaign.completed', 2],
] as const
export const CAMPAIGN_EVENT_NAMES: readonly string[] = CAMPAIGN_EVENTS.map(([name]) => name)

export const EVENT_WEIGHT: ReadonlyMap<string, number> = new Map([...EVENTS, ...CAMPAIGN_EVENTS])

/** Names and URL paths of generated webhooks (the host is the receiver's, see `vocab().hosts`). */
export const WEBHOOK_NAMES = [
  'CRM sync',
  'Call analytics',
  'Slack alerts',
  'n8n workflow',
  'Zapier',
  'Billing events',
  'Data warehouse',
  'Support tickets',
  'Lead scoring',
  'HubSpot',
  'Salesforce',
  'Call summaries',
]
export const WEBHOOK_PATHS = ['/webhooks/talkover', '/api/webhooks/talkover', '/hooks/calls', '/webhook', '/v1/events', '/talkover/events']

export { FAILURE_CUMULATIVE, FAILURES, type FailureKind, type ReceiverStack, STACK_CUMULATIVE, STACKS } from './receiver-vocab.js'

/** `ended_reason` of ended calls; `ended_by_api` is the one the docs name. */
export const ENDED_REASONS = [
  'customer_ended_call',
  'customer_ended_call',
  'agent_ended_call',
  'agent_ended_call',
  'ended_by_api',
  'silence_timeout',
  'max_duration_reached',
  'transferred',
  'voicemail',
]
export const NO_CONNECT_REASONS = ['no_answer', 'no_answer', 'busy', 'invalid_number', 'rejected', 'carrier_error']
export const CALL_ERRORS = [
  'SIP 408 Request Timeout',
  'SIP 480 Temporarily Unavailable',
  'SIP 503 Service Unavailable',
  'Media stream timeout',
  'WebSocket closed unexpectedly',
]
export const ACTIONS = [
  'book_appointment',
  'transfer_call',
  'send_sms',
  'lookup_customer',
  'create_ticket',
  'schedule_callback',
  'update_crm',
  'check_availability',
]
export const ACTION_ERRORS = ['Tool request timed out', 'Tool endpoint returned HTTP 500', 'Missing required parameter: date', 'Customer not found']
export const ROLES = ['customer', 'customer', 'agent', 'human_agent']
export const CF_POPS = ['GRU', 'GIG', 'IAD', 'EWR', 'DFW', 'SJC', 'FRA', 'LHR']
export const VERCEL_REGIONS = ['gru1', 'iad1', 'sfo1', 'cle1', 'fra1']

/** Phone-number regions: calls of a webhook mostly stay in one. */
export const REGIONS = ['pt_BR', 'en_US'] as const
export type Region = (typeof REGIONS)[number]

export interface Vocab {
  /** E.164 numbers per region, each already a JSON string literal (`"+5511…"`). */
  phones: readonly (readonly string[])[]
  /** Receiver host names (for DNS errors), e.g. `hooks.example.com`. */
  hosts: readonly string[]
}

/**
 * The faker seed vocab-table.ts was built from. Changing it (or faker's output) changes bytes: a
 * breaking change.
 */
export const VOCAB_SEED = 20_240_115

let built: Vocab | undefined

/**
 * The vocabulary, made ready on first use (createWorld forces it at start-up) and then shared.
 * @example
 * vocab().phones[0][0] //=> '"+55…"'
 */
export function vocab(): Vocab {
  if (built) return built
  const phones = PHONES.map((numbers) => Object.freeze(numbers.map((n) => JSON.stringify(n))))
  built = Object.freeze({ phones: Object.freeze(phones), hosts: HOSTS })
  return built
}
