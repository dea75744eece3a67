// The request_payload of a delivery: what Talkover POSTed to the receiver for one event. Every
// attempt of a delivery sends the same payload, so it is a function of the delivery's seed alone.
import { Rng, mix } from './random.js'
import { uuid } from './receiver.js'
import { formatTimestamp } from './time.js'
import { ACTION_ERRORS, ACTIONS, CALL_ERRORS, ENDED_REASONS, NO_CONNECT_REASONS, ROLES, vocab } from './vocab.js'
import type { WebhookProfile } from './world.js'

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
  const rng = new Rng(mix(seed, 0x9a10ad))
  const drawn = profile.events[rng.weighted(profile.eventCumulative)]
  const name = event ?? drawn
  const callId = uuid(rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32())
  const phones = vocab().phones
  const region = rng.chance(0.9) ? profile.region : 1 - profile.region
  const customer = phones[region][rng.int(phones[region].length)]
  const inbound = rng.chance(0.45)
  const at = firstAttemptAt - rng.int(3)
  return {
    event: name,
    payloadJson:
      `{"call_id":"${callId}","agent_id":${profile.agentIdJson},"from":${inbound ? customer : profile.agentPhone},"to":${inbound ? profile.agentPhone : customer}${details(name, rng)},"timestamp":"${formatTimestamp(at)}"}`,
  }
}

/** Call length in seconds: mostly short, with a tail of long calls. */
function callSeconds(rng: Rng): number {
  return rng.chance(0.8) ? 8 + rng.int(240) : 240 + rng.int(1500)
}

function details(event: string, rng: Rng): string {
  switch (event) {
    case 'event_phone_call_ended':
      return `,"duration":${callSeconds(rng)},"ended_reason":"${rng.pick(ENDED_REASONS)}"`
    case 'event_conversation_ended':
    case 'event_phone_call_disconnected':
    case 'event_connection_closed':
    case 'event_voicemail_message_left':
      return `,"duration":${callSeconds(rng)}`
    case 'event_phone_call_did_not_connect':
      return `,"reason":"${rng.pick(NO_CONNECT_REASONS)}"`
    case 'event_phone_call_error':
    case 'event_connection_error':
      return `,"error":"${rng.pick(CALL_ERRORS)}"`
    case 'event_participant_joined':
    case 'event_participant_left':
      return `,"participant_role":"${rng.pick(ROLES)}"`
    case 'event_voicemail_detected':
      return `,"detected_after":${2 + rng.int(20)}`
    case 'event_action':
      return `,"action":"${rng.pick(ACTIONS)}","status":"completed"`
    case 'event_action_failed':
      return `,"action":"${rng.pick(ACTIONS)}","error":"${rng.pick(ACTION_ERRORS)}"`
    case 'event_recording':
      return `,"recording_id":"${uuid(rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32())}","duration":${callSeconds(rng)}`
    default:
      return ''
  }
}
