// Rate-limit headers like Laravel's throttle: on every API response, as constants (the mock keeps
// no counters), and what a throttled request gets on an injected 429.
import { describe, expect, it } from 'vitest'
import { createApp, type AppOptions } from '../../src/app.js'
import { resolveConfig } from '../../src/config.js'
import { startServer } from '../../src/server.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, auth, get, send } from '../support/http.js'

const RETRY = `${DOCS_LOGS}/log-uuid-2/retry`
const CLOCK = Date.UTC(2030, 0, 1, 0, 0, 0, 400)
const mock = (options: AppOptions = {}) => createApp({ ...options, faults: { clock: () => CLOCK, sleep: async () => {}, ...options.faults } })
const limits = (res: Response) => ({
  limit: res.headers.get('x-ratelimit-limit'),
  remaining: res.headers.get('x-ratelimit-remaining'),
  reset: res.headers.get('x-ratelimit-reset'),
  retryAfter: res.headers.get('retry-after'),
})

describe('rate-limit headers', () => {
  it.each([
    ['a page of logs', 'listWebhookLogs', () => get(mock(), DOCS_LOGS), 200],
    ['a retry', 'retryWebhookLog', () => send(mock(), 'POST', RETRY), 200],
    ['a webhook', 'getAgentWebhook', () => get(mock(), '/api/v1/agents/agent-uuid/webhooks/webhook-uuid'), 200],
    ['a missing token', 'listWebhookLogs', () => mock().request(DOCS_LOGS), 401],
    ['a validation failure', 'listWebhookLogs', () => get(mock(), `${DOCS_LOGS}?per_page=0`), 422],
    ['a bad control header', 'listWebhookLogs', () => get(mock(), DOCS_LOGS, { 'X-Mock-Status': '418' }), 400],
    ['an injected 500', 'listWebhookLogs', () => get(mock(), DOCS_LOGS, { 'X-Mock-Status': '500' }), 500],
    ['an injected 404 from the spec example', 'listWebhookLogs', () => get(mock(), DOCS_LOGS, { 'X-Mock-Status': '404' }), 404],
    ['an unknown API route', null, () => get(mock(), '/api/v1/nothing'), 404],
    ['a method the path does not have', null, () => send(mock(), 'PUT', DOCS_LOGS), 405],
  ] as const)('are on %s: Limit 100 (the Standard plan), Remaining 99, and the response validates', async (_what, operationId, request, status) => {
    const res = await request()
    expect(res.status).toBe(status)
    expect(limits(res)).toMatchObject({ limit: '100', remaining: '99', reset: null })
    await expectConforms(res, operationId)
  })

  it('report a fresh window whatever came before: the same headers in any request order', async () => {
    const app = mock()
    const seen = new Set<string>()
    for (let i = 0; i < 5; i++) seen.add(JSON.stringify(limits(await get(app, DOCS_LOGS))))
    expect([...seen]).toEqual([JSON.stringify({ limit: '100', remaining: '99', reset: null, retryAfter: null })])
  })

  it('say what a throttled request gets on an injected 429: Remaining 0, Retry-After and the reset second', async () => {
    const res = await get(mock({ faults: { retryAfter: 7 } }), DOCS_LOGS, { 'X-Mock-Status': '429' })
    expect(res.status).toBe(429)
    expect(limits(res)).toEqual({ limit: '100', remaining: '0', retryAfter: '7', reset: String(Math.ceil(CLOCK / 1000) + 7) })
    expect(await expectConforms(res, 'listWebhookLogs')).toEqual({ success: false, message: 'Too Many Attempts.' })
  })

  it('are the same on a 429 from the schedule (fail_every), not only from the header', async () => {
    const app = mock({ faults: { failEvery: 2, errorStatus: 429 } })
    await get(app, DOCS_LOGS)
    const res = await get(app, DOCS_LOGS)
    expect(res.status).toBe(429)
    expect(limits(res)).toMatchObject({ remaining: '0', retryAfter: '1', reset: String(Math.ceil(CLOCK / 1000) + 1) })
  })

  it('follow rateLimit, and rateLimit 0 sends none (a 429 keeps Retry-After)', async () => {
    expect(limits(await get(mock({ rateLimit: 1000 }), DOCS_LOGS))).toMatchObject({ limit: '1000', remaining: '999' })
    const off = mock({ rateLimit: 0 })
    expect(limits(await get(off, DOCS_LOGS))).toEqual({ limit: null, remaining: null, reset: null, retryAfter: null })
    expect(limits(await get(off, DOCS_LOGS, { 'X-Mock-Status': '429' }))).toEqual({ limit: null, remaining: null, reset: null, retryAfter: '1' })
  })

  it('are not on the admin API or the spec, which are not Talkover routes', async () => {
    const app = mock()
    for (const path of ['/__mock/health', '/__mock/config', '/openapi.json', '/openapi.yaml']) {
      expect((await app.request(path)).headers.get('x-ratelimit-limit')).toBeNull()
    }
  })

  it('are read from --rate-limit and TALKOVER_MOCK_RATE_LIMIT, with a sentence for a bad value', () => {
    expect(resolveConfig([], {}).config.rateLimit).toBe(100)
    expect(resolveConfig(['--rate-limit', '60'], {}).config.rateLimit).toBe(60)
    expect(resolveConfig([], { TALKOVER_MOCK_RATE_LIMIT: '0' }).config.rateLimit).toBe(0)
    expect(() => resolveConfig(['--rate-limit', 'lots'], {})).toThrow(
      'Invalid --rate-limit "lots": use a whole number of requests per minute like 100, or 0 for no rate-limit headers.',
    )
  })

  it('reach the client on a real socket', async () => {
    const server = await startServer({ rateLimit: 60 })
    try {
      const res = await fetch(`${server.url}${DOCS_LOGS}`, { headers: auth() })
      await res.arrayBuffer()
      expect(limits(res)).toMatchObject({ limit: '60', remaining: '59' })
      const throttled = await fetch(`${server.url}${DOCS_LOGS}`, { headers: { ...auth(), 'X-Mock-Status': '429' } })
      await throttled.arrayBuffer()
      expect(limits(throttled)).toMatchObject({ limit: '60', remaining: '0', retryAfter: '1' })
      expect(Number(throttled.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000))
    } finally {
      await server.close()
    }
  })
})
