// The rows a webhook gets after the anchor (t0), for a clock that moves. Time after the anchor's
// `origin` is cut into slices of `sliceSeconds`; slice f holds `rowsPerSlice` planned rows (at the
// history's own rate), plus the later attempts of the deliveries in flight at the anchor that fall
// in it, decoded from hash(seed, ids, f) like a history segment. Rows made after the anchor are
// counted from the origin up (ordinal 0 = the oldest), so a row's ordinal and id never change as
// the clock moves. Pure; see docs/time-travel.md.
import { finishChain, inFlightChains, PENDING, type AttemptRow } from './chains.js'
import { mix } from '../encode/random.js'
import type { Segment, WebhookProfile } from './model.js'
import { decodeSlice, segmentBounds } from './segments.js'

export interface Timeline {
  /** Rows after the anchor lie after this instant: the anchor, or a newer pinned row. */
  origin: number
  rowsPerSlice: number
  sliceSeconds: number
  /** Keys the slices and the ids of rows made after the anchor. */
  key: number
  /** Attempts after the anchor of the deliveries in flight there, oldest first. */
  growth: readonly AttemptRow[]
}

const timelines = new WeakMap<WebhookProfile, Timeline>()

/**
 * The webhook's timeline after the anchor `anchor` (memoised per profile).
 * @example
 * timelineOf(profile, world.now).rowsPerSlice //=> 32 (0 for a disabled webhook)
 */
export function timelineOf(p: WebhookProfile, anchor: number): Timeline {
  let tl = timelines.get(p)
  if (tl) return tl
  const { layout } = p
  const live = p.enabled && layout.generated > 0
  const secondsPerRow = (layout.end - layout.start + 1) / Math.max(1, layout.generated)
  const rowsPerSlice = live ? layout.segmentSize : 0
  const growth: AttemptRow[] = []
  if (layout.inFlight && layout.generated > 0) {
    const [lo, hi] = segmentBounds(layout, 0)
    const rows = Math.min(layout.segmentSize, layout.generated)
    for (const chain of inFlightChains(p, mix(p.key, 0), lo, hi, rows)) {
      const rest = finishChain(p, chain, hi)
      growth.push(...(chain.status === PENDING ? rest.slice(1) : rest))
    }
    growth.sort((a, b) => a.time - b.time)
  }
  tl = Object.freeze({
    origin: Math.max(anchor, p.head[0]?.createdAt ?? anchor),
    rowsPerSlice,
    sliceSeconds: Math.max(1, Math.round(Math.max(1, rowsPerSlice) * secondsPerRow)),
    key: mix(p.key, 0xf07e),
    growth,
  })
  timelines.set(p, tl)
  return tl
}

/** The seconds [lo, hi] slice f covers. */
export function sliceBounds(tl: Timeline, f: number): [number, number] {
  return [tl.origin + 1 + f * tl.sliceSeconds, tl.origin + (f + 1) * tl.sliceSeconds]
}

/** Decodes slice f (newest first, like a history segment). */
export function decodeFuture(p: WebhookProfile, tl: Timeline, f: number): Segment {
  const [lo, hi] = sliceBounds(tl, f)
  return decodeSlice(
    p,
    mix(tl.key, f),
    lo,
    hi,
    tl.rowsPerSlice,
    tl.growth.filter((r) => r.time >= lo && r.time <= hi),
  )
}

/** Growth rows sent before `x`. */
function growthBefore(tl: Timeline, x: number): number {
  let k = 0
  while (k < tl.growth.length && tl.growth[k].time < x) k++
  return k
}

/** Rows after the anchor in slices before f: the ordinal of slice f's oldest row. */
export function sliceStart(tl: Timeline, f: number): number {
  return f * tl.rowsPerSlice + growthBefore(tl, sliceBounds(tl, f)[0])
}

/**
 * How many rows after the anchor were created before instant `x`: O(1) plus one slice decode.
 * @example
 * futureBefore(p, tl, anchor + 3601, slice) // rows created in the first hour after the anchor
 */
export function futureBefore(tl: Timeline, x: number, slice: (f: number) => Segment): number {
  if (x <= tl.origin + 1 || (tl.rowsPerSlice === 0 && tl.growth.length === 0)) return 0
  const f = Math.floor((x - tl.origin - 1) / tl.sliceSeconds)
  const seg = slice(f)
  // Rows are newest first: count those at or after x, from the top.
  let newer = 0
  let hiIdx = seg.size
  while (newer < hiIdx) {
    const mid = (newer + hiIdx) >>> 1
    if (seg.time[mid] >= x) newer = mid + 1
    else hiIdx = mid
  }
  return sliceStart(tl, f) + seg.size - newer
}

/**
 * Which slice holds ordinal `o`, and its place there (j, newest first).
 * @example
 * locateFuture(tl, 0, slice) //=> { f: 0, seg, j: seg.size - 1 } (the first row after the anchor)
 */
export function locateFuture(tl: Timeline, o: number, slice: (f: number) => Segment): { f: number; seg: Segment; j: number } {
  // Slice f starts at f·K plus the growth rows before it, so only a few slices can hold o.
  let f = tl.rowsPerSlice > 0 ? Math.floor(o / tl.rowsPerSlice) : maxGrowthSlice(tl)
  while (f > 0 && sliceStart(tl, f) > o) f--
  const seg = slice(f)
  return { f, seg, j: seg.size - 1 - (o - sliceStart(tl, f)) }
}

function maxGrowthSlice(tl: Timeline): number {
  const last = tl.growth[tl.growth.length - 1]
  return last ? Math.floor((last.time - tl.origin - 1) / tl.sliceSeconds) : 0
}
