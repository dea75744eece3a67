// The admin API of live delivery, sessions, the journal, close(), and --deliver off staying what
// it was: every answer checked against openapi.yaml.
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, type AppOptions } from '../../src/app.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, get, send } from '../support/http.js'
import { startReceiver, type Reply, type TestReceiver } from '../support/receiver.js'

const receivers: TestReceiver[] = []
const aborts: AbortController[] = []
afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort()
  await Promise.all(receivers.splice(0).map((r) => r.close()))
})

const post = (app: ReturnType<typeof createApp>, url: string, body: unknown) =>
  Promise.resolve(
    app.request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
  )

/** A live app and a receiver; `hook(session?)` creates a webhook to it in that session. */
async function setup(replies: Reply[] = [], options: AppOptions = {}) {
  const receiver = await startReceiver(replies)
  receivers.push(receiver)
  const abort = new AbortController()
  aborts.push(abort)
  // Waits between attempts are skipped unless a test brings its own hooks.
  const app = createApp({ deliver: 'live', signal: abort.signal, deliveryHooks: { sleep: async () => {} }, ...options })
  const hook = async (session?: string, extra: Record<string, unknown> = {}) => {
    const headers: Record<string, string> = session ? { 'X-Mock-Session': session } : {}
    const body = { name: 'R', webhook_url: receiver.url, events: ['event_phone_call_ended'], max_retries: 1, ...extra }
    const res = await send(app, 'POST', '/api/v1/agents/agent-uuid/webhooks', body, headers)
    return (await expectConforms(res, 'createAgentWebhook')).data.id as string
  }
  const deliveries = async (query = '') => expectConforms(await app.request(`/__mock/deliveries${query}`), 'listMockDeliveries')
  const idle = async () => {
    for (let i = 0; i < 500 && (await deliveries()).active > 0; i++) await new Promise((done) => setTimeout(done, 5))
  }
  return { app, receiver, abort, hook, deliveries, idle }
}

describe('POST /__mock/deliveries', () => {
  it.each([
    ['not JSON', '{', /^The body is not JSON/],
    ['not an object', '[1]', /^The body must be a JSON object like/],
    ['no webhook_id', { agent_id: 'agent-uuid' }, /^Missing webhook_id: send a JSON object like/],
    ['an unknown key', { agent_id: 'a', webhook_id: 'w', events: [] }, /^Unknown key "events": use agent_id, campaign_id, webhook_id, event, payload\.$/],
    ['a payload that is not an object', { agent_id: 'a', webhook_id: 'w', payload: [1] }, /^Invalid payload \[1\]: use a JSON object/],
  ])('answers 400 with one sentence for %s', async (_name, body, message) => {
    const { app } = await setup()
    const res = await post(app, '/__mock/deliveries', body)
    expect(res.status).toBe(400)
    expect((await expectConforms(res, 'createMockDelivery')).message).toMatch(message)
  })

  it('answers 404 for a deleted webhook, 422 for a disabled one or an event it does not receive', async () => {
    const { app, hook } = await setup()
    const id = await hook()
    const gone = await hook()
    await send(app, 'DELETE', `/api/v1/agents/agent-uuid/webhooks/${gone}`)
    const deleted = await post(app, '/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: gone })
    expect(deleted.status).toBe(404)
    expect(await expectConforms(deleted, 'createMockDelivery')).toEqual({ success: false, message: 'Webhook not found.' })
    const wrongEvent = await post(app, '/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: id, event: 'event_recording' })
    expect(wrongEvent.status).toBe(422)
    expect((await expectConforms(wrongEvent, 'createMockDelivery')).message).toBe(
      `Webhook ${id} is not subscribed to event_recording: it receives event_phone_call_ended. Trigger one of those, or add the event with PUT /api/v1/agents/agent-uuid/webhooks/${id}.`,
    )
    await send(app, 'PATCH', `/api/v1/agents/agent-uuid/webhooks/${id}/toggle`)
    const disabled = await post(app, '/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: id })
    expect(disabled.status).toBe(422)
    expect((await expectConforms(disabled, 'createMockDelivery')).message).toMatch(/is disabled, so it gets no deliveries: enable it with PATCH/)
  })

  it('starts a delivery of a drawn event when none is given, in the session named by ?session=', async () => {
    const { app, hook, receiver, idle } = await setup()
    const id = await hook('s-1')
    const res = await post(app, '/__mock/deliveries?session=s-1', { agent_id: 'agent-uuid', webhook_id: id })
    const body = await expectConforms(res, 'createMockDelivery')
    expect(res.status).toBe(202)
    expect(body).toMatchObject({ success: true, message: 'Delivery queued', data: { webhook_id: id, event: 'event_phone_call_ended' } })
    await idle()
    expect(receiver.received).toHaveLength(1)
    const logs = `/api/v1/agents/agent-uuid/webhooks/${id}/logs`
    const inSession = await expectConforms(await get(app, logs, { 'X-Mock-Session': 's-1' }), 'listWebhookLogs')
    expect(inSession.data.map((r: any) => r.id)).toEqual([body.data.log_id])
    // Another session never sees the delivery: there the created id is no webhook at all (a created
    // id is never an open-world webhook, issue 13), so its logs answer 404.
    const other = await get(app, `${logs}?per_page=100`, { 'X-Mock-Session': 's-2' })
    expect(other.status).toBe(404)
    expect(await expectConforms(other, 'listWebhookLogs')).toEqual({ success: false, message: 'Webhook not found.' })
  })

  it('answers 409 with the fix when live delivery is off', async () => {
    const app = createApp()
    const res = await post(app, '/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: 'webhook-uuid' })
    expect(res.status).toBe(409)
    expect((await expectConforms(res, 'createMockDelivery')).message).toMatch(/start talkover-mock with --deliver live/)
  })
})

describe('GET /__mock/deliveries and the journal', () => {
  it('shows each attempt with the headers sent and the answer, failures included', async () => {
    const { app, hook, deliveries, idle } = await setup([
      { status: 500, body: 'stack trace here' },
      { status: 200, body: 'ok' },
    ])
    const id = await hook(undefined, { webhook_secret: 'shh' })
    await post(app, '/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: id })
    await idle()
    const list = await deliveries()
    expect(list).toMatchObject({ success: true, deliver: 'live', active: 0 })
    const [d] = list.data
    expect(d).toMatchObject({ owner: 'agent', owner_id: 'agent-uuid', webhook_id: id, event: 'event_phone_call_ended', state: 'done' })
    expect(d.attempts.map((a: any) => [a.attempt, a.status, a.http_status, a.response_body])).toEqual([
      [2, 'success', 200, 'ok'],
      [1, 'retrying', 500, 'stack trace here'],
    ])
    expect(d.attempts[0].request_headers).toMatchObject({ 'webhook-id': d.id, 'webhook-signature': expect.stringMatching(/^v1,/) })
    expect(JSON.stringify(list)).not.toContain('shh')

    const journal = await expectConforms(await app.request('/__mock/requests'), 'listMockRequests')
    const outgoing = journal.data.filter((e: any) => e.delivery)
    expect(outgoing.map((e: any) => [e.method, e.path, e.status, e.delivery.attempt, e.delivery.status])).toEqual([
      ['POST', '/hook', 200, 2, 'success'],
      ['POST', '/hook', 500, 1, 'retrying'],
    ])
  })

  it('answers an empty list when live delivery is off', async () => {
    expect(await expectConforms(await createApp().request('/__mock/deliveries'), 'listMockDeliveries')).toEqual({
      success: true,
      deliver: 'off',
      active: 0,
      data: [],
    })
  })
})

describe('cancelling', () => {
  it('abort (what close() does) ends a pending retry wait: no further attempt is sent', async () => {
    const receiver = await startReceiver([{ status: 500 }])
    receivers.push(receiver)
    const abort = new AbortController()
    const app = createApp({ deliver: 'live', signal: abort.signal, deliverBackoff: '3600' })
    const created = await expectConforms(
      await send(app, 'POST', '/api/v1/agents/agent-uuid/webhooks', { name: 'R', webhook_url: receiver.url, events: ['event_phone_call_ended'] }),
      'createAgentWebhook',
    )
    await post(app, '/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: created.data.id })
    await receiver.waitFor(1)
    let list: any
    for (let i = 0; i < 200 && (list = await expectConforms(await app.request('/__mock/deliveries'), 'listMockDeliveries')).data[0].state !== 'waiting'; i++)
      await new Promise((d) => setTimeout(d, 5))
    expect(list.data[0]).toMatchObject({ state: 'waiting', next_attempt_at: expect.any(String) })
    const started = performance.now()
    abort.abort()
    for (let i = 0; i < 200 && (await expectConforms(await app.request('/__mock/deliveries'), 'listMockDeliveries')).active > 0; i++)
      await new Promise((d) => setTimeout(d, 5))
    expect(performance.now() - started).toBeLessThan(1000)
    expect(receiver.received).toHaveLength(1)
    const after = await post(app, '/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: created.data.id })
    expect(after.status).toBe(503)
    await expectConforms(after, 'createMockDelivery')
  })

  it("a session reset cancels that session's deliveries and forgets them", async () => {
    // The real timer this time: the wait is an hour long, and the reset must end it.
    const { app, hook, deliveries } = await setup([{ status: 500 }], { deliveryHooks: undefined, deliverBackoff: '3600' })
    const id = await hook('s-9')
    await post(app, '/__mock/deliveries?session=s-9', { agent_id: 'agent-uuid', webhook_id: id })
    for (let i = 0; i < 200 && (await deliveries()).data[0]?.state !== 'waiting'; i++) await new Promise((d) => setTimeout(d, 5))
    expect((await deliveries('?session=s-9')).data).toHaveLength(1)
    await app.request('/__mock/reset?session=s-9', { method: 'POST' })
    for (let i = 0; i < 200 && (await deliveries()).active > 0; i++) await new Promise((d) => setTimeout(d, 5))
    expect(await deliveries()).toMatchObject({ active: 0, data: [] })
  })
})

describe('--deliver off', () => {
  it('answers the test and retry endpoints exactly as before: nothing is sent', async () => {
    const off = createApp()
    const explicit = createApp({ deliver: 'off', deliverAllow: 'receiver.invalid', deliverBackoff: '1' })
    for (const [method, url] of [
      ['GET', `${DOCS_LOGS}?per_page=100`],
      ['POST', '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/test'],
      ['POST', `${DOCS_LOGS}/log-uuid-2/retry`],
      ['GET', `${DOCS_LOGS}?per_page=100`],
    ]) {
      const a = await send(off, method, url)
      const b = await send(explicit, method, url)
      expect(b.status).toBe(a.status)
      expect(await b.text()).toBe(await a.text())
    }
  })
})
