// Random access into a webhook's generated history. The generated rows are cut into segments of
// `segmentSize` rows; segment s owns rows [s·K, (s+1)·K) and a disjoint slice of time (segment 0
// is the newest). A segment is decoded from hash(seed, ids, s) alone: deliveries are planned one
// after another (outcome first, then attempts, then a start time that fits the whole chain in the
// slice) until the segment's rows are used, then sorted newest first. So any row costs one
// segment decode, whatever its index.
import { Rng, mix } from '../encode/random.js'
import { drawFailure, failureDuration, successDuration } from './receiver.js'
import { gapAfter, jitteredBackoff } from './time.js'
import type { Layout, Segment, WebhookProfile } from './model.js'

export const SUCCESS = 0
export const FAILED = 1
export const RETRYING = 2
export const PENDING = 3
export const STATUSES = ['success', 'failed', 'retrying', 'pending'] as const
/** `kind` of a row that did not fail. */
export const NO_KIND = 255

/**
 * The integer seconds [lo, hi] segment `s` may use. Slices are proportional to their rows.
 * @example
 * segmentBounds({ generated: 200, segmentSize: 100, start: 0, end: 999, … }, 1) //=> [0, 499]
 */
export function segmentBounds(layout: Layout, s: number): [number, number] {
  const boundary = (k: number) =>
    k * layout.segmentSize >= layout.generated
      ? layout.start - 1
      : layout.end - Math.floor((k * layout.segmentSize * (layout.end - layout.start + 1)) / layout.generated)
  return [boundary(s + 1) + 1, boundary(s)]
}

// Scratch space for one decode (a segment holds at most 512 rows, a chain at most 11 attempts).
const MAX_ROWS = 512
const buf = {
  time: new Float64Array(MAX_ROWS),
  chainStart: new Float64Array(MAX_ROWS),
  chainSeed: new Uint32Array(MAX_ROWS),
  attempt: new Uint8Array(MAX_ROWS),
  status: new Uint8Array(MAX_ROWS),
  kind: new Uint8Array(MAX_ROWS),
  duration: new Uint32Array(MAX_ROWS),
}
const kinds: number[] = []
const durations: number[] = []
const gaps: number[] = []

/**
 * Decodes segment `s` of a webhook's generated history.
 * @example
 * decodeSegment(profile, 0).status[0] //=> SUCCESS (the newest generated row)
 */
export function decodeSegment(p: WebhookProfile, s: number): Segment {
  const { layout } = p
  const rows = Math.min(layout.segmentSize, layout.generated - s * layout.segmentSize)
  const [lo, hi] = segmentBounds(layout, s)
  const segKey = mix(p.key, s)
  let n = 0
  let chain = 0
  const push = (seed: number, attempts: number, first: number, final: number) => {
    let t = first
    for (let k = 0; k < attempts; k++) {
      buf.time[n] = t
      buf.chainStart[n] = first
      buf.chainSeed[n] = seed
      buf.attempt[n] = k + 1
      buf.status[n] = k === attempts - 1 ? final : RETRYING
      buf.kind[n] = kinds[k]
      buf.duration[n] = durations[k]
      n++
      t += gaps[k]
    }
  }

  if (s === 0 && layout.inFlight) {
    // The newest deliveries may still be under way: queued (pending) or waiting for a retry.
    const perHour = (layout.generated * 3_600) / (layout.end - layout.start + 1)
    const rng = new Rng(mix(segKey, 0xf11e))
    const pPending = Math.min(0.9, 0.03 + perHour / 30)
    const pRetrying = p.maxRetries > 0 ? Math.min(0.9, 0.03 + (perHour * p.failureRate) / 3) : 0
    const pending = rng.chance(pPending) ? 1 + rng.int(1 + Math.floor(3 * pPending)) : 0
    const retrying = rng.chance(pRetrying) ? 1 + rng.int(1 + Math.floor(3 * pRetrying)) : 0
    for (let i = 0; i < pending && n < rows; i++, chain++) {
      const crng = new Rng(mix(segKey, chain))
      kinds[0] = NO_KIND
      durations[0] = 0
      const t = Math.max(lo, hi - crng.int(6))
      push(mix(segKey, chain), 1, t, PENDING)
    }
    for (let i = 0; i < retrying && n < rows; i++, chain++) {
      const seed = mix(segKey, chain)
      const crng = new Rng(seed)
      const visible = 1 + crng.int(Math.min(p.maxRetries, rows - n))
      failures(p, crng, visible)
      for (let k = 0; k < visible - 1; k++) gaps[k] = gapAfter(k + 1, durations[k], crng.next())
      const last = durations[visible - 1]
      const wait = jitteredBackoff(visible, crng.next())
      // Done by now, next attempt due after now.
      const lastAt = Math.max(lo + visible - 1, hi - Math.ceil(last / 1000) - crng.int(wait))
      fit(visible, lastAt - lo)
      let first = lastAt
      for (let k = 0; k < visible - 1; k++) first -= gaps[k]
      push(seed, visible, first, RETRYING)
    }
  }

  while (n < rows) {
    const seed = mix(segKey, chain++)
    const crng = new Rng(seed)
    const { attempts, final } = planChain(p, crng, rows - n)
    const last = durations[attempts - 1]
    const tail = 1 + Math.floor(last / 1000)
    const span = fit(attempts, hi - lo - tail) + tail
    const first = lo + (span < hi - lo ? crng.int(hi - lo - span + 1) : 0)
    push(seed, attempts, first, final)
  }
  return sorted(n, hi)
}

/** Decides a delivery's outcome, then its attempts' failures and durations and the gaps between them. */
function planChain(p: WebhookProfile, rng: Rng, maxRows: number): { attempts: number; final: number } {
  let attempts = 1
  let final = SUCCESS
  if (rng.chance(p.failureRate)) {
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
  // The segment is full: the delivery ends earlier, so it must end in success.
  if (attempts > maxRows) {
    attempts = maxRows
    final = SUCCESS
  }
  failures(p, rng, final === FAILED ? attempts : attempts - 1)
  if (final === SUCCESS) {
    kinds[attempts - 1] = NO_KIND
    durations[attempts - 1] = successDuration(p, rng)
  }
  for (let k = 0; k < attempts - 1; k++) gaps[k] = gapAfter(k + 1, durations[k], rng.next())
  return { attempts, final }
}

/** Fills kinds and durations of `count` failed attempts. */
function failures(p: WebhookProfile, rng: Rng, count: number): void {
  let kind = -1
  for (let k = 0; k < count; k++) {
    kind = drawFailure(p, rng, kind)
    kinds[k] = kind
    durations[k] = failureDuration(p, kind, rng)
  }
}

/**
 * Makes the first `attempts - 1` gaps fit in `room` seconds, scaling them down (never below 1 s)
 * when the segment is too short for the backoff. Returns their sum.
 */
function fit(attempts: number, room: number): number {
  let sum = 0
  for (let k = 0; k < attempts - 1; k++) sum += gaps[k]
  if (sum <= room) return sum
  const scale = Math.max(0, room - (attempts - 1)) / sum
  sum = 0
  for (let k = 0; k < attempts - 1; k++) sum += gaps[k] = 1 + Math.floor(gaps[k] * scale)
  return sum
}

/** Copies the scratch rows out, newest first; equal times keep the order they were planned in. */
function sorted(n: number, hi: number): Segment {
  const keys = new Float64Array(n)
  for (let i = 0; i < n; i++) keys[i] = (hi - buf.time[i]) * 1024 + i
  keys.sort()
  const seg: Segment = {
    size: n,
    time: new Float64Array(n),
    chainStart: new Float64Array(n),
    chainSeed: new Uint32Array(n),
    attempt: new Uint8Array(n),
    status: new Uint8Array(n),
    kind: new Uint8Array(n),
    duration: new Uint32Array(n),
  }
  for (let j = 0; j < n; j++) {
    const i = keys[j] % 1024
    seg.time[j] = buf.time[i]
    seg.chainStart[j] = buf.chainStart[i]
    seg.chainSeed[j] = buf.chainSeed[i]
    seg.attempt[j] = buf.attempt[i]
    seg.status[j] = buf.status[i]
    seg.kind[j] = buf.kind[i]
    seg.duration[j] = buf.duration[i]
  }
  return seg
}
