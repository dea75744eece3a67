// Request bodies: /__mock/* takes application/json only (a page's no-cors text/plain POST is a 415),
// and every body has a cap, enforced while it is read (413), on a real socket.
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { MAX_ACTIVE_DELIVERY_BYTES } from '../../src/delivery/deliveries.js'
import { MAX_BODY_BYTES } from '../../src/http/body-limit.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { expectConforms } from '../support/contract.js'
import { auth } from '../support/http.js'
import { rawRequest } from '../support/raw-http.js'
import { startReceiver } from '../support/receiver.js'

let server: RunningServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('/__mock/* bodies are JSON', () => {
  it.each([
    ['POST', '/__mock/reset', 'text/plain;charset=UTF-8', 'x'],
    ['POST', '/__mock/deliveries', 'text/plain', '{"agent_id":"agent-uuid","webhook_id":"webhook-uuid"}'],
    ['PATCH', '/__mock/config', 'application/x-www-form-urlencoded', '{"error_rate":0.5}'],
    ['POST', '/__mock/clock', 'multipart/form-data; boundary=x', '--x--'],
  ])('refuses %s %s with Content-Type %s: 415 and a sentence', async (method, path, type, body) => {
    const app = createApp()
    const res = await app.request(path, { method, headers: { 'Content-Type': type }, body })
    expect(res.status).toBe(415)
    const answer = await res.clone().json()
    expect(answer).toEqual({ success: false, message: expect.stringContaining('application/json') })
    const config = await (await app.request('/__mock/config')).json()
    expect(config.data.error_rate).toBe(0)
  })

  it('refuses a body without a Content-Type, but lets an empty POST through (curl -X POST …/__mock/reset)', async () => {
    const app = createApp()
    expect((await app.request('/__mock/reset', { method: 'POST', body: new Uint8Array([123, 125]) })).status).toBe(415)
    expect((await app.request('/__mock/reset', { method: 'POST' })).status).toBe(200)
    const json = await app.request('/__mock/config', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: '{"error_rate":0.5}',
    })
    expect(json.status).toBe(200)
  })
})

describe('bounded bodies on a real socket', () => {
  const big = (bytes: number) => `{"agent_id":"agent-uuid","webhook_id":"webhook-uuid","payload":{"x":"${'a'.repeat(bytes)}"}}`

  it('refuses a declared body over the cap with 413 and a sentence naming it', async () => {
    server = await startServer({ deliver: 'live' })
    const res = await rawRequest(`${server.url}/__mock/deliveries`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: big(MAX_BODY_BYTES),
    })
    expect(res.status).toBe(413)
    expect(JSON.parse(res.text)).toEqual({ success: false, message: expect.stringContaining('1 MiB') })
  })

  it('refuses a chunked body once it passes the cap, without reading the rest first', async () => {
    server = await startServer({ deliver: 'live' })
    const chunk = Buffer.alloc(64 * 1024, 'a')
    const body = [Buffer.from('{"agent_id":"agent-uuid","webhook_id":"webhook-uuid","payload":{"x":"'), ...Array(40).fill(chunk), Buffer.from('"}}')]
    const res = await rawRequest(`${server.url}/__mock/deliveries`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
    expect(res.status).toBe(413)
  })

  it('refuses an API write over the cap too, with a body that validates', async () => {
    server = await startServer()
    const url = `${server.url}/api/v1/agents/agent-uuid/webhooks/webhook-uuid`
    const res = await fetch(url, {
      method: 'PUT',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) }),
    })
    expect(res.status).toBe(413)
    await expectConforms(res, 'updateAgentWebhook')
  })

  it('takes a body just under the cap', async () => {
    server = await startServer()
    const res = await rawRequest(`${server.url}/__mock/deliveries`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: big(MAX_BODY_BYTES - 200),
    })
    expect(res.status).toBe(409)
  })
})

describe('the in-flight delivery cap counts bytes', () => {
  it(`refuses a delivery whose payload would take the deliveries in flight past ${MAX_ACTIVE_DELIVERY_BYTES / 1024 / 1024} MiB, with 429 and a sentence`, async () => {
    const receiver = await startReceiver(['hang'])
    try {
      // A state budget that holds every live row: only the in-flight cap is under test here.
      server = await startServer({ deliver: 'live', stateBudgetMb: 512 })
      const url = `${server.url}/api/v1/agents/agent-uuid/webhooks`
      const created = await fetch(url, {
        method: 'POST',
        headers: { ...auth(), 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Never answers', webhook_url: receiver.url, events: ['event_phone_call_ended'] }),
      })
      const webhookId = (await created.json()).data.id
      const payload = { x: 'a'.repeat(MAX_BODY_BYTES - 1000) }
      const trigger = () =>
        fetch(`${server!.url}/__mock/deliveries`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ agent_id: 'agent-uuid', webhook_id: webhookId, event: 'event_phone_call_ended', payload }),
        })
      const fit = Math.floor(MAX_ACTIVE_DELIVERY_BYTES / (MAX_BODY_BYTES - 990))
      for (let i = 0; i < fit; i++) expect((await trigger()).status).toBe(202)
      const refused = await trigger()
      expect(refused.status).toBe(429)
      const body = await expectConforms(refused, 'createMockDelivery')
      expect(body.message).toContain('32 MiB')
      const small = await fetch(`${server.url}/__mock/deliveries`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ agent_id: 'agent-uuid', webhook_id: webhookId, event: 'event_phone_call_ended' }),
      })
      expect(small.status).toBe(202)
    } finally {
      await server?.close()
      server = undefined
      await receiver.close()
    }
  }, 60_000)
})
