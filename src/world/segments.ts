// Random access into a webhook's generated history. The generated rows are cut into segments of
// `segmentSize` rows; segment s owns rows [s·K, (s+1)·K) and a disjoint slice of time (segment 0
// is the newest). A segment is decoded from hash(seed, ids, s) alone: deliveries are planned one
// after another (outcome first, then attempts, then a start time that fits the whole chain in the
// slice) until the segment's rows are used, then sorted newest first. So any row costs one
// segment decode, whatever its index. The rows made after the anchor (timeline.ts) are decoded
// the same way, by decodeSlice.
import { finishChain, fit, inFlightChains, kinds, durations, gaps, planChain, shortenToFit, PENDING, RETRYING, type AttemptRow } from './chains.js'
import { Rng, mix } from '../encode/random.js'
import type { Layout, Segment, WebhookProfile } from './model.js'

export { FAILED, NO_KIND, PENDING, RETRYING, STATUSES, SUCCESS } from './chains.js'

/**
 * The status row j reads at instant `at`: pending until its attempt is over, then its own.
 * @example
 * statusAt(seg, 0, world.at) //=> PENDING for a row queued at the anchor, while the clock stands there
 */
export const statusAt = (seg: Segment, j: number, at: number): number => (at < seg.pendingUntil[j] ? PENDING : seg.status[j])

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

// Scratch space for one decode: a segment holds at most 512 planned rows plus, after the anchor,
// the later attempts of the deliveries in flight there (a few chains of at most 11 attempts).
const MAX_ROWS = 1024
const buf = {
  time: new Float64Array(MAX_ROWS),
  chainStart: new Float64Array(MAX_ROWS),
  chainSeed: new Uint32Array(MAX_ROWS),
  attempt: new Uint8Array(MAX_ROWS),
  status: new Uint8Array(MAX_ROWS),
  kind: new Uint8Array(MAX_ROWS),
  duration: new Uint32Array(MAX_ROWS),
  pendingUntil: new Float64Array(MAX_ROWS),
}
let n = 0

/** Appends a planned chain from the scratch arrays; `pendingFor` makes its rows pending until over. */
function push(seed: number, attempts: number, first: number, final: number, pendingFor: boolean): void {
  let t = first
  for (let k = 0; k < attempts; k++) {
    buf.time[n] = t
    buf.chainStart[n] = first
    buf.chainSeed[n] = seed
    buf.attempt[n] = k + 1
    buf.status[n] = k === attempts - 1 ? final : RETRYING
    buf.kind[n] = kinds[k]
    buf.duration[n] = durations[k]
    buf.pendingUntil[n] = pendingFor ? t + 1 + Math.floor(durations[k] / 1000) : 0
    n++
    t += gaps[k]
  }
}

function pushRow(r: AttemptRow): void {
  buf.time[n] = r.time
  buf.chainStart[n] = r.chainStart
  buf.chainSeed[n] = r.chainSeed
  buf.attempt[n] = r.attempt
  buf.status[n] = r.status
  buf.kind[n] = r.kind
  buf.duration[n] = r.duration
  buf.pendingUntil[n] = r.pendingUntil
  n++
}

/**
 * Decodes segment `s` of a webhook's generated history (the rows that exist at the anchor).
 * @example
 * decodeSegment(profile, 0).status[0] //=> SUCCESS (the newest generated row)
 */
export function decodeSegment(p: WebhookProfile, s: number): Segment {
  const { layout } = p
  const rows = Math.min(layout.segmentSize, layout.generated - s * layout.segmentSize)
  const [lo, hi] = segmentBounds(layout, s)
  const segKey = mix(p.key, s)
  n = 0
  let chain = 0
  if (s === 0 && layout.inFlight) {
    // The newest deliveries may still be under way: queued (pending) or waiting for a retry. A
    // queued row keeps its settled form too, which it reads once the clock passes its end.
    for (const c of inFlightChains(p, segKey, lo, hi, rows)) {
      chain++
      if (c.status === PENDING) {
        pushRow(finishChain(p, c, hi)[0])
        continue
      }
      for (let k = 0; k < c.times.length; k++) {
        pushRow({
          time: c.times[k],
          chainStart: c.times[0],
          chainSeed: c.seed,
          attempt: k + 1,
          status: RETRYING,
          kind: c.kinds[k],
          duration: c.durations[k],
          pendingUntil: 0,
        })
      }
    }
  }
  plan(p, segKey, chain, lo, hi, rows, false)
  return sorted(hi)
}

/**
 * Decodes `rows` planned rows in [lo, hi] keyed `segKey`, plus `extra` rows (attempts of chains in
 * flight at the anchor that fall in this slice). Every row reads pending until its attempt is over.
 * @example
 * decodeSlice(p, mix(futureKey, 0), anchor + 1, anchor + 3600, 32, [])
 */
export function decodeSlice(p: WebhookProfile, segKey: number, lo: number, hi: number, rows: number, extra: readonly AttemptRow[]): Segment {
  n = 0
  for (const r of extra) pushRow(r)
  plan(p, segKey, 0, lo, hi, rows + extra.length, true)
  return sorted(hi)
}

/** The generator of the chain being planned (reseeded per chain: one object, the same draws). */
const chainRng = new Rng(0)

/** Plans whole deliveries from chain number `chain` on until `rows` rows are used. */
function plan(p: WebhookProfile, segKey: number, chain: number, lo: number, hi: number, rows: number, pendingFor: boolean): void {
  while (n < rows) {
    const seed = mix(segKey, chain++)
    const crng = chainRng.reseed(seed)
    const { attempts, final } = shortenToFit(p, crng, planChain(p, crng, rows - n), hi - lo)
    const last = durations[attempts - 1]
    const tail = 1 + Math.floor(last / 1000)
    const span = fit(attempts, hi - lo - tail) + tail
    const first = lo + (span < hi - lo ? crng.int(hi - lo - span + 1) : 0)
    push(seed, attempts, first, final, pendingFor)
  }
}

// A decoded segment's eight arrays are views of one ArrayBuffer of its own (35 bytes a row, the
// Float64 arrays first so every view is aligned): eight ArrayBuffers cost ~15 µs of allocation
// and GC per segment, one ~2.5 µs. (A slab shared by several segments was ~1 µs, but a cached
// segment would pin the whole slab, and most decoded segments are never cached.)
const keys = new Float64Array(MAX_ROWS)

/** Copies the scratch rows out, newest first; equal times keep the order they were planned in. */
function sorted(hi: number): Segment {
  for (let i = 0; i < n; i++) keys[i] = (hi - buf.time[i]) * 1024 + i
  const order = keys.subarray(0, n).sort()
  const buffer = new ArrayBuffer(35 * n)
  const seg: Segment = {
    size: n,
    time: new Float64Array(buffer, 0, n),
    chainStart: new Float64Array(buffer, 8 * n, n),
    pendingUntil: new Float64Array(buffer, 16 * n, n),
    chainSeed: new Uint32Array(buffer, 24 * n, n),
    duration: new Uint32Array(buffer, 28 * n, n),
    attempt: new Uint8Array(buffer, 32 * n, n),
    status: new Uint8Array(buffer, 33 * n, n),
    kind: new Uint8Array(buffer, 34 * n, n),
  }
  for (let j = 0; j < n; j++) {
    const i = order[j] % 1024
    seg.time[j] = buf.time[i]
    seg.chainStart[j] = buf.chainStart[i]
    seg.chainSeed[j] = buf.chainSeed[i]
    seg.attempt[j] = buf.attempt[i]
    seg.status[j] = buf.status[i]
    seg.kind[j] = buf.kind[i]
    seg.duration[j] = buf.duration[i]
    seg.pendingUntil[j] = buf.pendingUntil[i]
  }
  return seg
}
