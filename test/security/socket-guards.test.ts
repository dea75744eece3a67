// The guards of the real socket (docs/security.md): a Host the mock was not told about is refused
// (DNS rebinding), and a state change from a web page on an origin that is not allowed is refused,
// even the simple (no-preflight) requests a page can send with fetch(…, { mode: 'no-cors' }).
// In-process use (app.request, app.fetch) is the caller's own code and is never refused for them.
import { connect } from 'node:net'
import { text } from 'node:stream/consumers'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { startServer, type RunningServer, type ServerOptions } from '../../src/server.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, auth } from '../support/http.js'
import { rawRequest } from '../support/raw-http.js'
import { startReceiver, type TestReceiver } from '../support/receiver.js'

let server: RunningServer | undefined
let receiver: TestReceiver | undefined
afterEach(async () => {
  await server?.close()
  await receiver?.close()
  server = receiver = undefined
})
const start = async (options: ServerOptions = {}) => (server = await startServer(options))
const WEBHOOK = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid'

describe('the Host check (DNS rebinding)', () => {
  it('refuses a DNS name it was not told about with 403 and one sentence naming --allowed-hosts', async () => {
    const { url } = await start()
    const res = await rawRequest(`${url}${DOCS_LOGS}`, { headers: { ...auth(), Host: 'evil.example:4010' } })
    expect(res.status).toBe(403)
    expect(res.headers['content-type']).toBe('application/json')
    const body = JSON.parse(res.text)
    expect(body).toEqual({ success: false, message: expect.stringContaining('--allowed-hosts') })
    expect(body.message).toContain('evil.example')
  })

  it('advises a value --allowed-hosts takes: the name without its port, and a plain sentence for an empty Host', async () => {
    const { url } = await start()
    const named = JSON.parse((await rawRequest(`${url}/__mock/health`, { headers: { Host: 'mock.internal:4010' } })).text)
    expect(named.message).toContain('start it with --allowed-hosts mock.internal (or TALKOVER_MOCK_ALLOWED_HOSTS)')
    // node:http would fill in an empty Host itself: written on a bare socket.
    const socket = connect(Number(new URL(url).port), '127.0.0.1')
    socket.end('GET /__mock/health HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n')
    const answer = (await text(socket)).split('\r\n\r\n')
    expect(answer[0]).toMatch(/^HTTP\/1\.1 403 /)
    expect(JSON.parse(answer[1]).message).toBe('talkover-mock answers only requests whose Host header names it, like 127.0.0.1:4010; this one had "" instead.')
  })

  it.each([
    ['an IPv4-mapped IPv6 Host the URL parser rewrites', 'GET /__mock/health HTTP/1.1\r\nHost: [::ffff:127.0.0.1]:4010\r\nConnection: close\r\n\r\n'],
    ['a backslash in the path', 'GET /api\\v1/agents HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'],
  ])('answers a request it cannot read (%s) with 400 and a JSON sentence, and keeps serving', async (_, head) => {
    const { url } = await start()
    const socket = connect(Number(new URL(url).port), '127.0.0.1')
    socket.end(head)
    const [status, rest] = (await text(socket)).split('\r\n\r\n')
    expect(status).toMatch(/^HTTP\/1\.1 400 /)
    expect(status.toLowerCase()).toContain('content-type: application/json')
    expect(JSON.parse(rest)).toEqual({ success: false, message: expect.stringMatching(/^talkover-mock could not read this request \(.+\): /) })
    expect((await rawRequest(`${url}/__mock/health`)).status).toBe(200)
  })

  it('refuses it before the answer cache: a page served twice is not served to a rebound name', async () => {
    const { url } = await start()
    for (let i = 0; i < 3; i++) expect((await rawRequest(`${url}${DOCS_LOGS}`, { headers: auth() })).status).toBe(200)
    expect((await rawRequest(`${url}${DOCS_LOGS}`, { headers: { ...auth(), Host: 'attacker.example' } })).status).toBe(403)
    expect((await rawRequest(`${url}/__mock/requests`, { headers: { Host: 'attacker.example' } })).status).toBe(403)
  })

  it.each([
    'localhost:4010',
    '127.0.0.1:4010',
    '[::1]:4010',
    'app.localhost:5173',
    'localhost',
    '10.0.0.5',
    '[fe80::1]',
    'talkover-mock:4010',
    'receiver',
    'LOCALHOST.',
  ])('lets Host %s through (loopback, *.localhost, IP literals, single-label service names)', async (host) => {
    const { url } = await start()
    expect((await rawRequest(`${url}/__mock/health`, { headers: { Host: host } })).status).toBe(200)
  })

  it('lets the names of --allowed-hosts through: exact names, .suffix for a domain and its subdomains, or *', async () => {
    const { url } = await start({ allowedHosts: 'talkover-mock.default.svc.cluster.local,.example.com' })
    const status = async (host: string) => (await rawRequest(`${url}/__mock/health`, { headers: { Host: host } })).status
    expect(await status('talkover-mock.default.svc.cluster.local:4010')).toBe(200)
    expect(await status('example.com')).toBe(200)
    expect(await status('api.example.com')).toBe(200)
    expect(await status('notexample.com')).toBe(403)
    expect(await status('other.svc.cluster.local')).toBe(403)
    await server!.close()
    const any = await start({ allowedHosts: '*' })
    expect((await rawRequest(`${any.url}/__mock/health`, { headers: { Host: 'evil.example' } })).status).toBe(200)
  })

  it('refuses an unknown --allowed-hosts form at start with one sentence', async () => {
    await expect(startServer({ allowedHosts: 'http://x.example/' })).rejects.toThrow(/Invalid allowedHosts "http:\/\/x\.example\/": .*\.example\.com/)
  })
})

describe('state changes from another origin', () => {
  it('refuses a no-cors text/plain POST to /__mock/reset and /__mock/deliveries from http://evil.example', async () => {
    const { url } = await start({ deliver: 'live' })
    for (const path of ['/__mock/reset', '/__mock/deliveries']) {
      const res = await rawRequest(`${url}${path}`, {
        method: 'POST',
        headers: { Origin: 'http://evil.example', 'Content-Type': 'text/plain;charset=UTF-8' },
        body: '{"agent_id":"agent-uuid","webhook_id":"webhook-uuid"}',
      })
      expect(res.status).toBe(403)
      expect(JSON.parse(res.text)).toEqual({ success: false, message: expect.stringContaining('--cors-origin') })
    }
  })

  it('refuses a PUT of webhook_url and POST …/test from http://evil.example under --deliver live, and nothing is sent', async () => {
    receiver = await startReceiver()
    const { url } = await start({ deliver: 'live' })
    const evil = { ...auth(), Origin: 'http://evil.example', 'Content-Type': 'application/json' }
    const put = await rawRequest(`${url}${WEBHOOK}`, { method: 'PUT', headers: evil, body: JSON.stringify({ webhook_url: receiver.url }) })
    expect(put.status).toBe(403)
    const test = await rawRequest(`${url}${WEBHOOK}/test`, { method: 'POST', headers: evil })
    expect(test.status).toBe(403)
    const seen = await (await fetch(`${url}${WEBHOOK}`, { headers: auth() })).json()
    expect(seen.data.webhook_url).not.toBe(receiver.url)
    expect(receiver.received).toEqual([])
  })

  it('lets the same changes through without Origin (curl, SDKs), from a loopback origin, and from its own origin (the dashboard)', async () => {
    const { url, port } = await start({ corsOrigin: 'none' })
    expect((await rawRequest(`${url}/__mock/reset`, { method: 'POST' })).status).toBe(200)
    const own = await rawRequest(`${url}/__mock/reset`, { method: 'POST', headers: { Origin: `http://127.0.0.1:${port}` } })
    expect(own.status).toBe(200)
    await server!.close()
    const dflt = await start()
    const local = await rawRequest(`${dflt.url}/__mock/reset`, { method: 'POST', headers: { Origin: 'http://localhost:5173' } })
    expect(local.status).toBe(200)
  })

  it('lets reads from another origin reach the mock (the browser keeps the answer from the page: no CORS header)', async () => {
    const { url } = await start()
    const res = await rawRequest(`${url}${DOCS_LOGS}`, { headers: { ...auth(), Origin: 'http://evil.example' } })
    expect(res.status).toBe(200)
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('answers the refusal with a body that validates against openapi.yaml', async () => {
    const { url } = await start()
    const res = await fetch(`${url}${WEBHOOK}/toggle`, { method: 'PATCH', headers: { ...auth(), Origin: 'http://evil.example' } })
    expect(res.status).toBe(403)
    await expectConforms(res, 'toggleAgentWebhook')
  })
})

describe('in-process use', () => {
  it('is never refused for its Host or Origin: app.request and app.fetch are the caller’s own code', async () => {
    const app = createApp()
    const headers = { ...auth(), Host: 'app.talkover.ai', Origin: 'https://app.talkover.ai' }
    expect((await app.request(`https://app.talkover.ai${DOCS_LOGS}`, { headers })).status).toBe(200)
    expect((await app.request(`https://app.talkover.ai${WEBHOOK}/toggle`, { method: 'PATCH', headers })).status).toBe(200)
    const viaFetch = await app.fetch(new Request(`https://app.talkover.ai/__mock/reset`, { method: 'POST', headers: { Origin: 'http://evil.example' } }))
    expect(viaFetch.status).toBe(200)
  })
})
