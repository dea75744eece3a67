// How a webhook's receiver answers one attempt: which failure, how long it took, and what a
// successful answer looks like (status, body, headers). Pure: every draw comes from a passed Rng.
import { jsonString, utf8 } from '../encode/json-text.js'
import { capture, type ByteWriter } from '../encode/json-writer.js'
import { writeUuid } from './ids.js'
import type { Rng } from '../encode/random.js'
import { CF_POPS, FAILURE_CUMULATIVE, FAILURES, type ReceiverStack, STACKS, VERCEL_REGIONS } from './vocab.js'
import type { WebhookProfile } from './model.js'

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
  return { httpStatus: stack.status, body: stack.body, headersJson: capture((w) => writeSuccessHeaders(w, profile, rng, deliveredAt)) }
}

/**
 * Writes the response_headers object of a successful attempt (see successAnswer).
 * @example
 * writeSuccessHeaders(w, profile, rng, 1705316401) // writes {"content-type":"application/json"}
 */
export function writeSuccessHeaders(w: ByteWriter, profile: WebhookProfile, rng: Rng, deliveredAt: number): void {
  writeHeaderPlan(w, HEADER_PLANS[profile.stack], rng, deliveredAt)
}

/** A stack's headers as byte runs around the values drawn per row (`tokens`): runs[i] token[i] … runs[n]. */
export interface HeaderPlan {
  runs: Uint8Array[]
  tokens: string[]
}

/**
 * Writes a plan: its runs, and between them the drawn values.
 * @example
 * writeHeaderPlan(w, SUCCESS_TAILS[profile.stack], rng, deliveredAt)
 */
export function writeHeaderPlan(w: ByteWriter, { runs, tokens }: HeaderPlan, rng: Rng, deliveredAt: number): void {
  for (let i = 0; i < tokens.length; i++) {
    w.bytes(runs[i])
    headerValue(w, tokens[i], rng, deliveredAt)
  }
  w.bytes(runs[tokens.length])
}

/** Header values drawn per row; any other value is written as it stands. */
const DRAWN = new Set(['uuid', 'hex16', 'cf-ray', 'vercel-id'])

/** The response_headers object of a stack as a plan, with `before` and `after` joined to its ends. */
function planHeaders({ headers }: ReceiverStack, before = '', after = ''): HeaderPlan {
  const runs: Uint8Array[] = []
  const tokens: string[] = []
  let text = `${before}{`
  headers.forEach(([name, value], i) => {
    text += `${i ? ',"' : '"'}${name}":"`
    if (DRAWN.has(value)) {
      runs.push(utf8(text))
      tokens.push(value)
      text = '"'
    } else text += `${value}"`
  })
  runs.push(utf8(`${text}}${after}`))
  return { runs, tokens }
}

const HEADER_PLANS = STACKS.map((stack) => planHeaders(stack))

/**
 * Per stack, a success row from its payload's closing `"}` through `,"duration_ms":`: the body and
 * the headers object, so log-json.ts writes them as a few runs.
 */
export const SUCCESS_TAILS = STACKS.map((stack) => planHeaders(stack, `"},"response_body":${jsonString(stack.body)},"response_headers":`, ',"duration_ms":'))

function headerValue(w: ByteWriter, token: string, rng: Rng, at: number): void {
  switch (token) {
    case 'uuid':
      return writeUuid(w, rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32())
    case 'hex16':
      w.hex(rng.uint32())
      return w.hex(rng.uint32())
    case 'cf-ray':
      w.hex(rng.uint32())
      w.hex(rng.uint32())
      w.byte(45)
      return w.ascii(rng.pick(CF_POPS))
    case 'vercel-id':
      w.ascii(rng.pick(VERCEL_REGIONS))
      w.ascii('::')
      w.hex(rng.uint32(), 0, 5)
      w.byte(45)
      w.uint(at)
      w.padded(rng.int(1000), 3)
      w.byte(45)
      w.hex(rng.uint32())
      return w.hex(rng.uint32(), 0, 4)
  }
}
