// POST /__mock/receiver-check in-process: app.request() drives the mock, receivers on 127.0.0.1
// verify with the standardwebhooks package. Every answer is checked against openapi.yaml.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, type AppOptions } from '../../src/app.js'
import { startServer } from '../../src/server.js'
import { expectConforms } from '../support/contract.js'
import { send } from '../support/http.js'
import { startReceiver } from '../support/receiver.js'

const SECRET = `whsec_${Buffer.from('a route check secret of 32 bytes').toString('base64')}`
const servers: Server[] = []
const aborts: AbortController[] = []
afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort()
  for (const s of servers.splice(0)) s.closeAllConnections(), s.close()
})

/** A correct receiver: verifies the raw bytes, acknowledges everything genuine. Records headers. */
async function correctReceiver(seen: Record<string, string>[] = []): Promise<string> {
  const wh = new Webhook(SECRET)
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]))
      seen.push(headers)
      try {
        wh.verify(Buffer.concat(chunks).toString('utf8'), headers)
        res.writeHead(204).end()
      } catch {
        res.writeHead(401).end()
      }
    })
  })
  servers.push(server)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
}

function liveApp(options: AppOptions = {}) {
  const abort = new AbortController()
  aborts.push(abort)
  return createApp({ deliver: 'live', signal: abort.signal, ...options })
}

const check = (app: ReturnType<typeof createApp>, body: unknown, query = '') =>
  app.request(`/__mock/receiver-check${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('POST /__mock/receiver-check', () => {
  it("checks a session's webhook with its secret, method and custom headers, and never shows the secret", async () => {
    const seen: Record<string, string>[] = []
    const url = await correctReceiver(seen)
    const app = liveApp()
    const created = await expectConforms(
      await send(
        app,
        'POST',
        '/api/v1/agents/dev-agent/webhooks',
        {
          name: 'Mine',
          webhook_url: url,
          webhook_secret: SECRET,
          events: ['event_phone_call_ended'],
          timeout: 5,
          custom_headers: [{ key: 'X-Team', value: 'payments' }],
        },
        { 'X-Mock-Session': 's1' },
      ),
      'createAgentWebhook',
    )
    const res = await check(app, { agent_id: 'dev-agent', webhook_id: created.data.id }, '?session=s1')
    const text = await res.clone().text()
    const { data } = await expectConforms(res, 'checkMockReceiver')
    expect(data).toMatchObject({ url, timeout: 5, outcome: 'passed', failed: 0, warnings: 0 })
    expect(data.passed).toBe(data.checks.length)
    expect(seen.every((h) => h['x-team'] === 'payments')).toBe(true)
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain(SECRET.slice(6))
    // A custom header may carry a credential: sent, never shown.
    expect(text).not.toContain('payments')
    expect(data.checks[0].requests[0].headers['x-team']).toBe('[redacted]')
  })

  it('checks a URL and secret given in the body', async () => {
    const app = liveApp()
    const { data } = await expectConforms(await check(app, { url: await correctReceiver(), secret: SECRET, timeout: 2 }), 'checkMockReceiver')
    expect(data).toMatchObject({ outcome: 'passed', timeout: 2 })
  })

  it('answers 200 with outcome unreachable when nothing listens there, without showing a password of the URL', async () => {
    const url = (await correctReceiver()).replace('http://', 'http://me:pa55word@')
    const server = servers.pop()!
    await new Promise((done) => server.close(done))
    const res = await check(liveApp(), { url, secret: SECRET })
    expect(await res.clone().text()).not.toContain('pa55word')
    const { data } = await expectConforms(res, 'checkMockReceiver')
    const shown = url.replace('me:pa55word@', '[redacted]@')
    expect(data).toMatchObject({
      url: shown,
      outcome: 'unreachable',
      checks: [],
      problem: `Could not reach ${shown}: Connection refused. Start the receiver (or correct the URL) and run the check again.`,
    })
  })

  it('refuses, on the socket, a page of an origin --cors-origin does not allow, and contacts no receiver; loopback pages and in-process calls are served', async () => {
    const seen: Record<string, string>[] = []
    const url = await correctReceiver(seen)
    const abort = new AbortController()
    aborts.push(abort)
    const server = await startServer({ deliver: 'live', signal: abort.signal })
    try {
      const ask = (origin: string, type = 'application/json') =>
        fetch(`${server.url}/__mock/receiver-check`, {
          method: 'POST',
          headers: { 'content-type': type, origin },
          body: JSON.stringify({ url, secret: SECRET }),
        })
      for (const origin of ['http://evil.example', 'null', 'https://127.0.0.1.nip.io']) {
        const res = await ask(origin)
        expect(res.status).toBe(403)
        expect((await expectConforms(res, 'checkMockReceiver')).message).toContain('--cors-origin')
      }
      // A page's no-cors POST (text/plain) from another origin is refused just the same.
      expect((await ask('http://evil.example', 'text/plain')).status).toBe(403)
      expect(seen).toEqual([])
      // The dashboard (same origin) and a front end on another loopback port are served.
      expect((await ask(server.url)).status).toBe(200)
      expect((await ask('http://localhost:5173')).status).toBe(200)
    } finally {
      await server.close()
    }
    // In-process, the caller's own code is not refused for its Origin (docs/security.md).
    const res = await liveApp().request('https://app.talkover.ai/__mock/receiver-check', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ url, secret: SECRET }),
    })
    expect(res.status).toBe(200)
  })

  it('answers a body over the cap with the documented 413', async () => {
    const res = await check(liveApp(), { url: 'http://127.0.0.1:9/hook', secret: SECRET, pad: 'x'.repeat(2 * 1024 * 1024) })
    expect(res.status).toBe(413)
    await expectConforms(res, 'checkMockReceiver')
  })

  it('refuses with 409 while live delivery is off: the mock contacts no receiver then', async () => {
    const res = await check(createApp(), { url: 'http://127.0.0.1:9/hook', secret: SECRET })
    expect(res.status).toBe(409)
    await expectConforms(res, 'checkMockReceiver')
  })

  it('refuses a host outside the allow-list with 422, before any lookup', async () => {
    const res = await check(liveApp(), { url: 'http://hooks.example.invalid/x', secret: SECRET })
    expect(res.status).toBe(422)
    expect((await expectConforms(res, 'checkMockReceiver')).message).toBe(
      'talkover-mock did not check the receiver at hooks.example.invalid: the check, like live delivery, only reaches loopback hosts and the --deliver-allow list. To check it, start the mock with --deliver-allow hooks.example.invalid.',
    )
  })

  it('refuses a webhook without a secret with 422 saying how to set one', async () => {
    const app = liveApp()
    const created = await expectConforms(
      await send(app, 'POST', '/api/v1/agents/dev-agent/webhooks', {
        name: 'Unsigned',
        webhook_url: await correctReceiver(),
        events: ['event_phone_call_ended'],
      }),
      'createAgentWebhook',
    )
    const res = await check(app, { agent_id: 'dev-agent', webhook_id: created.data.id })
    expect(res.status).toBe(422)
    expect((await expectConforms(res, 'checkMockReceiver')).message).toMatch(/^Webhook \S+ has no webhook_secret, so its deliveries are not signed/)
  })

  it('answers 400 with one sentence to a body naming both a webhook and a URL, or not JSON', async () => {
    const both = await check(liveApp(), { agent_id: 'a', webhook_id: 'w', url: 'http://127.0.0.1:1/', secret: SECRET })
    expect(both.status).toBe(400)
    expect((await expectConforms(both, 'checkMockReceiver')).message).toBe(
      'Name the receiver one way, not both: send either a webhook of the mock, like {"agent_id":"dev-agent","webhook_id":"local"}, or a receiver, like {"url":"http://127.0.0.1:3000/hook","secret":"whsec_…"}.',
    )
    const noSecret = await check(liveApp(), { url: 'http://127.0.0.1:1/' })
    expect((await expectConforms(noSecret, 'checkMockReceiver')).message).toMatch(/^Missing secret: send either/)
    const notJson = await liveApp().request('/__mock/receiver-check', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })
    expect(notJson.status).toBe(400)
    await expectConforms(notJson, 'checkMockReceiver')
  })

  it('runs at most 4 checks at once: a fifth answers 429 with Retry-After', async () => {
    const hung = await startReceiver(['hang'])
    try {
      const app = liveApp({ deliveryHooks: { timeoutMs: () => 300 } })
      const running = [1, 2, 3, 4].map(() => check(app, { url: hung.url, secret: SECRET }))
      await hung.waitFor(4)
      const fifth = await check(app, { url: hung.url, secret: SECRET })
      expect(fifth.status).toBe(429)
      expect(fifth.headers.get('retry-after')).toBe('1')
      await expectConforms(fifth, 'checkMockReceiver')
      for (const res of await Promise.all(running)) expect((await expectConforms(res, 'checkMockReceiver')).data.outcome).toBe('failed')
      expect((await check(app, { url: hung.url, secret: SECRET })).status).toBe(200)
    } finally {
      await hung.close()
    }
  })

  it('answers the documented 503 when the mock shuts down mid-check, not a failed report', async () => {
    const receiver = await startReceiver([{ status: 204 }, 'hang'])
    const abort = new AbortController()
    const app = createApp({ deliver: 'live', signal: abort.signal })
    const asked = check(app, { url: receiver.url, secret: SECRET, timeout: 5 })
    await receiver.waitFor(2)
    abort.abort()
    const res = await asked
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ success: false, message: 'talkover-mock is shutting down and sends no more webhooks.' })
    await receiver.close()
  })

  it('refuses a timeout outside 0.001–120 s, the bounds the CLI takes, and contacts no receiver', async () => {
    const receiver = await startReceiver()
    for (const timeout of [0.0001, 0, 120.5]) {
      const res = await check(liveApp(), { url: receiver.url, secret: SECRET, timeout })
      expect(res.status, String(timeout)).toBe(400)
      expect((await res.json()).message).toContain('use seconds from 0.001 to 120')
    }
    expect(receiver.received).toHaveLength(0)
    await receiver.close()
  })

  it('never echoes a secret or URL of the body in a 400: too long, wrong type, not a URL', async () => {
    const leak = `sk_live_${'A'.repeat(300)}`
    for (const body of [
      { url: 'http://127.0.0.1:1/', secret: leak },
      { url: 'http://127.0.0.1:1/', secret: [leak] },
      { url: `http://u:${leak}@x/`.repeat(40), secret: 'x' },
    ]) {
      const res = await check(liveApp(), body)
      expect(res.status).toBe(400)
      const text = await res.text()
      expect(text).not.toContain('AAAAAAAA')
      expect(text).toContain('(the value is not shown)')
    }
  })

  it('answers 404 for a webhook deleted in the session', async () => {
    const app = liveApp()
    const created = await expectConforms(
      await send(app, 'POST', '/api/v1/agents/dev-agent/webhooks', {
        name: 'Gone',
        webhook_url: await correctReceiver(),
        webhook_secret: SECRET,
        events: ['event_phone_call_ended'],
      }),
      'createAgentWebhook',
    )
    await send(app, 'DELETE', `/api/v1/agents/dev-agent/webhooks/${created.data.id}`)
    const res = await check(app, { agent_id: 'dev-agent', webhook_id: created.data.id })
    expect(res.status).toBe(404)
    await expectConforms(res, 'checkMockReceiver')
  })
})
