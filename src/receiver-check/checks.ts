// The checks of `talkover-mock check-receiver`: what each one sends (built with live delivery's own
// headers and Standard Webhooks signing) and how it judges the receiver's answers, with the reason
// a receiver must behave so. Pure: ids, the instant and the secrets come in as arguments.
import { createHash } from 'node:crypto'
import { requestHeaders, type Target } from '../delivery/attempt.js'
import { sign } from '../delivery/signature.js'
import { CAMPAIGN_EVENT_NAMES, EVENT_NAMES } from '../world/vocab.js'
import type { Expect } from './judge.js'

/** One request a check sends. */
export interface Probe {
  headers: Record<string, string>
  body: string
}

/** What a check needs to build its requests. */
export interface ProbeContext {
  target: Target
  /** Wall-clock seconds now: receivers compare `webhook-timestamp` with their own clock. */
  now: number
  /** A fresh `webhook-id` (`msg_…`), unique across runs. */
  newId: () => string
}

export interface Check {
  id: string
  title: string
  /** Why a receiver must behave so (one sentence). */
  why: string
  expect: Expect
  /** A few words on what was sent, for the table. */
  sent: string
  probes: (ctx: ProbeContext) => Probe[]
}

/** The event the unknown-event check sends: no Talkover event has this name. */
export const UNKNOWN_EVENT = 'event_talkover_mock_unknown'
/** A minute past Standard Webhooks' (and the standardwebhooks package's) five-minute tolerance: room for clock skew. */
const SKEW_SECONDS = 360

/** A webhook secret that is not `secret`: derived from it, so the check is repeatable. */
export function otherSecret(secret: string): string {
  return `whsec_${createHash('sha256').update(`talkover-mock other secret:${secret}`).digest('base64')}`
}

/** A representative body of `event` (the documented test payload for `webhook.test`). */
export function checkBody(event: string, id: string, now: number): string {
  const timestamp = new Date(now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  if (event === 'webhook.test') return JSON.stringify({ event, agent_id: 'talkover-mock-check', webhook_id: 'talkover-mock-check', timestamp, test: true })
  return JSON.stringify({ call_id: id.replace(/^msg_/, ''), agent_id: 'talkover-mock-check', duration: 45, timestamp })
}

/** A validly signed delivery of `event`, with live delivery's headers. */
function signed(ctx: ProbeContext, event: string, over: { id?: string; timestamp?: number; body?: string } = {}): Probe {
  const id = over.id ?? ctx.newId()
  const timestamp = over.timestamp ?? ctx.now
  const body = over.body ?? checkBody(event, id, ctx.now)
  return { headers: requestHeaders(ctx.target, { id, timestamp, body, event }), body }
}

const secretOf = (ctx: ProbeContext) => ctx.target.secret ?? ''
const without = (probe: Probe, header: string): Probe => {
  const { [header]: _, ...headers } = probe.headers
  return { headers, body: probe.body }
}

const EVENT = 'event_phone_call_ended'

const eventCheck = (event: string): Check => ({
  id: `event:${event}`,
  title: `acknowledges ${event}`,
  why: 'Every event the sender may deliver must be answered 2xx within the timeout, or the sender marks it failed and retries it.',
  expect: 'accept',
  sent: `valid signed ${event}`,
  probes: (ctx) => [signed(ctx, event)],
})

const refusal = (id: string, title: string, why: string, sent: string, probes: Check['probes']): Check => ({ id, title, why, expect: 'refuse', sent, probes })

/** Every check, in the order they are sent. The first one also tells whether the receiver is reachable. */
export const CHECKS: readonly Check[] = [
  ...['webhook.test', ...EVENT_NAMES, ...CAMPAIGN_EVENT_NAMES].map(eventCheck),
  refusal(
    'tampered-body',
    'refuses a tampered body',
    'A signature over other bytes means someone changed the body on the way: acting on it lets anyone forge events.',
    'body changed after signing',
    (ctx) => {
      const probe = signed(ctx, EVENT)
      return [{ headers: probe.headers, body: probe.body.replace('"duration":45', '"duration":4500') }]
    },
  ),
  refusal(
    'wrong-secret',
    'refuses a signature made with another secret',
    'Only the holder of the webhook secret may send events; a signature with any other key must be refused.',
    'signed with another secret',
    (ctx) => {
      const probe = signed(ctx, EVENT)
      const sig = sign(otherSecret(secretOf(ctx)), probe.headers['webhook-id'], ctx.now, probe.body)
      return [{ headers: { ...probe.headers, 'webhook-signature': sig }, body: probe.body }]
    },
  ),
  ...(['webhook-signature', 'webhook-id', 'webhook-timestamp'] as const).map((header) =>
    refusal(
      `missing-${header}`,
      `refuses a delivery without ${header}`,
      `Without ${header} the signature cannot be checked; skipping the check when a header is absent lets anyone forge events.`,
      `no ${header} header`,
      (ctx) => [without(signed(ctx, EVENT), header)],
    ),
  ),
  refusal(
    'stale-timestamp',
    'refuses a timestamp more than 5 minutes old',
    'The timestamp is signed so that a captured delivery cannot be replayed later: compare it with your clock (5 minutes of tolerance).',
    `valid signature, timestamp ${SKEW_SECONDS / 60} min old`,
    (ctx) => [signed(ctx, EVENT, { timestamp: ctx.now - SKEW_SECONDS })],
  ),
  refusal(
    'future-timestamp',
    'refuses a timestamp more than 5 minutes ahead',
    'A timestamp far in the future would make a captured delivery replayable for that long: refuse it as a stale one.',
    `valid signature, timestamp ${SKEW_SECONDS / 60} min ahead`,
    (ctx) => [signed(ctx, EVENT, { timestamp: ctx.now + SKEW_SECONDS })],
  ),
  {
    id: 'rotated-signature',
    title: 'accepts the valid signature wherever it is in the list',
    why: 'While a secret is rotated, webhook-signature lists several space-separated signatures; the delivery is genuine if any one of them verifies, whether it is first, last or in between.',
    expect: 'accept',
    sent: 'valid signature second, then first, beside an old-secret one',
    probes: (ctx) =>
      [false, true].map((validFirst) => {
        const probe = signed(ctx, EVENT)
        const valid = probe.headers['webhook-signature']
        const old = sign(otherSecret(secretOf(ctx)), probe.headers['webhook-id'], ctx.now, probe.body)
        return { headers: { ...probe.headers, 'webhook-signature': validFirst ? `${valid} ${old}` : `${old} ${valid}` }, body: probe.body }
      }),
  },
  {
    id: 'raw-bytes',
    title: 'verifies the raw bytes, not re-serialised JSON',
    why: 'The signature covers the exact bytes sent; parsing and re-serialising the JSON (key order, spaces, 45.0, \\u escapes) changes them, so verify the raw body.',
    expect: 'accept',
    sent: 'signed body with odd spacing, key order and escapes',
    probes: (ctx) => {
      const at = new Date(ctx.now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
      const body = `{\n  "timestamp" :  "${at}",\n\t"duration": 45.0, "agent_id":"talkover-mock-check",\r\n  "note": "caf\\u00e9 \\u2713 \\/",\n  "call_id" : "raw-bytes"   }\n`
      return [signed(ctx, EVENT, { body })]
    },
  },
  {
    id: 'duplicate',
    title: 'acknowledges the same message delivered twice',
    why: 'A sender retries when an answer is lost, so the same webhook-id can arrive again with a new timestamp: deduplicate by webhook-id, and answer 2xx both times.',
    expect: 'accept',
    sent: 'same webhook-id twice, new timestamp',
    probes: (ctx) => {
      const id = ctx.newId()
      const body = checkBody(EVENT, id, ctx.now)
      return [signed(ctx, EVENT, { id, body }), signed(ctx, EVENT, { id, body, timestamp: ctx.now + 1 })]
    },
  },
  {
    id: 'unknown-event',
    title: 'acknowledges an event it does not know',
    why: 'New event types appear over time; answering them with an error makes the sender retry them until it gives up. Answer 2xx and ignore them.',
    expect: 'accept-unknown',
    sent: `valid signed ${UNKNOWN_EVENT}`,
    probes: (ctx) => [signed(ctx, UNKNOWN_EVENT)],
  },
]
