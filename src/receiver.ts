// How a webhook's receiver answers one attempt: which failure, how long it took, and what a
// successful answer looks like (status, body, headers). Pure: every draw comes from a passed Rng.
import { Rng } from './random.js'
import { CF_POPS, FAILURE_CUMULATIVE, FAILURES, STACKS, VERCEL_REGIONS } from './vocab.js'
import type { WebhookProfile } from './world.js'

/** Share of a webhook's failures that are its characteristic failure; the rest follow the global mix. */
const PRIMARY_SHARE = 0.6
/** Chance that a retry fails the same way as the attempt before it. */
const SAME_AGAIN = 0.75

/**
 * Draws the failure kind (index into FAILURES) of an attempt, given the kind before it or -1.
 * @example
 * drawFailure(profile, rng, -1) //=> 3 (Service Unavailable)
 */
export function drawFailure(profile: WebhookProfile, rng: Rng, previous: number): number {
  if (previous >= 0 && rng.chance(SAME_AGAIN)) return previous
  return rng.chance(PRIMARY_SHARE) ? profile.primaryFailure : rng.weighted(FAILURE_CUMULATIVE)
}

/**
 * duration_ms of a failed attempt: timeouts sit just above the webhook's timeout; nothing else
 * reaches it.
 * @example
 * failureDuration(profile, 12, rng) //=> 30017 for a 30 s timeout
 */
export function failureDuration(profile: WebhookProfile, kind: number, rng: Rng): number {
  const limit = profile.timeout * 1000
  const ms = FAILURES[kind].ms
  if (ms === 'timeout') return limit + rng.int(60)
  if (ms === 'gateway') {
    const low = Math.min(10_000, limit >>> 1)
    return low + rng.int(limit - 1 - low)
  }
  return Math.min(limit - 1, ms[0] + rng.int(ms[1]))
}

/**
 * duration_ms of a successful attempt: the receiver's typical latency, with an occasional spike.
 * @example
 * successDuration(profile, rng) //=> 142
 */
export function successDuration(profile: WebhookProfile, rng: Rng): number {
  let ms = profile.latencyMs * (0.5 + rng.next())
  if (rng.chance(0.04)) ms *= 2 + rng.int(6)
  return Math.max(1, Math.min(profile.timeout * 1000 - 1, Math.floor(ms)))
}

/**
 * The error text of each failure kind for this webhook ({host}, {timeout} filled in).
 * @example
 * errorTexts(30, 'hooks.example.com')[12] //=> 'Connection timed out after 30 seconds'
 */
export function errorTexts(timeout: number, host: string): string[] {
  return FAILURES.map((f) => f.error.replace('{timeout}', String(timeout)).replace('{host}', host))
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/**
 * Eight lower-case hex digits of an unsigned 32-bit integer.
 * @example
 * hex8(255) //=> '000000ff'
 */
export function hex8(x: number): string {
  return HEX[x >>> 24] + HEX[(x >>> 16) & 255] + HEX[(x >>> 8) & 255] + HEX[x & 255]
}

/**
 * A UUID in the v4 layout from four 32-bit words (version and variant bits forced).
 * @example
 * uuid(0, 0, 0, 0) //=> '00000000-0000-4000-8000-000000000000'
 */
export function uuid(w0: number, w1: number, w2: number, w3: number): string {
  const a = hex8(w1)
  const b = hex8(((w2 & 0x3fffffff) | 0x80000000) >>> 0)
  return `${hex8(w0)}-${a.slice(0, 4)}-4${a.slice(5)}-${b.slice(0, 4)}-${b.slice(4)}${hex8(w3)}`
}

export interface SuccessAnswer {
  httpStatus: number
  body: string
  headersJson: string
}

/**
 * What the receiver sent back on a successful attempt (its stack is fixed per webhook; request ids
 * vary per row).
 * @example
 * successAnswer(profile, rng, 1705316401) //=> { httpStatus: 200, body: '{"received":true}', headersJson: '{"content-type":"application/json"}' }
 */
export function successAnswer(profile: WebhookProfile, rng: Rng, deliveredAt: number): SuccessAnswer {
  const stack = STACKS[profile.stack]
  let json = '{'
  for (let i = 0; i < stack.headers.length; i++) {
    const [name, value] = stack.headers[i]
    json += `${i ? ',' : ''}"${name}":"${headerValue(value, rng, deliveredAt)}"`
  }
  return { httpStatus: stack.status, body: stack.body, headersJson: `${json}}` }
}

function headerValue(token: string, rng: Rng, at: number): string {
  switch (token) {
    case 'uuid':
      return uuid(rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32())
    case 'hex16':
      return hex8(rng.uint32()) + hex8(rng.uint32())
    case 'cf-ray':
      return `${hex8(rng.uint32())}${hex8(rng.uint32())}-${rng.pick(CF_POPS)}`
    case 'vercel-id':
      return `${rng.pick(VERCEL_REGIONS)}::${hex8(rng.uint32()).slice(0, 5)}-${at}${String(rng.int(1000)).padStart(3, '0')}-${hex8(rng.uint32())}${hex8(rng.uint32()).slice(0, 4)}`
    default:
      return token
  }
}
