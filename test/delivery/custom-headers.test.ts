// Custom headers never frame or route a live delivery: hop-by-hop, framing and signature headers are
// refused when the webhook is written (Laravel's 422), and a delivery's request head on the wire
// carries only the Host and Content-Length the mock computed.
import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { requestHeaders, type Target } from '../../src/delivery/attempt.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { expectConforms } from '../support/contract.js'
import { auth, send } from '../support/http.js'

const closing: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closing.splice(0)) await close()
})

const RESERVED = [
  'Host',
  'host',
  'Content-Length',
  'Transfer-Encoding',
  'TRANSFER-ENCODING',
  'Connection',
  'Keep-Alive',
  'Proxy-Authorization',
  'Proxy-Connection',
  'TE',
  'Trailer',
  'Upgrade',
  'Expect',
  'webhook-id',
  'Webhook-Timestamp',
  'WEBHOOK-SIGNATURE',
  'Webhook-Event',
  'Content-Encoding',
  'X-Forwarded-Host',
  'x-forwarded-for',
  'Forwarded',
  'X-HTTP-Method-Override',
]

describe('custom headers that would frame or route the request', () => {
  it.each(RESERVED)('refuses a webhook created with the custom header %s (422, Laravel shape)', async (key) => {
    const app = createApp()
    const res = await send(app, 'POST', '/api/v1/agents/agent-uuid/webhooks', {
      name: 'Hook',
      webhook_url: 'http://127.0.0.1:9/hook',
      events: ['event_phone_call_ended'],
      custom_headers: [
        { key: 'X-Team', value: 'payments' },
        { key, value: 'evil' },
      ],
    })
    expect(res.status).toBe(422)
    const body = await expectConforms(res, 'createAgentWebhook')
    expect(Object.keys(body.errors)).toEqual(['custom_headers.1.key'])
    expect(body.errors['custom_headers.1.key'][0]).toContain(`"${key}"`)
    expect(body.errors['custom_headers.1.key'][0]).toMatch(/Please remove it/)
  })

  it('refuses two custom headers whose keys differ only in case (422 naming the second key), rather than dropping one value', async () => {
    const app = createApp()
    const res = await send(app, 'POST', '/api/v1/agents/agent-uuid/webhooks', {
      name: 'Hook',
      webhook_url: 'http://127.0.0.1:9/hook',
      events: ['event_phone_call_ended'],
      custom_headers: [
        { key: 'X-Api-Key', value: 'one' },
        { key: 'X-Team', value: 'payments' },
        { key: 'X-API-KEY', value: 'two' },
      ],
    })
    expect(res.status).toBe(422)
    const body = await expectConforms(res, 'createAgentWebhook')
    expect(Object.keys(body.errors)).toEqual(['custom_headers.2.key'])
    expect(body.errors['custom_headers.2.key'][0]).toContain('"X-API-KEY"')
    expect(body.errors['custom_headers.2.key'][0]).toContain('custom_headers.0')
  })

  it('refuses the same headers on an update and on a campaign webhook, and keeps the old settings', async () => {
    const app = createApp()
    const base = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid'
    const put = await send(app, 'PUT', base, { custom_headers: [{ key: 'Transfer-Encoding', value: 'chunked' }], name: 'Renamed' })
    expect(put.status).toBe(422)
    expect(Object.keys((await expectConforms(put, 'updateAgentWebhook')).errors)).toEqual(['custom_headers.0.key'])
    const after = await expectConforms(await send(app, 'GET', base), 'getAgentWebhook')
    expect(after.data.name).not.toBe('Renamed')
    const campaign = await send(app, 'POST', '/api/v1/campaigns/campaign-uuid/webhooks', {
      name: 'C',
      webhook_url: 'http://127.0.0.1:9/hook',
      events: ['campaign_call.completed'],
      custom_headers: [{ key: 'Content-Length', value: '0' }],
    })
    expect(campaign.status).toBe(422)
    await expectConforms(campaign, 'createCampaignWebhook')
  })

  it('refuses a header name or value that cannot be sent over HTTP, without echoing the value', async () => {
    const app = createApp()
    const res = await send(app, 'POST', '/api/v1/agents/agent-uuid/webhooks', {
      name: 'Hook',
      webhook_url: 'http://127.0.0.1:9/hook',
      events: ['event_phone_call_ended'],
      custom_headers: [
        { key: 'X Bad', value: 'ok' },
        { key: 'X-Split', value: 'sekrit-value\r\nHost: evil.example' },
      ],
    })
    expect(res.status).toBe(422)
    const body = await expectConforms(res, 'createAgentWebhook')
    expect(Object.keys(body.errors)).toEqual(['custom_headers.0.key', 'custom_headers.1.value'])
    expect(JSON.stringify(body)).not.toContain('sekrit')
  })

  it('never lets a custom header through the sender, even one written before the check existed', () => {
    const target: Target = {
      owner: 'agent',
      ownerId: 'a',
      webhookId: 'w',
      url: 'http://127.0.0.1:9/',
      method: 'POST',
      customHeaders: RESERVED.map((key) => ({ key, value: '1' })).concat([{ key: 'X-Team', value: 'payments' }]),
      timeout: 30,
      maxRetries: 0,
      enabled: true,
    }
    const headers = requestHeaders(target, { id: 'msg_1', timestamp: 1, body: '{}' })
    expect(Object.keys(headers).sort()).toEqual(['content-type', 'user-agent', 'webhook-id', 'webhook-timestamp', 'x-team'])
    expect(headers['webhook-id']).toBe('msg_1')
  })
})

describe('a live delivery on the wire', () => {
  it('carries exactly one Host (the URL’s), a Content-Length of the body and no Transfer-Encoding', async () => {
    // A raw TCP receiver: it sees the request head exactly as sent, duplicates included.
    const heads: string[] = []
    const raw: Server = createServer((socket) => {
      // The sender may reset its end once it has the answer: that is no failure of this receiver.
      socket.on('error', () => {})
      let data = ''
      socket.on('data', (chunk) => {
        data += chunk.toString('latin1')
        const end = data.indexOf('\r\n\r\n')
        if (end < 0) return
        heads.push(data.slice(0, end))
        socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n')
      })
    })
    await new Promise<void>((done) => raw.listen(0, '127.0.0.1', done))
    closing.push(() => new Promise((done) => raw.close(() => done())))
    const port = (raw.address() as { port: number }).port
    const server: RunningServer = await startServer({ deliver: 'live' })
    closing.unshift(() => server.close())
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const refused = await post('/api/v1/agents/agent-uuid/webhooks', {
      name: 'Hook',
      webhook_url: `http://127.0.0.1:${port}/hook`,
      events: ['event_phone_call_ended'],
      custom_headers: [{ key: 'Host', value: 'internal.example' }],
    })
    expect(refused.status).toBe(422)
    const created = await post('/api/v1/agents/agent-uuid/webhooks', {
      name: 'Hook',
      webhook_url: `http://127.0.0.1:${port}/hook`,
      events: ['event_phone_call_ended'],
      custom_headers: [{ key: 'X-Team', value: 'payments' }],
    })
    expect(created.status).toBe(201)
    const id = ((await created.json()) as { data: { id: string } }).data.id
    expect((await post('/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: id, event: 'event_phone_call_ended', payload: { a: 1 } })).status).toBe(202)
    for (let i = 0; i < 200 && heads.length === 0; i++) await new Promise((done) => setTimeout(done, 10))
    const lines = heads[0].split('\r\n').slice(1)
    const named = (name: string) => lines.filter((l) => l.toLowerCase().startsWith(`${name}:`)).map((l) => l.toLowerCase())
    expect(named('host')).toEqual([`host: 127.0.0.1:${port}`])
    expect(named('content-length')).toEqual(['content-length: 7'])
    expect(named('transfer-encoding')).toEqual([])
    expect(named('x-team')).toEqual(['x-team: payments'])
  })
})
