// The request_payload of a delivery: what Talkover POSTed to the receiver for one event. Every
// attempt of a delivery sends the same payload, so it is a function of the delivery's seed alone.
import { capture, type ByteWriter } from '../encode/json-writer.js'
import { Rng, mix } from '../encode/random.js'
import { writeUuid } from './ids.js'
import { writeTimestamp } from './time.js'
import { CALL_ID_RUN, CLOSE_RUN, DETAIL, phoneRun, rowRuns, TIMESTAMP_RUN, type RowRuns } from './row-runs.js'
import { vocab } from './vocab.js'
import type { WebhookProfile } from './model.js'

export interface Delivery {
  event: string
  /** request_payload as JSON text. */
  payloadJson: string
}

/**
 * The event and payload of the delivery with seed `seed`, whose first attempt was made at
 * `firstAttemptAt` (epoch s). Pinned rows pass their own `event`.
 * @example
 * deliveryPayload(profile, 7, 1705316400)
 * //=> { event: 'event_phone_call_ended', payloadJson: '{"call_id":"…","agent_id":"agent-uuid","from":"+55…","to":"+55…","duration":45,"ended_reason":"ended_by_api","timestamp":"…"}' }
 */
export function deliveryPayload(profile: WebhookProfile, seed: number, firstAttemptAt: number, event?: string): Delivery {
  let name = ''
  const payloadJson = capture((w) => (name = writePayload(w, profile, seed, firstAttemptAt, event)))
  return { event: name, payloadJson }
}

/**
 * Restarts `rng` as the generator of the delivery with seed `seed` and makes its first draw, the
 * event: returns the event's index in profile.events. writePayloadInside continues from there.
 * @example
 * profile.events[openDelivery(profile, new Rng(0), 7)] //=> 'event_phone_call_ended'
 */
export function openDelivery(profile: WebhookProfile, rng: Rng, seed: number): number {
  return rng.reseed(mix(seed, 0x9a10ad)).weighted(profile.eventCumulative)
}

const scratch = new Rng(0)

/**
 * The event of the delivery with seed `seed`, without its payload (failed attempts show none).
 * @example
 * deliveryEvent(profile, 7) //=> 'event_phone_call_ended'
 */
export function deliveryEvent(profile: WebhookProfile, seed: number): string {
  return profile.events[openDelivery(profile, scratch, seed)]
}

/**
 * Writes the request_payload of a delivery (see deliveryPayload) and returns its event.
 * @example
 * writePayload(w, profile, 7, 1705316400) //=> 'event_phone_call_ended'
 */
export function writePayload(w: ByteWriter, profile: WebhookProfile, seed: number, firstAttemptAt: number, event?: string): string {
  const drawn = openDelivery(profile, scratch, seed)
  const name = event ?? profile.events[drawn]
  w.bytes(CALL_ID_RUN)
  writePayloadInside(w, profile, rowRuns(profile), scratch, name, firstAttemptAt)
  w.bytes(CLOSE_RUN)
  return name
}

/**
 * Writes the request_payload of a delivery whose generator openDelivery() started (the rest of its
 * draws, in the order writePayload always made them), without its opening `{"call_id":"` and its
 * closing `"}`: callers write those as part of their own runs.
 */
export function writePayloadInside(w: ByteWriter, profile: WebhookProfile, runs: RowRuns, rng: Rng, name: string, firstAttemptAt: number): void {
  const c0 = rng.uint32()
  const c1 = rng.uint32()
  const c2 = rng.uint32()
  const c3 = rng.uint32()
  const region = rng.chance(0.9) ? profile.region : 1 - profile.region
  const customer = phoneRun(region, rng.int(vocab().phones[region].length))
  const inbound = rng.chance(0.45)
  const at = firstAttemptAt - rng.int(3)
  writeUuid(w, c0, c1, c2, c3)
  if (inbound) {
    w.bytes(runs.agent)
    w.bytes(customer)
    w.bytes(runs.toAgent)
  } else {
    w.bytes(runs.agentToCustomer)
    w.bytes(customer)
  }
  details(w, name, rng)
  w.bytes(TIMESTAMP_RUN)
  writeTimestamp(w, at)
}

/** Call length in seconds: mostly short, with a tail of long calls. */
function callSeconds(rng: Rng): number {
  return rng.chance(0.8) ? 8 + rng.int(240) : 240 + rng.int(1500)
}

function details(w: ByteWriter, event: string, rng: Rng): void {
  switch (event) {
    case 'event_phone_call_ended':
      w.bytes(DETAIL.duration)
      w.uint(callSeconds(rng))
      return picked(w, DETAIL.endedReason, DETAIL.endedReasons, rng)
    case 'event_conversation_ended':
    case 'event_phone_call_disconnected':
    case 'event_connection_closed':
    case 'event_voicemail_message_left':
      w.bytes(DETAIL.duration)
      return w.uint(callSeconds(rng))
    case 'event_phone_call_did_not_connect':
      return picked(w, DETAIL.reason, DETAIL.noConnect, rng)
    case 'event_phone_call_error':
    case 'event_connection_error':
      return picked(w, DETAIL.error, DETAIL.callErrors, rng)
    case 'event_participant_joined':
    case 'event_participant_left':
      return picked(w, DETAIL.role, DETAIL.roles, rng)
    case 'event_voicemail_detected':
      w.bytes(DETAIL.detectedAfter)
      return w.uint(2 + rng.int(20))
    case 'event_action':
      picked(w, DETAIL.action, DETAIL.actions, rng)
      return w.bytes(DETAIL.completed)
    case 'event_action_failed':
      picked(w, DETAIL.action, DETAIL.actions, rng)
      return picked(w, DETAIL.error, DETAIL.actionErrors, rng)
    case 'event_recording':
      w.bytes(DETAIL.recording)
      writeUuid(w, rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32())
      w.bytes(DETAIL.recordingDuration)
      return w.uint(callSeconds(rng))
    default:
      return undefined
  }
}

/** `key` (which opens a string), then one of `values` (each closes it), drawn as rng.pick draws. */
function picked(w: ByteWriter, key: Uint8Array, values: readonly Uint8Array[], rng: Rng): void {
  w.bytes(key)
  w.bytes(values[rng.int(values.length)])
}
