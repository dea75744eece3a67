// Latency forms and their reproducible sampling: a fixed delay, a uniform range, or a distribution
// given by percentiles. Pure: a draw is a function of the form and a number u in [0, 1).

/** Longest delay any form may produce: a delay is a test tool, not a way to park connections. */
export const MAX_LATENCY_MS = 120_000

export type Latency =
  | { kind: 'fixed'; ms: number }
  | { kind: 'range'; min: number; max: number }
  /** `points` are [quantile 0…1, ms] pairs from q=0 to q=1, anchors included; `text` is the form given. */
  | { kind: 'percentiles'; points: [number, number][]; text: string }

export type LatencyParse = { ok: true; latency: Latency } | { ok: false; hint: string }

export const LATENCY_HINT = 'use milliseconds like 250, a range like 50-300 or percentiles like p50=80,p95=250,p99=600'

const fail = (hint: string): LatencyParse => ({ ok: false, hint })

/**
 * Parses a latency form. Failures carry the "use …" half of a one-sentence message.
 * @example
 * parseLatency('50-300') //=> { ok: true, latency: { kind: 'range', min: 50, max: 300 } }
 * parseLatency('p50=80,p99=600').ok //=> true
 */
export function parseLatency(raw: string): LatencyParse {
  const text = raw.trim()
  if (/^\d{1,9}$/.test(text)) {
    const ms = Number(text)
    return ms <= MAX_LATENCY_MS ? { ok: true, latency: { kind: 'fixed', ms } } : fail(`use at most ${MAX_LATENCY_MS} milliseconds`)
  }
  const range = text.match(/^(\d{1,9})-(\d{1,9})$/)
  if (range) {
    const [min, max] = [Number(range[1]), Number(range[2])]
    if (min > max) return fail('use a range whose lower bound comes first, like 50-300')
    if (max > MAX_LATENCY_MS) return fail(`use at most ${MAX_LATENCY_MS} milliseconds`)
    return { ok: true, latency: { kind: 'range', min, max } }
  }
  if (text.startsWith('p')) return parsePercentiles(text)
  return fail(LATENCY_HINT)
}

function parsePercentiles(text: string): LatencyParse {
  const given: [number, number][] = []
  for (const item of text.split(',')) {
    const m = item.trim().match(/^p(\d{1,2}(?:\.\d+)?|100)=(\d{1,9})$/)
    if (!m) return fail('use percentiles like p50=80,p95=250,p99=600 (p0 to p100, whole milliseconds)')
    given.push([Number(m[1]) / 100, Number(m[2])])
  }
  given.sort((a, b) => a[0] - b[0])
  for (let i = 1; i < given.length; i++) {
    if (given[i][0] === given[i - 1][0]) return fail('use each percentile once, like p50=80,p95=250,p99=600')
    if (given[i][1] < given[i - 1][1]) return fail('use values that do not decrease as the percentile grows, like p50=80,p95=250,p99=600')
  }
  if (given[given.length - 1][1] > MAX_LATENCY_MS) return fail(`use at most ${MAX_LATENCY_MS} milliseconds`)
  const points = [...given]
  if (points[0][0] > 0) {
    // No p0 given: the fastest answer is the lowest given value scaled by how far below it the
    // given percentile sits (p50=80 → 40 ms, p1=5 → ~5 ms), so low percentiles stay honest.
    const [q, v] = points[0]
    points.unshift([0, Math.round(v * (1 - q))])
  }
  if (points.length === 1) {
    // Only p0 given: the fastest answer is the only one known, so every draw is that value.
    points.push([1, points[0][1]])
  } else if (points[points.length - 1][0] < 1) {
    // No p100 given: continue the slope of the last segment to q=1, but never past twice the
    // last given value, so one steep tail segment cannot produce absurd outliers.
    const [qa, va] = points[points.length - 2]
    const [qb, vb] = points[points.length - 1]
    const slope = (vb - va) / (qb - qa)
    points.push([1, Math.round(Math.min(vb + slope * (1 - qb), 2 * vb, MAX_LATENCY_MS))])
  }
  return { ok: true, latency: { kind: 'percentiles', points, text } }
}

/**
 * The delay, in whole milliseconds, that draw `u` (uniform in [0, 1)) gives. For percentiles the
 * quantile function is linear between neighbouring points, so every given percentile holds.
 * @example
 * sampleLatency({ kind: 'range', min: 50, max: 300 }, 0) //=> 50
 */
export function sampleLatency(latency: Latency, u: number): number {
  switch (latency.kind) {
    case 'fixed':
      return latency.ms
    case 'range':
      return latency.min + Math.min(latency.max - latency.min, Math.floor(u * (latency.max - latency.min + 1)))
    case 'percentiles': {
      const { points } = latency
      let i = 1
      while (i < points.length - 1 && points[i][0] <= u) i++
      const [qa, va] = points[i - 1]
      const [qb, vb] = points[i]
      return Math.round(va + ((vb - va) * (u - qa)) / (qb - qa))
    }
  }
}

/**
 * The text form of a latency, as the config shows it.
 * @example
 * formatLatency({ kind: 'range', min: 50, max: 300 }) //=> '50-300'
 */
export function formatLatency(latency: Latency): string {
  if (latency.kind === 'fixed') return String(latency.ms)
  if (latency.kind === 'range') return `${latency.min}-${latency.max}`
  return latency.text
}
