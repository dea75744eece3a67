// mockClient: the typed admin client, in-process (app.request) and over a URL, scoped to a session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { MockAssertionError, MockClientError, mockClient } from '../../src/testing.js'
import { DOCS_LOGS, auth } from '../support/http.js'

let server: RunningServer
beforeAll(async () => {
  server = await startServer({ adminToken: 'admin-s3cret', deliver: 'live', deliveryHooks: { sleep: async () => {} } })
})
afterAll(() => server.close())

const targets = {
  'an in-process app': () => createApp({ adminToken: 'admin-s3cret' }),
  'a URL': () => server.url,
}

describe.each(Object.entries(targets))('mockClient against %s', (_, target) => {
  it('scripts failNext(2, 503) for its own session only', async () => {
    const mock = mockClient(target(), { adminToken: 'admin-s3cret', session: `fail-${Math.random()}` })
    await mock.failNext(2, 503)
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await mock.fetch(DOCS_LOGS, { headers: auth() })).status)
    expect(statuses).toEqual([503, 503, 200])
    const other = mock.withSession(`other-${Math.random()}`)
    expect((await other.fetch(DOCS_LOGS, { headers: auth() })).status).toBe(200)
    expect((await mock.config()).session).toMatchObject({ id: mock.session, requests: 3 })
  })

  it('moves the session clock with advance and set', async () => {
    const mock = mockClient(target(), { adminToken: 'admin-s3cret', session: `clock-${Math.random()}` })
    const before = await mock.clock.get()
    const after = await mock.clock.advance('1h')
    expect(Date.parse(after.now) - Date.parse(before.now)).toBe(3600_000)
    expect((await mock.clock.set('2030-01-01T00:00:00Z')).now).toBe('2030-01-01T00:00:00Z')
    expect((await mock.withSession('untouched').clock.get()).now).toBe(before.now)
  })

  it('finds and counts requests, and a wrong count names the closest request', async () => {
    const mock = mockClient(target(), { adminToken: 'admin-s3cret', session: `verify-${Math.random()}` })
    await mock.fetch(`${DOCS_LOGS}?page=2`, { headers: auth() })
    await mock.fetch('/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs/log-uuid-2/retry', { method: 'POST', headers: auth() })
    expect(await mock.requests.count({ method: 'GET', path: DOCS_LOGS })).toBe(1)
    await mock.requests.expectCount({ path_prefix: '/api/v1/agents/agent-uuid' }, 2)
    const [found] = await mock.requests.find({ method: 'POST' })
    expect(found.session).toBe(mock.session)
    const failure = await mock.requests
      .expectCount({ method: 'POST', path: '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs/log-uuid-1/retry' }, 1)
      .catch((e) => e)
    expect(failure).toBeInstanceOf(MockAssertionError)
    expect(failure.message).toContain('Expected 1 request matching POST /api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs/log-uuid-1/retry')
    expect(failure.message).toContain('found 0')
    expect(failure.message).toMatch(
      /Closest requests in the journal:\n {2}#\d+ POST \/api\/v1\/agents\/agent-uuid\/webhooks\/webhook-uuid\/logs\/log-uuid-2\/retry → \d+/,
    )
    expect(failure.message).toContain(
      'path: wanted /api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs/log-uuid-1/retry, was /api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs/log-uuid-2/retry',
    )
    await expect(mock.requests.assertRequested({ method: 'DELETE' })).rejects.toThrow(/Expected at least 1 request matching DELETE any path/)
  })

  it('resets its session and reads the world', async () => {
    const mock = mockClient(target(), { adminToken: 'admin-s3cret', session: `reset-${Math.random()}` })
    await mock.fetch(DOCS_LOGS, { headers: auth() })
    await mock.reset()
    expect(await mock.requests.count()).toBe(0)
    const world = await mock.world()
    expect(world.agents.map((a) => a.id)).toContain('agent-uuid')
  })

  it("throws a MockClientError with the mock's sentence on a refused call", async () => {
    const mock = mockClient(target(), { adminToken: 'wrong' })
    const error = await mock.config().catch((e) => e)
    expect(error).toBeInstanceOf(MockClientError)
    expect(error.status).toBe(401)
    expect(error.message).toMatch(/^talkover-mock refused GET \/__mock\/config with 401: /)
  })
})

describe('deliveries.waitFor', () => {
  it('resolves with the attempt once the receiver answered it, and times out naming what was delivered', async () => {
    const received: number[] = []
    const receiver = await startServer({ port: 0 })
    // Any listening URL on loopback is an allowed receiver; the mock's own health route answers 404 to a POST.
    const mock = mockClient(server.url, { adminToken: 'admin-s3cret', session: `deliver-${Math.random()}` })
    const created = await mock.fetch('/api/v1/agents/agent-uuid/webhooks', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Hook', webhook_url: `${receiver.url}/hook`, events: ['event_phone_call_ended'], max_retries: 0 }),
    })
    const webhook = (await created.json()).data.id
    await mock.deliveries.send({ agent_id: 'agent-uuid', webhook_id: webhook, event: 'event_phone_call_ended' })
    const { attempt } = await mock.deliveries.waitFor({ webhook, attempt: 1, status: 404 }, { timeout: 5000 })
    received.push(attempt.attempt)
    expect(received).toEqual([1])
    const late = await mock.deliveries.waitFor({ webhook, attempt: 2 }, { timeout: 100 }).catch((e) => e)
    expect(late.message).toMatch(
      /No delivery matched \{"webhook":"[^"]+","attempt":2\} within 100 ms\.\nAttempts so far:\n {2}\S+ event_phone_call_ended attempt 1: failed \(404\)/,
    )
    await receiver.close()
  })
})
