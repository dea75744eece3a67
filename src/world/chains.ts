// How one delivery unfolds: its outcome first, then its attempts' failures, durations and the gaps
// between them (planChain), the deliveries still under way at the anchor (inFlightChains) and how
// those finish once the clock moves past the anchor (finishChain). Pure: every draw comes from the
// Rng handed in, and results go to the shared scratch arrays below or to fresh rows.
import { Rng, mix } from '../encode/random.js'
import { drawFailure, failureDuration, successDuration } from './receiver.js'
import { gapAfter, jitteredBackoff } from './time.js'
import type { WebhookProfile } from './model.js'

export const SUCCESS = 0
export const FAILED = 1
export const RETRYING = 2
export const PENDING = 3
export const STATUSES = ['success', 'failed', 'retrying', 'pending'] as const
/** `kind` of a row that did not fail. */
export const NO_KIND = 255

/** Scratch of one planned chain (at most 11 attempts): failure kinds, durations (ms), gaps (s). */
export const kinds: number[] = []
export const durations: number[] = []
export const gaps: number[] = []

/** One attempt made after the anchor (or the settled form of one queued at the anchor). */
export interface AttemptRow {
  time: number
  chainStart: number
  chainSeed: number
  attempt: number
  status: number
  kind: number
  duration: number
  /** The row reads `pending` while the clock is before this instant (its attempt is under way). */
  pendingUntil: number
}

/** The instant an attempt sent at `time` that took `durationMs` is over (success's delivered_at). */
export const doneAt = (time: number, durationMs: number) => time + 1 + Math.floor(durationMs / 1000)

/** The planned chain's attempt count and final status: scratch, like the arrays above. */
export type Plan = { attempts: number; final: number }
const planned: Plan = { attempts: 1, final: SUCCESS }

/** Decides a delivery's outcome, then its attempts' failures and durations and the gaps between them (into `planned`). */
export function planChain(p: WebhookProfile, rng: Rng, maxRows: number): Plan {
  let attempts = 1
  let final = SUCCESS
  const firstFails = rng.chance(p.failureRate)
  if (firstFails) {
    attempts = 1 + p.maxRetries
    final = FAILED
    for (let k = 2; k <= 1 + p.maxRetries; k++) {
      if (rng.chance(p.recoverRate)) {
        attempts = k
        final = SUCCESS
        break
      }
    }
  }
  // The segment is full: the delivery ends earlier, in success. Cut to its first attempt, that is
  // a first-attempt success: with failure_rate 1 there is none, so it ends in that attempt's failure.
  if (attempts > maxRows) {
    attempts = maxRows
    final = firstFails && attempts === 1 && p.failureRate >= 1 ? FAILED : SUCCESS
  }
  failures(p, rng, final === FAILED ? attempts : attempts - 1)
  if (final === SUCCESS) {
    kinds[attempts - 1] = NO_KIND
    durations[attempts - 1] = successDuration(p, rng)
  }
  for (let k = 0; k < attempts - 1; k++) gaps[k] = gapAfter(k + 1, durations[k], rng.next())
  planned.attempts = attempts
  planned.final = final
  return planned
}

/** Fills kinds and durations of `count` failed attempts. */
export function failures(p: WebhookProfile, rng: Rng, count: number): void {
  let kind = -1
  for (let k = 0; k < count; k++) {
    kind = drawFailure(p, rng, kind)
    kinds[k] = kind
    durations[k] = failureDuration(p, kind, rng)
  }
}

/** Sum of the first `attempts - 1` gaps with every wait at its floor of 1 s (each attempt still runs its full duration). */
function minimalGaps(attempts: number): number {
  let sum = 0
  for (let k = 0; k < attempts - 1; k++) sum += Math.ceil(durations[k] / 1000) + 1
  return sum
}

/**
 * Makes the first `attempts - 1` gaps fit in `room` seconds when the segment is too short for the
 * backoff: the waits are scaled down (never below 1 s), never an attempt's own duration, so
 * attempt k + 1 never starts before attempt k ended. Returns their sum (callers keep
 * minimalGaps(attempts) <= room: see shortenToFit).
 */
export function fit(attempts: number, room: number): number {
  let sum = 0
  for (let k = 0; k < attempts - 1; k++) sum += gaps[k]
  if (sum <= room) return sum
  const minimal = minimalGaps(attempts)
  const scale = Math.max(0, room - minimal) / Math.max(1, sum - minimal)
  sum = 0
  for (let k = 0; k < attempts - 1; k++) {
    const runs = Math.ceil(durations[k] / 1000)
    sum += gaps[k] = runs + 1 + Math.floor((gaps[k] - runs - 1) * scale)
  }
  return sum
}

/**
 * A planned chain longer than `room` seconds even with 1 s waits ends earlier, in success (the
 * attempts keep their durations); with failure_rate 1 a chain cut to its first attempt ends in
 * that attempt's failure instead (a chain of several attempts began with one). `plan` is changed
 * in place. Only very busy webhooks shorten chains.
 */
export function shortenToFit(p: WebhookProfile, rng: Rng, plan: Plan, room: number): Plan {
  while (plan.attempts > 1 && minimalGaps(plan.attempts) + 1 + Math.floor(durations[plan.attempts - 1] / 1000) > room) {
    const attempts = --plan.attempts
    if (attempts === 1 && p.failureRate >= 1) {
      // kinds[0] and durations[0] still hold the first attempt's failure.
      plan.final = FAILED
      break
    }
    plan.final = SUCCESS
    kinds[attempts - 1] = NO_KIND
    durations[attempts - 1] = successDuration(p, rng)
  }
  return plan
}

/** A delivery under way at the anchor: its visible attempts and what it waits for. */
export interface InFlightChain {
  seed: number
  status: typeof PENDING | typeof RETRYING
  /** Times, kinds and durations of the visible attempts, oldest first. */
  times: number[]
  kinds: number[]
  durations: number[]
  /** RETRYING: when the next attempt is sent (always after the anchor). */
  nextAt: number
}

/**
 * The newest deliveries of a history that ends at the anchor `hi`: queued (pending) or waiting for
 * a retry. Draws exactly what segment 0 always drew; `rows` bounds how many rows they may use.
 */
export function inFlightChains(p: WebhookProfile, segKey: number, lo: number, hi: number, rows: number): InFlightChain[] {
  const { layout } = p
  const perHour = (layout.generated * 3_600) / (layout.end - layout.start + 1)
  const rng = new Rng(mix(segKey, 0xf11e))
  const pPending = Math.min(0.9, 0.03 + perHour / 30)
  const pRetrying = p.maxRetries > 0 ? Math.min(0.9, 0.03 + (perHour * p.failureRate) / 3) : 0
  const pending = rng.chance(pPending) ? 1 + rng.int(1 + Math.floor(3 * pPending)) : 0
  const retrying = rng.chance(pRetrying) ? 1 + rng.int(1 + Math.floor(3 * pRetrying)) : 0
  const chains: InFlightChain[] = []
  let n = 0
  let chain = 0
  for (let i = 0; i < pending && n < rows; i++, chain++, n++) {
    const crng = new Rng(mix(segKey, chain))
    const t = Math.max(lo, hi - crng.int(6))
    chains.push({ seed: mix(segKey, chain), status: PENDING, times: [t], kinds: [NO_KIND], durations: [0], nextAt: NaN })
  }
  for (let i = 0; i < retrying && n < rows; i++, chain++) {
    const seed = mix(segKey, chain)
    const crng = new Rng(seed)
    let visible = 1 + crng.int(Math.min(p.maxRetries, rows - n))
    failures(p, crng, visible)
    for (let k = 0; k < visible - 1; k++) gaps[k] = gapAfter(k + 1, durations[k], crng.next())
    let last = durations[visible - 1]
    const wait = jitteredBackoff(visible, crng.next())
    // Done by now, next attempt due after now.
    let lastAt = Math.max(lo + visible - 1, hi - Math.ceil(last / 1000) - crng.int(wait))
    // Attempts keep their durations: show fewer of them when even 1 s waits do not fit.
    let shown = visible
    while (shown > 1 && minimalGaps(shown) > lastAt - lo) shown--
    if (shown < visible) {
      visible = shown
      last = durations[visible - 1]
      lastAt = Math.max(lo + minimalGaps(visible), Math.min(lastAt, hi - Math.ceil(last / 1000)))
    }
    fit(visible, lastAt - lo)
    let first = lastAt
    for (let k = 0; k < visible - 1; k++) first -= gaps[k]
    const times = [first]
    for (let k = 0; k < visible - 1; k++) times.push(times[k] + gaps[k])
    chains.push({
      seed,
      status: RETRYING,
      times,
      kinds: kinds.slice(0, visible),
      durations: durations.slice(0, visible),
      nextAt: lastAt + Math.ceil(last / 1000) + wait,
    })
    n += visible
  }
  return chains
}

/**
 * How an in-flight delivery ends once the clock passes the anchor `anchor`: for a queued row, its
 * own settled form first (still under way at the anchor), then every later attempt, each sent one
 * backoff after the previous one ended. Drawn from the chain's seed alone, so any instant agrees.
 * @example
 * finishChain(p, chain, anchor) //=> [{ attempt: 2, status: RETRYING, … }, { attempt: 3, status: SUCCESS, … }]
 */
export function finishChain(p: WebhookProfile, chain: InFlightChain, anchor: number): AttemptRow[] {
  const rng = new Rng(mix(chain.seed, 0x6e0))
  const chainStart = chain.times[0]
  const rows: AttemptRow[] = []
  let attempt = chain.status === PENDING ? 1 : chain.times.length + 1
  let time = chain.status === PENDING ? chain.times[0] : chain.nextAt
  let kind = chain.status === PENDING ? -1 : chain.kinds[chain.kinds.length - 1]
  for (;;) {
    const ok = attempt === 1 ? !rng.chance(p.failureRate) : rng.chance(p.recoverRate)
    if (!ok) kind = drawFailure(p, rng, kind)
    let duration = ok ? successDuration(p, rng) : failureDuration(p, kind, rng)
    // A row queued at the anchor is still under way there.
    if (doneAt(time, duration) <= anchor) duration = (anchor - time) * 1000 + (duration % 1000)
    const last = ok || attempt > p.maxRetries
    const status = ok ? SUCCESS : last ? FAILED : RETRYING
    rows.push({ time, chainStart, chainSeed: chain.seed, attempt, status, kind: ok ? NO_KIND : kind, duration, pendingUntil: doneAt(time, duration) })
    if (last) return rows
    time += gapAfter(attempt, duration, rng.next())
    attempt++
  }
}
