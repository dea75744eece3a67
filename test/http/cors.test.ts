// CORS: a browser front end on another port can call the API and the admin routes. With
// --cors-origin '*' every response carries Access-Control-Allow-Origin: *; by default a loopback
// origin is reflected (test/security/cors-defaults.test.ts); OPTIONS answers preflights (it was a 405).
import { describe, expect, it } from 'vitest'
import { createApp, type AppOptions } from '../../src/app.js'
import { resolveConfig } from '../../src/config.js'
import { startServer } from '../../src/server.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, auth, get } from '../support/http.js'

const mock = (options: AppOptions = {}) => createApp({ ...options, faults: { sleep: async () => {}, ...options.faults } })
const preflight = (method = 'GET', headers = 'authorization, x-mock-session') => ({
  method: 'OPTIONS',
  headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': headers },
})

describe('CORS headers on every response', () => {
  it.each([
    ['a page of logs', DOCS_LOGS, 'listWebhookLogs', 200],
    ['a webhook', '/api/v1/agents/agent-uuid/webhooks/webhook-uuid', 'getAgentWebhook', 200],
    ['an invalid page', `${DOCS_LOGS}?page=0`, 'listWebhookLogs', 422],
    ['the admin config', '/__mock/config', 'getMockConfig', 200],
    ['the health check', '/__mock/health', 'getMockHealth', 200],
    ['the spec', '/openapi.json', 'getOpenApiJson', 200],
    ['the YAML spec', '/openapi.yaml', 'getOpenApiYaml', 200],
    ['an unknown route', '/nowhere', null, 404],
  ] as const)("with '*', are on %s (Allow-Origin *, the mock headers exposed) and the response validates", async (_what, path, operationId, status) => {
    const res = await get(mock({ corsOrigin: '*' }), path)
    expect(res.status).toBe(status)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-expose-headers')).toContain('X-RateLimit-Remaining')
    expect(res.headers.get('access-control-expose-headers')).toContain('X-Mock-Seed')
    expect(res.headers.get('vary')).toBeNull()
    if (operationId) await expectConforms(res, operationId)
  })

  it('are on injected failures too', async () => {
    const res = await get(mock(), DOCS_LOGS, { 'X-Mock-Status': '503', Origin: 'http://localhost:5173' })
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    await expectConforms(res, 'listWebhookLogs')
  })

  it('name one origin (with Vary: Origin) when configured, and none with "none"', async () => {
    const one = await get(mock({ corsOrigin: 'http://localhost:3000' }), DOCS_LOGS, { Origin: 'http://localhost:3000' })
    expect(one.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
    expect(one.headers.get('vary')).toBe('Origin')
    const none = await get(mock({ corsOrigin: 'none' }), DOCS_LOGS, { Origin: 'http://localhost:3000' })
    expect(none.headers.get('access-control-allow-origin')).toBeNull()
    expect(none.headers.get('access-control-expose-headers')).toBeNull()
  })
})

describe('OPTIONS', () => {
  it('answers a preflight of the API with 204, the methods and the asked headers', async () => {
    const res = await mock().request(DOCS_LOGS, preflight())
    expect(res.status).toBe(204)
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'access-control-allow-origin': 'http://localhost:5173',
      vary: 'Origin',
      'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
      'access-control-allow-headers': 'authorization, x-mock-session',
      'access-control-max-age': '600',
    })
    expect(await res.text()).toBe('')
  })

  it('answers a preflight of the admin API without the admin token, which a preflight never carries', async () => {
    const app = mock({ adminToken: 's3cret' })
    expect((await app.request('/__mock/config', preflight('PATCH', 'authorization, content-type'))).status).toBe(204)
    expect((await app.request('/__mock/config')).status).toBe(401)
  })

  it('answers a preflight of an unknown path too: the request itself then gets its 404', async () => {
    expect((await mock().request('/api/v1/nothing', preflight())).status).toBe(204)
  })

  it("never delays, faults or journals a preflight, so it cannot shift a session's script", async () => {
    const app = mock({ faults: { failEvery: 2, latency: 100 } })
    const slept: number[] = []
    const timed = createApp({ faults: { failEvery: 2, sleep: async (ms) => void slept.push(ms), latency: 100 } })
    for (const a of [app, timed]) {
      expect((await get(a, DOCS_LOGS)).status).toBe(200)
      expect((await a.request(DOCS_LOGS, preflight())).status).toBe(204)
      expect((await get(a, DOCS_LOGS)).status).toBe(500)
    }
    expect(slept).toEqual([100, 100])
    const journal = (await (await app.request('/__mock/requests')).json()).data as { method: string }[]
    expect(journal.map((e) => e.method)).toEqual(['GET', 'GET'])
  })

  it("answers a plain OPTIONS (no preflight) like Laravel's router: 200 with Allow", async () => {
    const res = await mock({ corsOrigin: '*' }).request(DOCS_LOGS, { method: 'OPTIONS' })
    expect(res.status).toBe(200)
    expect(res.headers.get('allow')).toBe('GET, HEAD')
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('with CORS off, answers a preflight as a plain OPTIONS, without CORS headers', async () => {
    const res = await mock({ corsOrigin: 'none' }).request(DOCS_LOGS, preflight())
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('works for a browser-like client on a real socket', async () => {
    const server = await startServer({ corsOrigin: 'http://localhost:5173' })
    try {
      const pre = await fetch(`${server.url}${DOCS_LOGS}`, preflight())
      expect(pre.status).toBe(204)
      expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
      const res = await fetch(`${server.url}${DOCS_LOGS}`, { headers: { ...auth(), Origin: 'http://localhost:5173' } })
      await res.arrayBuffer()
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    } finally {
      await server.close()
    }
  })
})

describe('--cors-origin', () => {
  it('reads loopback (the default), *, a list of origins or none, with a sentence for anything else', () => {
    expect(resolveConfig([], {}).config.corsOrigin).toBe('loopback')
    expect(resolveConfig(['--cors-origin', '*'], {}).config.corsOrigin).toBe('*')
    expect(resolveConfig(['--cors-origin', 'http://localhost:3000, loopback'], {}).config.corsOrigin).toBe('http://localhost:3000,loopback')
    // none stays none: undefined would be re-defaulted by createApp (what the wire test in test/security checks).
    expect(resolveConfig([], { TALKOVER_MOCK_CORS_ORIGIN: 'none' }).config.corsOrigin).toBe('none')
    expect(() => resolveConfig(['--cors-origin', 'localhost:3000/app'], {})).toThrow(
      'Invalid --cors-origin "localhost:3000/app": "localhost:3000/app" is not an origin; use loopback, origins like http://localhost:3000 (scheme, host and port, no path) separated by commas, * or none.',
    )
  })
})
