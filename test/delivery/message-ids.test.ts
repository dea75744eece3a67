// A live delivery's `webhook-id` is the receiver's idempotency key (Standard Webhooks): a new event
// never reuses an old one, whether the mock restarted or was reset, while every retry of one
// message keeps it. Its `webhook-timestamp` is the wall clock of each attempt.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp, type AppOptions } from '../../src/app.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { auth, send } from '../support/http.js'
import { startReceiver, type Reply, type TestReceiver } from '../support/receiver.js'

const closing: (RunningServer | TestReceiver)[] = []
afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(closing.splice(0).map((c) => c.close()))
})

/** A mock process on a real port, its webhook pointed at `receiver`, and a way to trigger one event. */
async function mockProcess(receiver: TestReceiver, options: AppOptions = {}) {
  const server = await startServer({ deliver: 'live', deliveryHooks: { sleep: async () => {} }, ...options })
  closing.push(server)
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { ...auth(), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  const hook = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid'
  const point = async () => expect((await call('PUT', hook, { webhook_url: receiver.url, max_retries: 3 })).status).toBe(200)
  await point()
  return {
    /** Triggers one event; resolves with its first row's log id. */
    trigger: async () => {
      const res = await call('POST', '/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: 'webhook-uuid', event: 'event_phone_call_ended' })
      expect(res.status).toBe(202)
      return ((await res.json()) as { data: { log_id: string } }).data.log_id
    },
    /** POST /__mock/reset, then points the webhook at the receiver again (the reset undid the PUT). */
    reset: async () => {
      expect((await call('POST', '/__mock/reset', {})).status).toBe(200)
      await point()
    },
  }
}

const ids = (receiver: TestReceiver) => receiver.received.map((r) => String(r.headers['webhook-id']))

describe('webhook-id', () => {
  it('differs between two mock processes that run the same steps, and after a reset', async () => {
    const receiver = await startReceiver()
    closing.push(receiver)
    const first = await mockProcess(receiver)
    const logIds = [await first.trigger()]
    await receiver.waitFor(1)
    // A restart: a new process with the same seed and the same steps.
    const second = await mockProcess(receiver)
    logIds.push(await second.trigger())
    await receiver.waitFor(2)
    await second.reset()
    logIds.push(await second.trigger())
    await receiver.waitFor(3)
    expect(new Set(ids(receiver)).size).toBe(3)
    expect(new Set(logIds).size).toBe(3)
    for (const id of ids(receiver)) expect(id).toMatch(/^msg_[A-Za-z0-9]+$/)
  })

  it('stays the same on every retry of one message', async () => {
    const replies: Reply[] = [{ status: 500 }, { status: 503 }, { status: 200 }]
    const receiver = await startReceiver(replies)
    closing.push(receiver)
    const mock = await mockProcess(receiver)
    await mock.trigger()
    await receiver.waitFor(3)
    expect(new Set(ids(receiver)).size).toBe(1)
  })

  it('is the same for the same steps when the run id is pinned (tests)', async () => {
    const logIds: string[] = []
    for (let run = 0; run < 2; run++) {
      const app = createApp({ deliver: 'live', deliveryHooks: { runId: 'pinned', sleep: async () => {} } })
      const res = await app.request('/__mock/deliveries', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ agent_id: 'agent-uuid', webhook_id: 'webhook-uuid', event: 'event_phone_call_ended' }),
      })
      logIds.push(((await res.json()) as { data: { log_id: string } }).data.log_id)
      await app.request('/__mock/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    }
    expect(logIds[0]).toBe(logIds[1])
  })
})

describe('webhook-timestamp', () => {
  it('is the wall clock (Date.now) of each attempt, not a monotonic origin that lags after sleep', async () => {
    const receiver = await startReceiver([{ status: 500 }, { status: 200 }])
    closing.push(receiver)
    // Wall time jumps ahead between attempts, as after a laptop slept; performance.now() would not.
    const walls = [1_900_000_000_000, 1_900_000_777_000]
    let attempt = 0
    const app = createApp({ deliver: 'live', deliveryHooks: { sleep: async () => void attempt++ } })
    await send(app, 'PUT', '/api/v1/agents/agent-uuid/webhooks/webhook-uuid', { webhook_url: receiver.url })
    vi.spyOn(Date, 'now').mockImplementation(() => walls[Math.min(attempt, 1)])
    await app.request('/__mock/deliveries', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agent_id: 'agent-uuid', webhook_id: 'webhook-uuid', event: 'event_phone_call_ended' }),
    })
    const got = await receiver.waitFor(2)
    expect(got.map((r) => r.headers['webhook-timestamp'])).toEqual(['1900000000', '1900000777'])
  })

  it('reads an injected wall clock on every attempt', async () => {
    const receiver = await startReceiver([{ status: 500 }, { status: 200 }])
    closing.push(receiver)
    let wall = 1_800_000_000_000
    const app = createApp({ deliver: 'live', deliveryHooks: { sleep: async () => void (wall += 90_000), wallClock: () => wall } })
    await send(app, 'PUT', '/api/v1/agents/agent-uuid/webhooks/webhook-uuid', { webhook_url: receiver.url })
    await app.request('/__mock/deliveries', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agent_id: 'agent-uuid', webhook_id: 'webhook-uuid', event: 'event_phone_call_ended' }),
    })
    const got = await receiver.waitFor(2)
    expect(got.map((r) => r.headers['webhook-timestamp'])).toEqual(['1800000000', '1800000090'])
  })
})

describe('webhook-id of manual retries', () => {
  const row = (webhook: string, id: string) =>
    `          {"id":"${id}","webhook_id":"${webhook}","event":"event_phone_call_ended","attempt":1,"status":"failed","error":"Connection refused","duration_ms":3,"created_at":"2024-01-15T11:00:00Z"}`
  const hook = (id: string, rowIds: string[]) =>
    [
      `      - id: "${id}"`,
      '        name: "Hook"',
      '        webhook_url: "https://hooks.example.com/in"',
      '        events: ["event_phone_call_ended"]',
      '        enabled: true',
      '        recorded_rows: |',
      ...rowIds.map((r) => row(id, r)),
    ].join('\n')

  it('differs between two webhooks whose rows share an id, and between rows log-2 and log2, over a real receiver', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'talkover-msgid-'))
    const file = join(dir, 'two-hooks.yaml')
    writeFileSync(file, ['agents:', '  - id: "agent-a"', '    webhooks:', hook('wh-one', ['log-2', 'log2']), hook('wh-two', ['log-2'])].join('\n') + '\n')
    const receiver = await startReceiver([{ status: 500 }])
    closing.push(receiver)
    const server = await startServer({ deliver: 'live', fixtures: file, deliveryHooks: { sleep: async () => {} } })
    closing.push(server)
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: { ...auth(), 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    for (const webhook of ['wh-one', 'wh-two']) {
      expect((await call('PUT', `/api/v1/agents/agent-a/webhooks/${webhook}`, { webhook_url: `${receiver.url}?${webhook}` })).status).toBe(200)
    }
    for (const [webhook, log] of [
      ['wh-one', 'log-2'],
      ['wh-two', 'log-2'],
      ['wh-one', 'log2'],
    ]) {
      expect((await call('POST', `/api/v1/agents/agent-a/webhooks/${webhook}/logs/${log}/retry`)).status).toBe(200)
    }
    await receiver.waitFor(3)
    expect(new Set(ids(receiver)).size).toBe(3)
    // A second manual retry of the same row resends the same message: its id stays.
    expect((await call('POST', '/api/v1/agents/agent-a/webhooks/wh-one/logs/log-2/retry')).status).toBe(200)
    const got = await receiver.waitFor(4)
    expect(got[3].headers['webhook-id']).toBe(got[0].headers['webhook-id'])
    for (const id of ids(receiver)) expect(id).toMatch(/^msg_[A-Za-z0-9]+$/)
  })

  it('keeps the id of a live delivery when one of its rows is retried by hand', async () => {
    const receiver = await startReceiver([{ status: 500 }])
    closing.push(receiver)
    const server = await startServer({ deliver: 'live', deliveryHooks: { sleep: async () => {} } })
    closing.push(server)
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: { ...auth(), 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    const hook = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid'
    expect((await call('PUT', hook, { webhook_url: receiver.url, max_retries: 0 })).status).toBe(200)
    const res = await call('POST', '/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: 'webhook-uuid', event: 'event_phone_call_ended' })
    const logId = ((await res.json()) as { data: { log_id: string } }).data.log_id
    await receiver.waitFor(1)
    for (let i = 0; i < 50; i++) {
      const logs = (await (await call('GET', `${hook}/logs?per_page=1`)).json()) as { data: { status: string }[] }
      if (logs.data[0].status === 'failed') break
      await new Promise((r) => setTimeout(r, 20))
    }
    expect((await call('POST', `${hook}/logs/${logId}/retry`)).status).toBe(200)
    const got = await receiver.waitFor(2)
    expect(got[1].headers['webhook-id']).toBe(got[0].headers['webhook-id'])
  })
})
