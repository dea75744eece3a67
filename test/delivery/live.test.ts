// Live delivery end to end in-process: app.request() drives the mock, real receivers on
// 127.0.0.1 answer, waits between attempts go through an injected sleep that records them.
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, type AppOptions } from '../../src/app.js'
import { expectConforms } from '../support/contract.js'
import { send } from '../support/http.js'
import { startReceiver, type Reply, type TestReceiver } from '../support/receiver.js'

const SECRET = `whsec_${Buffer.from('a test secret of 32 bytes, exact').toString('base64')}`
const receivers: TestReceiver[] = []
const aborts: AbortController[] = []
afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort()
  await Promise.all(receivers.splice(0).map((r) => r.close()))
})

/** A live app whose waits are recorded and skipped, plus a receiver answering `replies`. */
async function setup(replies: Reply[] = [], options: AppOptions = {}) {
  const receiver = await startReceiver(replies)
  receivers.push(receiver)
  const waits: number[] = []
  const abort = new AbortController()
  aborts.push(abort)
  const lines: string[] = []
  const app = createApp({
    deliver: 'live',
    signal: abort.signal,
    log: (line) => lines.push(line),
    ...options,
    deliveryHooks: { sleep: async (ms) => void waits.push(ms), ...options.deliveryHooks },
  })
  const created = await expectConforms(
    await send(app, 'POST', '/api/v1/agents/agent-uuid/webhooks', {
      name: 'My receiver',
      webhook_url: receiver.url,
      webhook_secret: SECRET,
      events: ['event_phone_call_ended', 'event_phone_call_started'],
      max_retries: 3,
      custom_headers: [{ key: 'X-Team', value: 'payments' }],
    }),
    'createAgentWebhook',
  )
  const webhookId: string = created.data.id
  const base = `/api/v1/agents/agent-uuid/webhooks/${webhookId}`
  const logs = async () => expectConforms(await send(app, 'GET', `${base}/logs?per_page=100`), 'listWebhookLogs')
  const trigger = async (body: Record<string, unknown> = {}) =>
    app.request('/__mock/deliveries', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agent_id: 'agent-uuid', webhook_id: webhookId, event: 'event_phone_call_ended', ...body }),
    })
  /** Waits until the newest row has left `pending` and no delivery is active. */
  const settled = async () => {
    for (let i = 0; i < 500; i++) {
      const list = await expectConforms(await app.request('/__mock/deliveries'), 'listMockDeliveries')
      if (list.active === 0) return logs()
      await new Promise((done) => setTimeout(done, 5))
    }
    throw new Error('deliveries did not settle')
  }
  return { app, receiver, waits, lines, webhookId, base, logs, trigger, settled }
}

describe('live delivery', () => {
  it('retries a receiver that fails twice, then logs three attempts newest first', async () => {
    const { receiver, trigger, settled, waits } = await setup([
      { status: 500 },
      { status: 503 },
      { status: 200, body: '{"ok":true}', headers: { 'content-type': 'application/json' } },
    ])
    const res = await trigger()
    expect(res.status).toBe(202)
    const queued = await expectConforms(res, 'createMockDelivery')
    const { data } = await settled()
    expect(data.map((r: any) => [r.attempt, r.status, r.http_status])).toEqual([
      [3, 'success', 200],
      [2, 'retrying', 503],
      [1, 'retrying', 500],
    ])
    expect(data[2].id).toBe(queued.data.log_id)
    expect(data[1]).toMatchObject({ error: 'Service Unavailable' })
    expect(data[0]).toMatchObject({ response_body: '{"ok":true}', response_headers: { 'content-type': 'application/json' } })
    expect(receiver.received).toHaveLength(3)
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1)
    expect(JSON.parse(data[0].request_payload ? JSON.stringify(data[0].request_payload) : '{}')).toEqual(JSON.parse(receiver.received[2].body))
    expect(waits).toEqual([10_000, 30_000])
  })

  it('names the event of every attempt and manual retry in a webhook-event header', async () => {
    const { receiver, trigger, settled } = await setup([{ status: 410 }])
    await trigger({ event: 'event_phone_call_started' })
    await settled()
    expect(receiver.received.map((r) => r.headers['webhook-event'])).toEqual(['event_phone_call_started'])
  })

  it('signs every attempt so the standardwebhooks verifier accepts the exact bytes received', async () => {
    const { receiver, trigger, settled } = await setup([{ status: 502 }, { status: 204 }])
    await trigger()
    await settled()
    expect(receiver.received).toHaveLength(2)
    const timestamps = new Set<string>()
    for (const r of receiver.received) {
      const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]))
      expect(new Webhook(SECRET).verify(r.body, headers)).toEqual(JSON.parse(r.body))
      expect(r.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'Talkover-Webhooks/mock', 'x-team': 'payments' })
      expect(r.headers['webhook-id']).toMatch(/^msg_[A-Za-z0-9]+$/)
      // Real wall-clock seconds, not the mock's frozen 2024 clock: receivers reject stale timestamps.
      expect(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60)
      timestamps.add(String(r.headers['webhook-timestamp']))
      expect(r.method).toBe('POST')
    }
  })

  it('sends a given payload byte for byte and logs exactly what was sent', async () => {
    const { receiver, trigger, settled } = await setup()
    const payload = { call_id: 'call-1', duration: 45, note: 'olá ☎ "quoted"' }
    await trigger({ payload })
    const { data } = await settled()
    expect(receiver.received[0].body).toBe(JSON.stringify(payload))
    expect(data[0]).toMatchObject({ attempt: 1, status: 'success', event: 'event_phone_call_ended', request_payload: payload })
  })

  it('generates the payload from the seed when none is given, the same for the same steps', async () => {
    const bodies: string[] = []
    for (let run = 0; run < 2; run++) {
      const { receiver, trigger, settled } = await setup()
      await trigger()
      await settled()
      bodies.push(receiver.received[0].body)
    }
    expect(bodies[0]).toBe(bodies[1])
    expect(JSON.parse(bodies[0])).toMatchObject({ agent_id: 'agent-uuid', call_id: expect.any(String), ended_reason: expect.any(String) })
  })

  it('times out after the webhook timeout, with no http_status, and retries', async () => {
    const { trigger, settled } = await setup(['hang', { status: 200 }], { deliveryHooks: { timeoutMs: () => 150 } })
    await trigger()
    const { data } = await settled()
    expect(data[1]).toMatchObject({ attempt: 1, status: 'retrying', error: 'Connection timed out after 0.15 seconds' })
    expect(data[1].http_status).toBeUndefined()
    expect(data[1].duration_ms).toBeGreaterThanOrEqual(140)
    expect(data[0]).toMatchObject({ attempt: 2, status: 'success' })
  })

  it('logs a refused connection on every attempt up to max_retries, the last one failed', async () => {
    const { receiver, trigger, settled, waits } = await setup([], { deliverBackoff: '0.5,1' })
    await receiver.close()
    await trigger()
    const { data } = await settled()
    expect(data.slice(0, 4).map((r: any) => [r.attempt, r.status, r.error])).toEqual([
      [4, 'failed', 'Connection refused'],
      [3, 'retrying', 'Connection refused'],
      [2, 'retrying', 'Connection refused'],
      [1, 'retrying', 'Connection refused'],
    ])
    expect(waits).toEqual([500, 1000, 1000])
  })

  it('never contacts a host outside the allow-list, and says how to allow it', async () => {
    const { app, base, trigger, settled, lines } = await setup()
    await send(app, 'PUT', base, { webhook_url: 'http://receiver.invalid:3000/hook' })
    await trigger()
    const { data } = await settled()
    expect(data[0]).toMatchObject({ attempt: 1, status: 'failed', duration_ms: 0 })
    expect(data[0].error).toBe(
      'talkover-mock did not contact receiver.invalid: live delivery only reaches loopback hosts and the --deliver-allow list. To deliver there, start the mock with --deliver-allow receiver.invalid:3000.',
    )
    expect(lines.some((l) => l.startsWith('deliver POST http://receiver.invalid:3000/hook - 0.0ms attempt=1 failed'))).toBe(true)
  })

  it('stops retrying on 410 Gone', async () => {
    const { receiver, trigger, settled } = await setup([{ status: 410 }])
    await trigger()
    const { data } = await settled()
    expect(data[0]).toMatchObject({ attempt: 1, status: 'failed', http_status: 410, error: 'Gone' })
    expect(receiver.received).toHaveLength(1)
  })

  it("honours a 429's Retry-After up to twice the scheduled wait", async () => {
    const { trigger, settled, waits } = await setup(
      [{ status: 429, headers: { 'retry-after': '3' } }, { status: 503, headers: { 'retry-after': '100' } }, { status: 200 }],
      { deliverBackoff: [2] },
    )
    await trigger()
    const { data } = await settled()
    expect(data.slice(0, 3).map((r: any) => r.http_status)).toEqual([200, 503, 429])
    expect(waits).toEqual([3000, 4000])
  })

  it('treats a redirect as a failure and does not follow it', async () => {
    const { receiver, trigger, settled } = await setup([{ status: 301, headers: { location: 'http://127.0.0.1:1/' } }, { status: 200 }])
    await trigger()
    const { data } = await settled()
    expect(data[1]).toMatchObject({ status: 'retrying', http_status: 301, error: 'Moved Permanently (redirects are not followed)' })
    expect(receiver.received).toHaveLength(2)
  })

  it('cuts a huge answer at 64 KiB and the row says so', async () => {
    const { trigger, settled } = await setup([{ status: 200, body: 'x'.repeat(100_000) }])
    await trigger()
    const { data } = await settled()
    expect(data[0].response_body).toBe(`${'x'.repeat(65_536)}\n[talkover-mock: the response was cut at 65536 bytes]`)
  })
})

describe('redelivery through the retry endpoint', () => {
  it('sends a failed live attempt again for real, with the same webhook-id and the next attempt number', async () => {
    const { app, base, receiver, trigger, settled } = await setup([{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 200 }])
    await trigger()
    const before = await settled()
    const failed = before.data[0]
    expect(failed).toMatchObject({ attempt: 4, status: 'failed' })
    const res = await send(app, 'POST', `${base}/logs/${failed.id}/retry`)
    const body = await expectConforms(res, 'retryWebhookLog')
    const after = await settled()
    expect(after.data[0]).toMatchObject({ id: body.data.log_id, attempt: 5, status: 'success', http_status: 200 })
    expect(receiver.received).toHaveLength(5)
    expect(receiver.received[4].headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id'])
    expect(receiver.received[4].body).toBe(receiver.received[0].body)
  })

  it('redelivers a failed row of the generated history to the webhook as configured now', async () => {
    const { app, receiver } = await setup()
    const docs = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid'
    await send(app, 'PUT', docs, { webhook_url: receiver.url })
    const res = await send(app, 'POST', `${docs}/logs/log-uuid-2/retry`)
    expect(res.status).toBe(200)
    await receiver.waitFor(1)
    expect(receiver.received[0].headers['webhook-signature']).toBeUndefined()
    expect(JSON.parse(receiver.received[0].body)).toHaveProperty('call_id')
  })
})

describe('the Test Webhook endpoint', () => {
  it("sends the documented test payload and answers the receiver's real status and time", async () => {
    const { app, base, receiver, logs } = await setup([{ status: 202 }])
    const res = await send(app, 'POST', `${base}/test`)
    const body = await expectConforms(res, 'testAgentWebhook')
    expect(body).toMatchObject({ success: true, message: 'Test webhook sent successfully', data: { status_code: 202, response_time: expect.any(Number) } })
    const sent = JSON.parse(receiver.received[0].body)
    expect(sent).toMatchObject({ event: 'webhook.test', agent_id: 'agent-uuid', webhook_name: 'My receiver', test: true })
    expect(Object.keys(sent)).toEqual(['event', 'agent_id', 'agent_name', 'webhook_id', 'webhook_name', 'timestamp', 'test'])
    expect((await logs()).data[0]).toMatchObject({ event: 'webhook.test', attempt: 1, status: 'success', http_status: 202 })
  })

  it('answers 422 with the reason when the receiver cannot be reached', async () => {
    const { app, base, receiver } = await setup()
    await receiver.close()
    const res = await send(app, 'POST', `${base}/test`)
    expect(res.status).toBe(422)
    expect(await expectConforms(res, 'testAgentWebhook')).toEqual({ success: false, message: 'Test webhook failed: Connection refused' })
  })

  it('dispatches a campaign test without waiting for the receiver', async () => {
    const { app, receiver } = await setup()
    const created = await expectConforms(
      await send(app, 'POST', '/api/v1/campaigns/campaign-uuid/webhooks', { name: 'C', webhook_url: receiver.url, events: ['campaign_call.completed'] }),
      'createCampaignWebhook',
    )
    const res = await send(app, 'POST', `/api/v1/campaigns/campaign-uuid/webhooks/${created.data.id}/test`)
    expect(await expectConforms(res, 'testCampaignWebhook')).toEqual({ success: true, message: 'Test payload dispatched' })
    const [got] = await receiver.waitFor(1)
    expect(JSON.parse(got.body)).toHaveProperty('call_id')
  })
})
