// The constant byte runs generated rows are made of, encoded once instead of per row: the pieces
// between a row's varying slots (ids, numbers, times, draws) for each status, receiver stack,
// event name and phone number, and the pieces that hold a profile's own ids and error texts
// (memoised per profile object, made on first use). log-json.ts and payloads.ts copy them.
import { jsonString, utf8 } from '../encode/json-text.js'
import { ACTION_ERRORS, ACTIONS, CALL_ERRORS, ENDED_REASONS, FAILURES, NO_CONNECT_REASONS, ROLES, STACKS, vocab } from './vocab.js'
import type { WebhookProfile } from './model.js'

/** `{"id":"` opens a row. */
export const ROW_OPEN = utf8('{"id":"')
export const PENDING_RUN = utf8(',"status":"pending","request_payload":{"call_id":"')
/** Closes a pending row's payload and opens its created_at. */
export const PENDING_END_RUN = utf8('"},"created_at":"')
export const FAILED_RUN = utf8(',"status":"failed"')
export const RETRYING_RUN = utf8(',"status":"retrying"')
export const DELIVERED_RUN = utf8(',"delivered_at":"')
/** Closes delivered_at and opens created_at. */
export const DELIVERED_END_RUN = utf8('","created_at":"')
export const CREATED_RUN = utf8(',"created_at":"')
/** `"}` closes the timestamp that ends a row or a payload. */
export const CLOSE_RUN = utf8('"}')
export const CALL_ID_RUN = utf8('{"call_id":"')
export const TIMESTAMP_RUN = utf8(',"timestamp":"')

/** Each value of a vocabulary as a run that closes its JSON string: `value"`. */
const closed = (values: readonly string[]) => values.map((v) => utf8(`${v}"`))

/** Keys and values of a payload's event details (payloads.ts); value runs close their string. */
export const DETAIL = {
  duration: utf8(',"duration":'),
  endedReason: utf8(',"ended_reason":"'),
  endedReasons: closed(ENDED_REASONS),
  reason: utf8(',"reason":"'),
  noConnect: closed(NO_CONNECT_REASONS),
  error: utf8(',"error":"'),
  callErrors: closed(CALL_ERRORS),
  actionErrors: closed(ACTION_ERRORS),
  role: utf8(',"participant_role":"'),
  roles: closed(ROLES),
  detectedAfter: utf8(',"detected_after":'),
  action: utf8(',"action":"'),
  actions: closed(ACTIONS),
  completed: utf8(',"status":"completed"'),
  recording: utf8(',"recording_id":"'),
  recordingDuration: utf8('","duration":'),
}

/** Per receiver stack: `,"status":"success","http_status":200,"request_payload":{"call_id":"`. */
export const SUCCESS_RUNS = STACKS.map((s) => utf8(`,"status":"success","http_status":${s.status},"request_payload":{"call_id":"`))

/** A profile's own runs. Event and failure runs are made when a row first needs them. */
export interface RowRuns {
  /** `","webhook_id":<id>,"event":` */
  webhook: Uint8Array
  /** `","agent_id":<id>,"from":` (an inbound call: the customer's number follows) */
  agent: Uint8Array
  /** `,"to":<agent's phone>` (ends an inbound call's numbers) */
  toAgent: Uint8Array
  /** `","agent_id":<id>,"from":<agent's phone>,"to":` (an outbound call: the customer's number follows) */
  agentToCustomer: Uint8Array
  /** Per index of profile.events: `"<event>","attempt":`. */
  events: (Uint8Array | undefined)[]
  /** Per failure kind: `,"http_status":502,"error":"<text>","duration_ms":` (no http_status without an answer). */
  failures: (Uint8Array | undefined)[]
}

const memo = new WeakMap<WebhookProfile, RowRuns>()

// Runs that depend only on a text many profiles share (an agent, a phone, an event, an error),
// kept across profiles so a new webhook encodes only its own id. Bounded: full, they start over.
const agentRuns = new Map<string, Uint8Array>()
const toAgentRuns = new Map<string, Uint8Array>()
const outboundRuns = new Map<string, Uint8Array>()
const eventRuns = new Map<string, Uint8Array>()
const failureRuns = FAILURES.map(() => new Map<string, Uint8Array>())

function shared(map: Map<string, Uint8Array>, key: string, text: (key: string) => string): Uint8Array {
  let run = map.get(key)
  if (run === undefined) {
    if (map.size >= 1024) map.clear()
    map.set(key, (run = utf8(text(key))))
  }
  return run
}

const agentText = (json: string) => `","agent_id":${json},"from":`
const toAgentText = (phone: string) => `,"to":${phone}`
// Keyed by the agent's JSON id, U+0000 and its phone: JSON.stringify never leaves a raw U+0000.
const outboundText = (key: string) => {
  const [json, phone] = key.split('\u0000')
  return `","agent_id":${json},"from":${phone},"to":`
}
const eventText = (name: string) => `${jsonString(name)},"attempt":`

/**
 * The runs of a profile's rows (memoised per profile object).
 * @example
 * rowRuns(profile).webhook //=> bytes of '","webhook_id":"webhook-uuid","event":'
 */
export function rowRuns(p: WebhookProfile): RowRuns {
  let runs = memo.get(p)
  if (runs === undefined) {
    runs = {
      webhook: utf8(`","webhook_id":${jsonString(p.webhookId)},"event":`),
      agent: shared(agentRuns, p.agentIdJson, agentText),
      toAgent: shared(toAgentRuns, p.agentPhone, toAgentText),
      agentToCustomer: shared(outboundRuns, `${p.agentIdJson}\u0000${p.agentPhone}`, outboundText),
      events: [],
      failures: [],
    }
    memo.set(p, runs)
  }
  return runs
}

/** `"<event>","attempt":` for event `index` of the profile. */
export function eventRun(runs: RowRuns, p: WebhookProfile, index: number): Uint8Array {
  return (runs.events[index] ??= shared(eventRuns, p.events[index], eventText))
}

/** The run of a failed or retrying row after its status, up to its duration. */
export function failureRun(runs: RowRuns, p: WebhookProfile, kind: number): Uint8Array {
  let run = runs.failures[kind]
  if (run === undefined) {
    const http = FAILURES[kind].http
    const status = http === undefined ? '' : `,"http_status":${http}`
    const text = (error: string) => `${status},"error":${jsonString(error)},"duration_ms":`
    run = runs.failures[kind] = shared(failureRuns[kind], p.errorTexts[kind], text)
  }
  return run
}

let vocabPhoneRuns: (Uint8Array | undefined)[][] | undefined

/** Phone number `i` of region `region` (vocab().phones) as a run, made on first use. */
export function phoneRun(region: number, i: number): Uint8Array {
  vocabPhoneRuns ??= vocab().phones.map(() => [])
  return (vocabPhoneRuns[region][i] ??= utf8(vocab().phones[region][i]))
}
