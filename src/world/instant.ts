// A webhook's list at an instant t ≥ the anchor (world.at): the rows made after the anchor that
// exist by t (newest on top), then the anchor's history, minus the rows retention dropped. Row i
// at t is found in O(1) plus a segment decode: rows made after the anchor by their ordinal from
// the origin (timeline.ts), the anchor's rows by their index at the anchor, so neither index ever
// shifts. At t = the anchor this is the anchor's list, unchanged. Pure.
import type { Segment, WebhookProfile, World } from './model.js'
import { segmentBounds } from './segments.js'
import { futureBefore, timelineOf, type Timeline } from './timeline.js'

/** What a list holds at an instant. */
export interface View {
  at: number
  tl: Timeline
  /** Rows made after the anchor, visible at `at`: ordinals [futureLow, futureTop). */
  futureLow: number
  futureTop: number
  /** The anchor's rows still kept: indices [0, base). */
  base: number
  total: number
}

/**
 * The rows older than this are gone at `at`: the history's 30-day window, moved on by the time
 * since the anchor (= at − 30 days, unless pinned rows made the window end earlier).
 */
export function cutoffAt(p: WebhookProfile, world: Pick<World, 'now'>, at: number): number {
  return p.layout.start + (at - world.now)
}

/**
 * What the webhook's list holds at world.at.
 * @example
 * viewAt(withInstant(world, world.now + 3600), profile).total // the rows one hour later
 */
export function viewAt(world: World, p: WebhookProfile, segment: (s: number) => Segment, future: (f: number) => Segment): View {
  const tl = timelineOf(p, world.now)
  const cutoff = cutoffAt(p, world, world.at)
  const futureTop = futureBefore(tl, world.at + 1, future)
  const futureLow = Math.min(futureTop, futureBefore(tl, cutoff, future))
  const base = keptRows(p, cutoff, segment)
  return { at: world.at, tl, futureLow, futureTop, base, total: futureTop - futureLow + base }
}

/** How many of the anchor's rows (newest first) were created at or after `cutoff`. */
function keptRows(p: WebhookProfile, cutoff: number, segment: (s: number) => Segment): number {
  const { head, continuation, layout } = p
  for (let i = 0; i < head.length; i++) if (head[i].createdAt < cutoff) return i
  for (let i = 0; i < continuation.length; i++) if (continuation[i].createdAt < cutoff) return head.length + i
  if (layout.generated === 0) return layout.prefix
  // Segments cover disjoint, falling slices of time: find the one the cutoff falls in.
  const segments = Math.ceil(layout.generated / layout.segmentSize)
  let lo = 0
  let hi = segments
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (segmentBounds(layout, mid)[0] > cutoff) lo = mid + 1
    else hi = mid
  }
  if (lo === segments) return p.total
  const seg = segment(lo)
  let j = 0
  while (j < seg.size && seg.time[j] >= cutoff) j++
  return layout.prefix + lo * layout.segmentSize + j
}
