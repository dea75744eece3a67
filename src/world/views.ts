// The memoised pieces a list at an instant is read from: decoded history segments and slices
// after the anchor (in the world's segment cache, keyed per profile object), and what the list
// holds at world.at (instant.ts), remembered for the last instant asked. Pure: caches never
// change an answer.
import { viewAt, type View } from './instant.js'
import type { Segment, WebhookProfile, World } from './model.js'
import { decodeSegment } from './segments.js'
import { decodeFuture, futureBefore, timelineOf } from './timeline.js'

const serials = new WeakMap<WebhookProfile, number>()
let nextSerial = 0

function serialOf(p: WebhookProfile): number {
  let serial = serials.get(p)
  if (serial === undefined) serials.set(p, (serial = nextSerial++))
  return serial
}

/** Decoded segment `s`, memoised per profile object (a changed profile never sees stale rows). */
export function segmentOf(world: World, p: WebhookProfile, s: number): Segment {
  return world.cache.segments.get(`${serialOf(p)}:${s}`, () => decodeSegment(p, s))
}

/** Decoded slice `f` after the anchor, memoised like segments. */
export function futureOf(world: World, p: WebhookProfile, f: number): Segment {
  return world.cache.segments.get(`${serialOf(p)}:f${f}`, () => decodeFuture(p, timelineOf(p, world.now), f))
}

const views = new WeakMap<WebhookProfile, View>()

/** What the list holds at world.at (undefined at the anchor: the anchor's list as it always was). */
export function viewOf(world: World, p: WebhookProfile): View | undefined {
  if (world.at === world.now) return undefined
  const last = views.get(p)
  if (last && last.at === world.at) return last
  const view = viewAt(
    world,
    p,
    (s) => segmentOf(world, p, s),
    (f) => futureOf(world, p, f),
  )
  views.set(p, view)
  return view
}

/**
 * How many rows the webhook's list holds at world.at.
 * @example
 * rowCount(world, profile) //=> 247 at the anchor for the docs example
 */
export function rowCount(world: World, profile: WebhookProfile): number {
  return world.at === world.now ? profile.total : viewOf(world, profile)!.total
}

/**
 * How many rows the list holds at world.at that were created after instant `x` and after the
 * anchor (rows of the anchor's own history are never newer than a row made after it).
 * @example
 * rowsAfter(world, profile, world.now) // every row made since the anchor that is still kept
 */
export function rowsAfter(world: World, profile: WebhookProfile, x: number): number {
  const view = viewOf(world, profile)
  if (!view) return 0
  const upTo = futureBefore(view.tl, x + 1, (f) => futureOf(world, profile, f))
  return view.futureTop - Math.min(view.futureTop, Math.max(view.futureLow, upTo))
}
