// The fault decision and the seeded schedule, called directly: no HTTP, no waiting.
import { describe, expect, it } from 'vitest'
import { loadSpec } from '../../src/http/spec.js'
import { decide, describeDecision, type FaultConfig, type RequestFacts } from '../../src/faults/decide.js'
import { controlsReader } from '../../src/faults/overrides.js'
import { EMPTY_SCHEDULE, failsEveryNth, takeFailNext, unitHash, type ScheduleState } from '../../src/faults/schedule.js'

const SEEDS = [42, 1337, 1211]

const base: FaultConfig = {
  latency: null,
  errorRate: 0,
  errorStatus: 500,
  fault: null,
  faultRate: 1,
  failEvery: null,
  retryAfter: 1,
  hangMs: 30_000,
}

/** Runs `n` requests through decide() and returns each outcome as a short string. */
function run(
  config: Partial<FaultConfig>,
  n: number,
  opts: { seed?: number; session?: string; state?: ScheduleState; facts?: (k: number) => Partial<RequestFacts> } = {},
) {
  let state = opts.state ?? EMPTY_SCHEDULE
  const out: string[] = []
  for (let k = 1; k <= n; k++) {
    const facts = { overrides: {}, ...opts.facts?.(k) }
    const result = decide({ ...base, ...config }, state, { seed: opts.seed ?? 1, session: opts.session ?? '' }, facts)
    state = result.state
    const { outcome } = result.decision
    out.push(outcome.kind === 'none' ? 'ok' : outcome.kind === 'status' ? String(outcome.status) : outcome.fault)
  }
  return { out, state }
}

describe('the seeded error schedule', () => {
  it('fails the same k-th requests in every run with the same seed', () => {
    const a = run({ errorRate: 0.3 }, 200, { seed: 42 }).out
    const b = run({ errorRate: 0.3 }, 200, { seed: 42 }).out
    expect(a).toEqual(b)
    expect(a).toContain('500')
    expect(a).toContain('ok')
  })

  it('fails different requests with another seed or another session', () => {
    const a = run({ errorRate: 0.3 }, 200, { seed: 42 }).out
    expect(run({ errorRate: 0.3 }, 200, { seed: 43 }).out).not.toEqual(a)
    expect(run({ errorRate: 0.3 }, 200, { seed: 42, session: 'other' }).out).not.toEqual(a)
  })

  it.each(SEEDS.flatMap((seed) => [0.01, 0.1, 0.5, 0.9].map((rate) => [seed, rate])))(
    'with seed %i, fails a share within ±2 %% of rate %f over 10,000 requests',
    (seed, rate) => {
      const { out } = run({ errorRate: rate }, 10_000, { seed })
      const share = out.filter((o) => o === '500').length / out.length
      expect(Math.abs(share - rate)).toBeLessThanOrEqual(0.02)
    },
  )

  it('never fails at rate 0 and always fails at rate 1', () => {
    expect(run({ errorRate: 0 }, 1000).out.every((o) => o === 'ok')).toBe(true)
    expect(run({ errorRate: 1, errorStatus: 503 }, 1000).out.every((o) => o === '503')).toBe(true)
  })

  it('draws latency, errors and faults independently for the same request', () => {
    const pairs = Array.from({ length: 10_000 }, (_, k) => [unitHash(7, '', k + 1, 'error') < 0.5, unitHash(7, '', k + 1, 'fault') < 0.5])
    const both = pairs.filter(([e, f]) => e && f).length / pairs.length
    expect(Math.abs(both - 0.25)).toBeLessThanOrEqual(0.02)
  })

  it('injects the configured network fault at the fault rate', () => {
    const { out } = run({ fault: 'reset', faultRate: 0.2 }, 10_000, { seed: 1337 })
    expect(Math.abs(out.filter((o) => o === 'reset').length / 10_000 - 0.2)).toBeLessThanOrEqual(0.02)
  })
})

describe('deterministic scripts', () => {
  it('fails exactly every Nth request', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].filter((k) => failsEveryNth(k, 3))).toEqual([3, 6, 9])
    expect(run({ failEvery: { n: 3, status: 502 } }, 7).out).toEqual(['ok', 'ok', '502', 'ok', 'ok', '502', 'ok'])
    expect(run({ failEvery: { n: 2, fault: 'truncate' } }, 4).out).toEqual(['ok', 'truncate', 'ok', 'truncate'])
  })

  it('fails twice, then succeeds', () => {
    const state = { count: 0, failNext: [{ count: 2, status: 503 }] }
    const { out, state: after } = run({}, 4, { state })
    expect(out).toEqual(['503', '503', 'ok', 'ok'])
    expect(after.failNext).toEqual([])
    expect(after.count).toBe(4)
  })

  it('uses the configured error status when a script names none', () => {
    expect(run({ errorStatus: 504 }, 2, { state: { count: 0, failNext: [{ count: 1 }] } }).out).toEqual(['504', 'ok'])
  })

  it('counts a scoped script down only on matching requests', () => {
    const state = { count: 0, failNext: [{ count: 2, route: 'retryWebhookLog', webhook: 'w1' }] }
    const requests: Partial<RequestFacts>[] = [
      { route: 'listWebhookLogs', webhook: 'w1' },
      { route: 'retryWebhookLog', webhook: 'w2' },
      { route: 'retryWebhookLog', webhook: 'w1' },
      { route: 'listWebhookLogs', webhook: 'w1' },
      { route: 'retryWebhookLog', webhook: 'w1' },
      { route: 'retryWebhookLog', webhook: 'w1' },
    ]
    expect(run({}, requests.length, { state, facts: (k) => requests[k - 1] }).out).toEqual(['ok', 'ok', '500', 'ok', '500', 'ok'])
  })

  it('takes scripts in order, first match first', () => {
    const scripts = [
      { count: 1, webhook: 'a', status: 502 },
      { count: 1, status: 503 },
    ]
    const first = takeFailNext(scripts, { webhook: 'b' })
    expect(first.hit?.status).toBe(503)
    expect(takeFailNext(first.left, { webhook: 'a' }).hit?.status).toBe(502)
  })
})

describe('precedence', () => {
  it('lets a header status win over scripts without consuming them', () => {
    const state = { count: 0, failNext: [{ count: 1, status: 503 }] }
    const { out, state: after } = run({}, 1, { state, facts: () => ({ overrides: { status: 429 } }) })
    expect(out).toEqual(['429'])
    expect(after.failNext).toEqual([{ count: 1, status: 503 }])
  })

  it('answers normally on X-Mock-Status 200 whatever the schedule says', () => {
    expect(run({ errorRate: 1, failEvery: { n: 1 } }, 3, { facts: () => ({ overrides: { status: 200 } }) }).out).toEqual(['ok', 'ok', 'ok'])
  })

  it('takes a header fault and a header error rate', () => {
    expect(run({}, 2, { facts: () => ({ overrides: { fault: 'hang' } }) }).out).toEqual(['hang', 'hang'])
    expect(run({ errorRate: 0 }, 50, { facts: () => ({ overrides: { errorRate: 1 } }) }).out.every((o) => o === '500')).toBe(true)
  })

  it('checks fail_next before fail_every before the error rate', () => {
    const state = { count: 0, failNext: [{ count: 1, status: 502 }] }
    expect(run({ failEvery: { n: 1, status: 504 }, errorRate: 1, errorStatus: 503 }, 2, { state }).out).toEqual(['502', '504'])
    expect(run({ errorRate: 1, errorStatus: 503, fault: 'reset', faultRate: 1 }, 1).out).toEqual(['503'])
  })
})

describe('latency in the decision', () => {
  it('draws the same delay for the same request and seed, within the range', () => {
    const delays = (seed: number) =>
      Array.from(
        { length: 100 },
        (_, i) =>
          decide({ ...base, latency: { kind: 'range', min: 50, max: 300 } }, { count: i, failNext: [] }, { seed, session: '' }, { overrides: {} }).decision
            .delayMs,
      )
    expect(delays(42)).toEqual(delays(42))
    expect(delays(42)).not.toEqual(delays(43))
    expect(Math.min(...delays(42))).toBeGreaterThanOrEqual(50)
    expect(Math.max(...delays(42))).toBeLessThanOrEqual(300)
  })

  it('lets X-Mock-Latency replace the configured latency', () => {
    const { decision } = decide(
      { ...base, latency: { kind: 'fixed', ms: 10 } },
      EMPTY_SCHEDULE,
      { seed: 1, session: '' },
      { overrides: { latency: { kind: 'fixed', ms: 250 } } },
    )
    expect(decision.delayMs).toBe(250)
  })

  it('describes what it injected for the access log', () => {
    expect(describeDecision({ k: 2, delayMs: 200, outcome: { kind: 'status', status: 503 }, source: 'fail_next' })).toBe('fault=503 via=fail_next delay=200ms')
    expect(describeDecision({ k: 2, delayMs: 0, outcome: { kind: 'network', fault: 'reset' }, source: 'header' })).toBe('fault=reset via=header')
    expect(describeDecision({ k: 2, delayMs: 0, outcome: { kind: 'none' } })).toBe('')
  })
})

describe("reading a request's controls", () => {
  const read = controlsReader(loadSpec())

  it('names the operation and webhook a request targets, for scoped scripts', () => {
    expect(read('POST', '/api/v1/agents/a/webhooks/hook-7/logs/l/retry', {})).toMatchObject({
      facts: { route: 'retryWebhookLog', webhook: 'hook-7', overrides: {} },
    })
    expect(read('HEAD', '/api/v1/agents/a/webhooks/w/logs', {})).toMatchObject({ facts: { route: 'listWebhookLogs', webhook: 'w' } })
    expect(read('GET', '/api/v1/unknown', {})).toMatchObject({ facts: { route: undefined, webhook: undefined } })
  })

  it('reads every override header', () => {
    const headers = { 'x-mock-session': 's-1', 'x-mock-latency': '10-20', 'x-mock-error-rate': '0.5', 'x-mock-fault': 'truncate', prefer: 'code=502' }
    expect(read('GET', '/api/v1/agents/a/webhooks/w/logs', headers)).toMatchObject({
      session: 's-1',
      facts: { overrides: { latency: { kind: 'range', min: 10, max: 20 }, errorRate: 0.5, fault: 'truncate', status: 502 } },
    })
  })

  it('prefers X-Mock-Status over Prefer', () => {
    expect(read('GET', '/api/v1/agents/a/webhooks/w/logs', { 'x-mock-status': '429', prefer: 'code=503' })).toMatchObject({
      facts: { overrides: { status: 429 } },
    })
  })
})
