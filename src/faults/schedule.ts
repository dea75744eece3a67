// The seeded error schedule and the deterministic scripts: the k-th request's fate is a function
// of (seed, session, k) alone, so a failure seen once can be replayed by replaying the requests.
// Pure: no clock, no global state.
import { fmix } from '../encode/random.js'

/** Network faults a client must survive, not just status codes. */
export const NETWORK_FAULTS = ['reset', 'hang', 'truncate'] as const
export type NetworkFault = (typeof NETWORK_FAULTS)[number]

/** How an injected failure looks: a status from the errors table, or a network fault. */
export interface Failure {
  status?: number
  fault?: NetworkFault
}

/** "Fail the next `count` requests", optionally only those of one operation or one webhook. */
export interface FailNext extends Failure {
  count: number
  /** An operationId from openapi.yaml, e.g. `retryWebhookLog`. */
  route?: string
  /** A `webhook_id` path parameter value. */
  webhook?: string
}

/** "Every `n`th request fails": requests n, 2n, 3n … of the session. */
export interface FailEvery extends Failure {
  n: number
}

/** Where a session's schedule stands: requests seen so far and the scripts still pending. */
export interface ScheduleState {
  readonly count: number
  readonly failNext: readonly FailNext[]
}

export const EMPTY_SCHEDULE: ScheduleState = Object.freeze({ count: 0, failNext: Object.freeze([]) })

function mixText(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return fmix(h ^ text.length)
}

/**
 * A uniform draw in [0, 1) from (seed, session, k, salt): the same inputs give the same draw in
 * every process. `salt` keeps the latency, error and fault draws of one request independent.
 * @example
 * unitHash(42, '', 1, 'error') === unitHash(42, '', 1, 'error') //=> true
 */
export function unitHash(seed: number, session: string, k: number, salt: string): number {
  let h = fmix((seed >>> 0) ^ 0x9e3779b9)
  h = mixText(h, session)
  h = mixText(h, salt)
  h = fmix(h ^ fmix((k >>> 0) + 0x7f4a7c15))
  h = fmix(h ^ Math.floor(k / 0x100000000))
  return h / 0x100000000
}

/**
 * True when draw k of the session falls under `rate`.
 * @example
 * failsAtRate(42, '', 7, 0) //=> false
 * failsAtRate(42, '', 7, 1) //=> true
 */
export function failsAtRate(seed: number, session: string, k: number, rate: number, salt = 'error'): boolean {
  return rate > 0 && unitHash(seed, session, k, salt) < rate
}

/**
 * True when request k (1-based) is one of every `n`th.
 * @example
 * [1, 2, 3, 4, 5, 6].filter((k) => failsEveryNth(k, 3)) //=> [3, 6]
 */
export function failsEveryNth(k: number, n: number): boolean {
  return n > 0 && k % n === 0
}

/**
 * Takes one request out of the first pending "fail next" script whose scope matches, returning
 * that script (or undefined) and the scripts left.
 * @example
 * takeFailNext([{ count: 2, route: 'retryWebhookLog' }], { route: 'listWebhookLogs' }).hit //=> undefined
 * takeFailNext([{ count: 2 }], {}).left //=> [{ count: 1 }]
 */
export function takeFailNext(scripts: readonly FailNext[], request: { route?: string; webhook?: string }): { hit?: FailNext; left: readonly FailNext[] } {
  const i = scripts.findIndex(
    (s) => s.count > 0 && (s.route === undefined || s.route === request.route) && (s.webhook === undefined || s.webhook === request.webhook),
  )
  if (i < 0) return { left: scripts }
  const hit = scripts[i]
  const left = hit.count > 1 ? scripts.map((s, j) => (j === i ? { ...s, count: s.count - 1 } : s)) : scripts.filter((_, j) => j !== i)
  return { hit, left }
}
