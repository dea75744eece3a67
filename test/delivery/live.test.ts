// Live delivery end to end in-process: app.request() drives the mock, real receivers on
// 127.0.0.1 answer, waits between attempts go through an injected sleep that records them.
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, type AppOptions } from '../../src/app.js'
import { expectConforms } from '../support/contract.js'
import { send } from '../support/http.js'
import { startReceiver, type Reply, type TestReceiver } from '../support/receiver.js'

const SECRET = 'whsec_' + Buffer.from('a test secret of 32 bytes, exact').toString('base64')
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
    app.request('/__mock/deliveries', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent_id: 'agent-uuid', webhook_id: webhookId, event: 'event_phone_call_ended', ...body }) })
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
    const { receiver, trigger, settled, waits } = await setup([{ status: 500 }, { status: 503 }, { status: 200, body: '{"ok":true}', headers: { 'content-type': 'application/json' } }])
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
})
