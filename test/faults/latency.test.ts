// Latency forms: parsing, and reproducible sampling that honours every given percentile.
import { describe, expect, it } from 'vitest'
import { formatLatency, parseLatency, sampleLatency, type Latency } from '../../src/faults/latency.js'
import { unitHash } from '../../src/faults/schedule.js'

const parsed = (raw: string): Latency => {
  const result = parseLatency(raw)
  if (!result.ok) throw new Error(result.hint)
  return result.latency
}

/** The q-quantile of sorted numbers (nearest rank). */
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]

describe('parsing latency forms', () => {
  it.each([
    ['250', { kind: 'fixed', ms: 250 }],
    ['0', { kind: 'fixed', ms: 0 }],
    ['50-300', { kind: 'range', min: 50, max: 300 }],
    ['200-200', { kind: 'range', min: 200, max: 200 }],
  ])('reads %s', (raw, latency) => {
    expect(parseLatency(raw)).toEqual({ ok: true, latency })
  })

  it.each([
    ['abc', 'use milliseconds like 250, a range like 50-300 or percentiles like p50=80,p95=250,p99=600'],
    ['300-50', 'use a range whose lower bound comes first, like 50-300'],
    ['500000', 'use at most 120000 milliseconds'],
    ['p50=80,p95=70', 'use values that do not decrease as the percentile grows, like p50=80,p95=250,p99=600'],
    ['p50=80,p50=90', 'use each percentile once, like p50=80,p95=250,p99=600'],
    ['p50=80,p101=90', 'use percentiles like p50=80,p95=250,p99=600 (p0 to p100, whole milliseconds)'],
    ['-5', 'use milliseconds like 250, a range like 50-300 or percentiles like p50=80,p95=250,p99=600'],
  ])('rejects %s with the fix', (raw, hint) => {
    expect(parseLatency(raw)).toEqual({ ok: false, hint })
  })

  it('anchors percentiles at a minimum below the lowest and a bounded maximum above the highest', () => {
    expect(parsed('p50=80,p95=250,p99=600')).toMatchObject({
      points: [
        [0, 40],
        [0.5, 80],
        [0.95, 250],
        [0.99, 600],
        [1, 688],
      ],
    })
    // A steep last segment is capped at twice the last value.
    expect(parsed('p50=10,p99=1000')).toMatchObject({
      points: [
        [0, 5],
        [0.5, 10],
        [0.99, 1000],
        [1, 1020],
      ],
    })
    expect(parsed('p90=100,p99=1000').kind === 'percentiles' && (parsed('p90=100,p99=1000') as { points: number[][] }).points.at(-1)).toEqual([1, 1100])
    expect(parsed('p0=20,p50=80,p100=900')).toMatchObject({
      points: [
        [0, 20],
        [0.5, 80],
        [1, 900],
      ],
    })
  })

  it('reads a lone p0 as a constant delay (it crashed before), and a lone p100 as a ramp from 0', () => {
    expect(parsed('p0=50')).toMatchObject({
      points: [
        [0, 50],
        [1, 50],
      ],
    })
    expect([0, 0.5, 0.999].map((u) => sampleLatency(parsed('p0=50'), u))).toEqual([50, 50, 50])
    expect(parsed('p100=50')).toMatchObject({
      points: [
        [0, 0],
        [1, 50],
      ],
    })
  })

  it('prints each form back the way it was given', () => {
    for (const raw of ['250', '50-300', 'p50=80,p95=250,p99=600']) expect(formatLatency(parsed(raw))).toBe(raw)
  })
})

describe('sampling', () => {
  it('keeps a range within its bounds and covers both ends', () => {
    const range = parsed('50-60')
    const draws = Array.from({ length: 2000 }, (_, k) => sampleLatency(range, unitHash(1, '', k, 'latency')))
    expect(Math.min(...draws)).toBe(50)
    expect(Math.max(...draws)).toBe(60)
    expect(sampleLatency(range, 0.9999999)).toBe(60)
  })

  it('honours every given percentile exactly in its quantile function', () => {
    const latency = parsed('p50=80,p95=250,p99=600')
    expect([0.5, 0.95, 0.99].map((q) => sampleLatency(latency, q))).toEqual([80, 250, 600])
  })

  // Sampling noise is judged where it lives, in probability: the share of draws at or below each
  // given value must be within 3 standard errors of its percentile. In milliseconds the same noise
  // is amplified by the slope (p95→p99 climbs 8.75 ms per 0.001), so that check allows 5 %.
  it.each([42, 1337, 1211])('matches p50, p95 and p99 over 10,000 seeded draws (seed %i)', (seed) => {
    const n = 10_000
    const latency = parsed('p50=80,p95=250,p99=600')
    const draws = Array.from({ length: n }, (_, k) => sampleLatency(latency, unitHash(seed, '', k + 1, 'latency'))).sort((a, b) => a - b)
    for (const [q, expected] of [
      [0.5, 80],
      [0.95, 250],
      [0.99, 600],
    ]) {
      const share = draws.filter((ms) => ms <= expected).length / n
      expect(Math.abs(share - q)).toBeLessThanOrEqual(3 * Math.sqrt((q * (1 - q)) / n) + 1 / n)
      expect(Math.abs(quantile(draws, q) - expected) / expected).toBeLessThanOrEqual(0.05)
    }
    expect(draws[0]).toBeGreaterThanOrEqual(40)
    expect(draws.at(-1)).toBeLessThanOrEqual(688)
  })

  it('is non-decreasing in the draw, so percentiles keep their order', () => {
    const latency = parsed('p10=20,p50=80,p90=200,p99=900')
    let last = -1
    for (let u = 0; u < 1; u += 0.001) {
      const ms = sampleLatency(latency, u)
      expect(ms).toBeGreaterThanOrEqual(last)
      last = ms
    }
  })
})
