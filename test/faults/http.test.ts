// Fault injection through HTTP, in-process: headers, start-up options, emulated network faults.
// Delays go through an injected sleep that records what was asked, so nothing here waits.
import { describe, expect, it } from 'vitest'
import { createApp, type AppOptions } from '../../src/app.js'
import type { FaultOptions } from '../../src/faults/options.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, auth, get } from '../support/http.js'

const RETRY = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs/log-uuid-2/retry'

function faulty(faults: FaultOptions = {}, options: AppOptions = {}) {
  const slept: number[] = []
  const lines: string[] = []
  const app = createApp({ log: (line) => lines.push(line), ...options, faults: { sleep: async (ms) => void slept.push(ms), ...faults } })
  return { app, slept, lines }
}

async function statuses(app: ReturnType<typeof createApp>, n: number, headers: Record<string, string> = {}) {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push((await get(app, DOCS_LOGS, headers)).status)
  return out
}

describe('per-request headers', () => {
  it('delays by X-Mock-Latency, fixed or drawn from a range', async () => {
    const { app, slept } = faulty()
    expect((await get(app, DOCS_LOGS, { 'X-Mock-Latency': '250' })).status).toBe(200)
    await get(app, DOCS_LOGS, { 'X-Mock-Latency': '50-300' })
    expect(slept[0]).toBe(250)
    expect(slept[1]).toBeGreaterThanOrEqual(50)
    expect(slept[1]).toBeLessThanOrEqual(300)
  })

  it.each([
    [429, 'Too Many Attempts.', '7'],
    [500, 'Server Error', null],
    [502, 'Bad Gateway', null],
    [503, 'Service Unavailable', '7'],
    [504, 'Gateway Timeout', null],
  ])('answers X-Mock-Status %i with its body, Retry-After only on 429 and 503', async (status, message, retryAfter) => {
    const { app } = faulty({ retryAfter: 7 })
    const res = await get(app, DOCS_LOGS, { 'X-Mock-Status': String(status) })
    expect(res.status).toBe(status)
    expect(await expectConforms(res, 'listWebhookLogs')).toEqual({ success: false, message })
    expect(res.headers.get('retry-after')).toBe(retryAfter)
    expect(res.headers.get('x-mock-injected')).toBe('header; k=1')
  })

  it('answers another status the operation declares with the example from openapi.yaml', async () => {
    const res = await get(faulty().app, DOCS_LOGS, { 'X-Mock-Status': '404' })
    expect(res.status).toBe(404)
    expect(await expectConforms(res, 'listWebhookLogs')).toEqual({ success: false, message: 'Agent not found in this environment.' })
    const retry = await faulty().app.request(RETRY, { method: 'POST', headers: { ...auth(), 'X-Mock-Status': '422' } })
    expect(await expectConforms(retry, 'retryWebhookLog')).toEqual({ success: false, message: 'Log cannot be retried', code: 'LOG_NOT_RETRIABLE' })
  })

  it('answers normally on X-Mock-Status 200 even when every request should fail', async () => {
    const { app } = faulty({ errorRate: 1 })
    expect(await statuses(app, 3, { 'X-Mock-Status': '200' })).toEqual([200, 200, 200])
  })

  it('reads Prefer: code=<status> like Prism and ignores other preferences', async () => {
    const { app } = faulty()
    expect((await get(app, DOCS_LOGS, { Prefer: 'code=503' })).status).toBe(503)
    expect((await get(app, DOCS_LOGS, { Prefer: 'return=minimal, code=502' })).status).toBe(502)
    expect((await get(app, DOCS_LOGS, { Prefer: 'return=minimal' })).status).toBe(200)
  })

  it('uses X-Mock-Error-Rate instead of the configured rate', async () => {
    expect(await statuses(faulty().app, 3, { 'X-Mock-Error-Rate': '1' })).toEqual([500, 500, 500])
    expect(await statuses(faulty({ errorRate: 1 }).app, 3, { 'X-Mock-Error-Rate': '0' })).toEqual([200, 200, 200])
  })

  it.each([
    ['X-Mock-Latency', 'abc', 'use milliseconds like 250 or a range like 50-300, at most 120000'],
    ['X-Mock-Latency', '300-50', 'use milliseconds like 250 or a range like 50-300, at most 120000'],
    ['X-Mock-Latency', '999999', 'use milliseconds like 250 or a range like 50-300, at most 120000'],
    ['X-Mock-Status', '418', 'use 200 (answer normally), 429, 500, 502, 503, 504 or a status this operation declares with an example, like 503'],
    ['X-Mock-Status', 'oops', 'use 200 (answer normally), 429, 500, 502, 503, 504 or a status this operation declares with an example, like 503'],
    ['X-Mock-Error-Rate', '1.5', 'use a number from 0 to 1, like 0.5'],
    ['X-Mock-Fault', 'explode', 'use reset, hang or truncate'],
    ['X-Mock-Session', 'has space', 'use 1 to 128 letters, digits, dots, dashes, underscores or colons, like test-42'],
    ['Prefer', 'code=abc', 'use code=<status> with 200, 429, 500, 502, 503, 504 or a status this operation declares with an example, like code=503'],
  ])('answers a bad %s "%s" with 400 and how to fix it', async (name, value, hint) => {
    const res = await get(faulty().app, DOCS_LOGS, { [name]: value })
    expect(res.status).toBe(400)
    expect(await expectConforms(res, 'listWebhookLogs')).toEqual({ success: false, message: `Invalid ${name} header "${value}": ${hint}.` })
  })

  it('injects before authentication, like a gateway in front of the API', async () => {
    const res = await faulty().app.request(DOCS_LOGS, { headers: { 'X-Mock-Status': '503' } })
    expect(res.status).toBe(503)
  })
})

describe('start-up settings (createApp faults, mirroring the CLI)', () => {
  it('replays the same failures for the same seed, and other ones for another seed', async () => {
    const a = await statuses(faulty({ errorRate: 0.3 }, { seed: 42 }).app, 60)
    expect(await statuses(faulty({ errorRate: 0.3 }, { seed: 42 }).app, 60)).toEqual(a)
    expect(await statuses(faulty({ errorRate: 0.3 }, { seed: 7 }).app, 60)).not.toEqual(a)
    expect(a.filter((s) => s === 500).length).toBeGreaterThan(5)
    expect(new Set(a)).toEqual(new Set([200, 500]))
  })

  it('answers with --error-status', async () => {
    expect(await statuses(faulty({ errorRate: 1, errorStatus: 502 }).app, 2)).toEqual([502, 502])
  })

  it('fails every Nth request', async () => {
    expect(await statuses(faulty({ failEvery: 3 }).app, 7)).toEqual([200, 200, 500, 200, 200, 500, 200])
  })

  it('draws --latency reproducibly: same seed, same delays', async () => {
    const one = faulty({ latency: '50-300' }, { seed: 42 })
    const two = faulty({ latency: '50-300' }, { seed: 42 })
    await statuses(one.app, 20)
    await statuses(two.app, 20)
    expect(one.slept).toEqual(two.slept)
    expect(new Set(one.slept).size).toBeGreaterThan(10)
  })

  it('samples a percentile latency', async () => {
    const { app, slept } = faulty({ latency: 'p50=80,p95=250,p99=600' })
    await statuses(app, 200)
    slept.sort((a, b) => a - b)
    expect(slept[0]).toBeGreaterThanOrEqual(40)
    expect(slept[99]).toBeGreaterThan(60)
    expect(slept[99]).toBeLessThan(100)
  })

  it('takes a lone p0 as a constant delay, from createApp and from the admin API (a TypeError and a 500 before)', async () => {
    const { app, slept } = faulty({ latency: 'p0=50' })
    expect(await statuses(app, 3)).toEqual([200, 200, 200])
    const res = await app.request('/__mock/config', { method: 'PATCH', body: '{"latency":"p0=70"}', headers: { 'content-type': 'application/json' } })
    expect((await expectConforms(res, 'updateMockConfig')).data.latency).toBe('p0=70')
    await statuses(app, 1)
    expect(slept).toEqual([50, 50, 50, 70])
  })

  it('never delays or faults /openapi.* and /__mock/*', async () => {
    const { app, slept } = faulty({ latency: 500, errorRate: 1, fault: 'reset' })
    for (const path of ['/openapi.yaml', '/openapi.json', '/__mock/health', '/__mock/ready', '/__mock/config', '/__mock/requests']) {
      expect((await app.request(path)).status).toBe(200)
    }
    expect(slept).toEqual([])
  })

  it('refuses bad options at start-up with the CLI sentence', () => {
    expect(() => createApp({ faults: { latency: 'soon' } })).toThrow(
      'Invalid faults.latency "soon": use milliseconds like 250, a range like 50-300 or percentiles like p50=80,p95=250,p99=600.',
    )
    expect(() => createApp({ faults: { errorRate: 2 } })).toThrow('Invalid faults.errorRate "2": use a number from 0 to 1, like 0.1.')
    expect(() => createApp({ faults: { errorStatus: 404 } })).toThrow('Invalid faults.errorStatus "404": use 429, 500, 502, 503 or 504.')
    expect(() => createApp({ journalSize: -1 })).toThrow('Invalid journalSize "-1"')
  })

  it('shows injected faults in the access log line', async () => {
    const { app, lines } = faulty({ latency: 20 })
    await get(app, DOCS_LOGS, { 'X-Mock-Status': '503', 'X-Mock-Session': 't1' })
    await get(app, DOCS_LOGS)
    expect(lines[0]).toMatch(/^GET \/api\/v1\/agents\/agent-uuid\/webhooks\/webhook-uuid\/logs 503 \d+\.\dms fault=503 via=header delay=20ms session=t1$/)
    expect(lines[1]).toMatch(/ 200 \d+\.\dms delay=20ms$/)
  })
})

describe('network faults in-process (no socket: emulated the way fetch reports them)', () => {
  it('rejects app.request like fetch on reset', async () => {
    const { app, lines } = faulty()
    const error = await Promise.resolve(get(app, DOCS_LOGS, { 'X-Mock-Fault': 'reset' })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toBe('fetch failed')
    expect(((error as TypeError).cause as { code: string }).code).toBe('ECONNRESET')
    expect(lines[0]).toMatch(/ - \d+\.\dms fault=reset via=header$/)
  })

  it('holds a hang for --hang-ms, then rejects', async () => {
    const { app, slept } = faulty({ hangMs: 1234 })
    await expect(get(app, DOCS_LOGS, { 'X-Mock-Fault': 'hang' })).rejects.toThrow('fetch failed')
    expect(slept).toEqual([1234])
  })

  it('ends a hang when the client gives up, rejecting with its reason', async () => {
    const app = createApp({ faults: { sleep: (_ms, signal) => new Promise((done) => signal!.addEventListener('abort', () => done())) } })
    const client = new AbortController()
    const pending = app.request(DOCS_LOGS, { headers: { ...auth(), 'X-Mock-Fault': 'hang' }, signal: client.signal })
    client.abort(new DOMException('The operation timed out.', 'TimeoutError'))
    await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' })
    const [entry] = (await (await app.request('/__mock/requests')).json()).data
    expect(entry).toMatchObject({ fault: { kind: 'hang', via: 'header' }, client_aborted: true })
    expect(entry.status).toBeUndefined()
  })

  it('truncates: full headers and Content-Length, half the body, then an error', async () => {
    const { app } = faulty()
    const whole = new Uint8Array(await (await get(app, DOCS_LOGS)).arrayBuffer())
    const res = await get(app, DOCS_LOGS, { 'X-Mock-Fault': 'truncate' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBe(String(whole.length))
    const reader = res.body!.getReader()
    const first = await reader.read()
    expect(first.value).toEqual(whole.subarray(0, whole.length >> 1))
    await expect(reader.read()).rejects.toThrow('terminated')
  })

  it('journals the status a truncated response wrote, in-process too', async () => {
    const { app } = faulty()
    const res = await app.request(DOCS_LOGS, { headers: { 'X-Mock-Fault': 'truncate' } })
    expect(res.status).toBe(401)
    await res.arrayBuffer().catch(() => {})
    const [entry] = (await (await app.request('/__mock/requests')).json()).data
    expect(entry).toMatchObject({ status: 401, fault: { kind: 'truncate', via: 'header' } })
  })

  it('injects the configured fault at --fault-rate', async () => {
    const { app } = faulty({ fault: 'reset', faultRate: 1 })
    await expect(get(app, DOCS_LOGS)).rejects.toThrow('fetch failed')
  })
})
