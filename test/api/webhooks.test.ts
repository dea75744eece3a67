// The agent and campaign webhook endpoints through app.request(): what they show agrees with the
// logs, writes go to a per-session overlay (journal, reset, sessions), campaign variants follow
// their docs pages. Time runs on an injected clock; every body is checked against openapi.yaml.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createApp, type AppOptions } from '../../src/app.js'
import { loadSpec } from '../../src/http/spec.js'
import { expectConforms } from '../support/contract.js'
import { get, send } from '../support/http.js'

const AGENT = '/api/v1/agents/agent-uuid/webhooks'
const DOCS_WEBHOOK = `${AGENT}/webhook-uuid`
const CAMPAIGN = '/api/v1/campaigns/campaign-uuid/webhooks'
const DOCS_CAMPAIGN_WEBHOOK = `${CAMPAIGN}/webhook-uuid-1`
const NEW_WEBHOOK = { name: 'CRM sync', webhook_url: 'https://crm.example.com/hooks/talkover', events: ['event_phone_call_ended'] }
const NEW_CAMPAIGN_WEBHOOK = { name: 'Results', webhook_url: 'https://example.com/results', events: ['campaign_call.completed'] }
const spec = loadSpec()
const agentEvents = (spec.document.components!.schemas!.AgentEventName as { enum: string[] }).enum

/** An app on a hand-driven clock: `advance(ms)` moves the retry clock, which times writes. */
function setup(options: AppOptions = {}) {
  let t = 1_000_000
  const app = createApp({ ...options, faults: { clock: () => t } })
  const call = async (operationId: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await send(app, method, url, body, headers)
    return { status: res.status, body: await expectConforms(res, operationId) }
  }
  return { app, call, advance: (ms: number) => void (t += ms) }
}

const closedWorld = () => {
  const file = join(mkdtempSync(join(tmpdir(), 'talkover-webhooks-')), 'closed.yaml')
  writeFileSync(file, 'open_world: false\nagents:\n  - id: known\n    webhooks:\n      - { id: w1, total: 5 }\n')
  return file
}

describe("an agent's webhooks", () => {
  it("lists a declared agent's declared webhooks, with the docs' available_events", async () => {
    const { call } = setup()
    const { body } = await call('listAgentWebhooks', 'GET', AGENT)
    expect(body.data.webhooks.map((w: any) => w.id).sort()).toEqual(['webhook-uuid', 'webhook-uuid-1m'])
    expect(Object.keys(body.data.available_events)).toEqual(agentEvents)
    expect(body.data.available_events.event_phone_call_started).toBe('Phone call has started')
  })

  it("shows the docs webhook's name and URL, and the settings its logs are generated with", async () => {
    const { call } = setup()
    const { body } = await call('getAgentWebhook', 'GET', DOCS_WEBHOOK)
    expect(body.data).toMatchObject({
      id: 'webhook-uuid',
      agent_id: 'agent-uuid',
      name: 'My Webhook',
      webhook_url: 'https://example.com/webhook',
      max_retries: 2,
      timeout: 30,
      enabled: true,
      status: 'active',
      events_count: 2,
    })
    expect(body.data.events).toEqual(['event_phone_call_started', 'event_phone_call_ended'])
    expect(body.data.created_at < '2023-12-16T12:00:00.000000Z').toBe(true)
  })

  it('gives open-world agents a seeded set of 0-4 webhooks: stable per request, different per seed', async () => {
    const { app } = setup({ seed: 3 })
    const ids = async (agent: string, headers: Record<string, string> = {}) =>
      (await expectConforms(await get(app, `/api/v1/agents/${agent}/webhooks`, headers), 'listAgentWebhooks')).data.webhooks.map((w: any) => w.id)
    const counts = new Set<number>()
    for (let i = 0; i < 40; i++) {
      const first = await ids(`agent-${i}`)
      expect(await ids(`agent-${i}`)).toEqual(first)
      expect(first.length).toBeLessThanOrEqual(4)
      counts.add(first.length)
    }
    expect(counts.has(0) && counts.has(1) && counts.has(2)).toBe(true)
    expect(await ids('agent-1', { 'X-Mock-Seed': '4' })).not.toEqual(await ids('agent-1'))
  })

  it('answers each listed webhook by id exactly as the list shows it', async () => {
    const { app, call } = setup()
    for (const agent of ['agent-uuid', 'agent-1', 'agent-2', 'agent-3']) {
      const { body } = await call('listAgentWebhooks', 'GET', `/api/v1/agents/${agent}/webhooks`)
      for (const webhook of body.data.webhooks) {
        expect((await expectConforms(await get(app, `/api/v1/agents/${agent}/webhooks/${webhook.id}`), 'getAgentWebhook')).data).toEqual(webhook)
      }
    }
  })

  it('answers the real 404s when the open world is off', async () => {
    const { call } = setup({ fixtures: closedWorld() })
    expect(await call('listAgentWebhooks', 'GET', '/api/v1/agents/stranger/webhooks')).toEqual({
      status: 404,
      body: { success: false, message: 'Agent not found in this environment.' },
    })
    expect((await call('createAgentWebhook', 'POST', '/api/v1/agents/stranger/webhooks', NEW_WEBHOOK)).status).toBe(404)
    expect(await call('getAgentWebhook', 'GET', '/api/v1/agents/known/webhooks/w2')).toEqual({
      status: 404,
      body: { success: false, message: 'Webhook not found.' },
    })
    expect(await call('getCampaignWebhook', 'GET', '/api/v1/campaigns/stranger/webhooks/w')).toEqual({
      status: 404,
      body: { success: false, message: 'Campaign not found in this environment.' },
    })
  })

  it('sends a test to the receiver its logs show, with the same answer every time, also when disabled', async () => {
    const { call } = setup()
    const first = await call('testAgentWebhook', 'POST', `${DOCS_WEBHOOK}/test`)
    expect(first.body).toMatchObject({ success: true, message: 'Test webhook sent successfully', data: { status_code: 200 } })
    expect(first.body.data.response_time).toBeLessThan(30_000)
    await call('toggleAgentWebhook', 'PATCH', `${DOCS_WEBHOOK}/toggle`)
    expect(await call('testAgentWebhook', 'POST', `${DOCS_WEBHOOK}/test`)).toEqual(first)
  })
})

describe('writing webhooks', () => {
  it("creates a webhook with the docs defaults, at the clock's instant, with no deliveries yet", async () => {
    const { call, advance } = setup()
    advance(90_000)
    const created = await call('createAgentWebhook', 'POST', AGENT, NEW_WEBHOOK)
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      message: 'Webhook created successfully',
      data: { ...NEW_WEBHOOK, timeout: 30, max_retries: 3, enabled: true, status: 'active', events_count: 1 },
    })
    // The frozen clock's instant: the 90 real seconds since start do not show.
    expect(created.body.data.created_at).toBe('2024-01-15T12:00:00.000000Z')
    const id = created.body.data.id
    expect((await call('getAgentWebhook', 'GET', `${AGENT}/${id}`)).body.data).toEqual(created.body.data)
    expect((await call('listAgentWebhooks', 'GET', AGENT)).body.data.webhooks.at(-1)).toEqual(created.body.data)
    expect((await call('listWebhookLogs', 'GET', `${AGENT}/${id}/logs`)).body).toEqual({
      success: true,
      data: [],
      pagination: { current_page: 1, per_page: 25, total: 0, last_page: 1 },
    })
  })

  it('draws new ids from the seed, the session and the count: same steps, same ids', async () => {
    const ids = async (headers: Record<string, string> = {}) => {
      const { call } = setup()
      const a = await call('createAgentWebhook', 'POST', AGENT, NEW_WEBHOOK, headers)
      const b = await call('createAgentWebhook', 'POST', AGENT, NEW_WEBHOOK, headers)
      return [a.body.data.id, b.body.data.id]
    }
    const first = await ids()
    expect(new Set(first).size).toBe(2)
    expect(await ids()).toEqual(first)
    expect(await ids({ 'X-Mock-Session': 's1' })).not.toEqual(first)
  })

  it('updates only the fields sent, and moves updated_at only when something changed', async () => {
    const { app, call, advance } = setup()
    const before = (await call('getAgentWebhook', 'GET', DOCS_WEBHOOK)).body.data
    advance(5_000)
    const same = await call('updateAgentWebhook', 'PUT', DOCS_WEBHOOK, { max_retries: 2, name: 'My Webhook' })
    expect(same.body).toEqual({ success: true, message: 'Webhook updated successfully', data: before })
    const changed = await call('updateAgentWebhook', 'PUT', DOCS_WEBHOOK, { max_retries: 5, timeout: 10 })
    expect(changed.body.data).toEqual({ ...before, max_retries: 5, timeout: 10, updated_at: '2024-01-15T12:00:00.000000Z' })
    expect((await call('getAgentWebhook', 'GET', DOCS_WEBHOOK)).body.data).toEqual(changed.body.data)
    const journal = await expectConforms(await app.request('/__mock/requests'), 'listMockRequests')
    expect(journal.data.filter((e: any) => e.webhook).map((e: any) => e.webhook)).toEqual([{ action: 'updated', webhook_id: 'webhook-uuid' }])
  })

  it('keeps the generated history as it was when the settings change', async () => {
    const { app, call } = setup()
    const page = async () => (await get(app, `${DOCS_WEBHOOK}/logs?per_page=100&page=2`)).text()
    const before = await page()
    await call('updateAgentWebhook', 'PUT', DOCS_WEBHOOK, { max_retries: 0, timeout: 5, events: ['event_action'] })
    expect(await page()).toBe(before)
  })

  it('lets PUT enabled:false stop retries, as the toggle does', async () => {
    const { call } = setup()
    await call('updateAgentWebhook', 'PUT', DOCS_WEBHOOK, { enabled: false })
    expect((await call('retryWebhookLog', 'POST', `${DOCS_WEBHOOK}/logs/log-uuid-2/retry`)).status).toBe(422)
    expect((await call('getAgentWebhook', 'GET', DOCS_WEBHOOK)).body.data).toMatchObject({ enabled: false, status: 'disabled' })
  })

  it('deletes a webhook: it, its logs and its retries answer 404, and the list leaves it out', async () => {
    const { call } = setup()
    expect(await call('deleteAgentWebhook', 'DELETE', DOCS_WEBHOOK)).toEqual({ status: 200, body: { success: true, message: 'Webhook deleted successfully' } })
    const gone = { status: 404, body: { success: false, message: 'Webhook not found.' } }
    expect(await call('getAgentWebhook', 'GET', DOCS_WEBHOOK)).toEqual(gone)
    expect(await call('listWebhookLogs', 'GET', `${DOCS_WEBHOOK}/logs`)).toEqual(gone)
    expect(await call('retryWebhookLog', 'POST', `${DOCS_WEBHOOK}/logs/log-uuid-2/retry`)).toEqual(gone)
    expect(await call('toggleAgentWebhook', 'PATCH', `${DOCS_WEBHOOK}/toggle`)).toEqual(gone)
    expect(await call('deleteAgentWebhook', 'DELETE', DOCS_WEBHOOK)).toEqual(gone)
    expect((await call('listAgentWebhooks', 'GET', AGENT)).body.data.webhooks.map((w: any) => w.id)).toEqual(['webhook-uuid-1m'])
  })

  it('deletes a created webhook and an open-world one for good, though the open world has every id', async () => {
    const { call } = setup()
    const id = (await call('createAgentWebhook', 'POST', AGENT, NEW_WEBHOOK)).body.data.id
    for (const url of [`${AGENT}/${id}`, '/api/v1/agents/a/webhooks/anything']) {
      expect((await call('deleteAgentWebhook', 'DELETE', url)).status).toBe(200)
      expect((await call('getAgentWebhook', 'GET', url)).status).toBe(404)
    }
  })

  it('journals every write with what it did', async () => {
    const { app, call } = setup()
    const id = (await call('createAgentWebhook', 'POST', AGENT, NEW_WEBHOOK)).body.data.id
    await call('toggleAgentWebhook', 'PATCH', `${AGENT}/${id}/toggle`)
    await call('toggleAgentWebhook', 'PATCH', `${AGENT}/${id}/toggle`)
    await call('deleteAgentWebhook', 'DELETE', `${AGENT}/${id}`)
    const journal = await expectConforms(await app.request('/__mock/requests'), 'listMockRequests')
    expect(journal.data.map((e: any) => e.webhook?.action)).toEqual(['deleted', 'enabled', 'disabled', 'created'])
    expect(journal.data.every((e: any) => e.webhook.webhook_id === id)).toBe(true)
  })
})

describe('webhook state', () => {
  const reads = [
    AGENT,
    DOCS_WEBHOOK,
    `${DOCS_WEBHOOK}/logs?per_page=100`,
    DOCS_CAMPAIGN_WEBHOOK,
    `${DOCS_CAMPAIGN_WEBHOOK}/logs`,
    '/api/v1/agents/agent-1/webhooks',
  ]
  const snapshot = async (app: ReturnType<typeof createApp>, headers: Record<string, string> = {}) =>
    Promise.all(reads.map(async (url) => (await get(app, url, headers)).text()))

  it('is byte-identical to the stateless world until a write, and again after reset', async () => {
    const { app, call } = setup()
    const pristine = await snapshot(createApp())
    expect(await snapshot(app)).toEqual(pristine)
    await call('toggleAgentWebhook', 'PATCH', `${DOCS_WEBHOOK}/toggle`)
    await call('updateCampaignWebhook', 'PUT', DOCS_CAMPAIGN_WEBHOOK, { events: ['campaign.started'] })
    await call('createAgentWebhook', 'POST', AGENT, NEW_WEBHOOK)
    expect(await snapshot(app)).not.toEqual(pristine)
    await app.request('/__mock/reset', { method: 'POST' })
    expect(await snapshot(app)).toEqual(pristine)
  })

  it('keeps each X-Mock-Session to its own writes, and resets one session alone', async () => {
    const { app, call } = setup()
    const pristine = await snapshot(app)
    const a = { 'X-Mock-Session': 'a' }
    const b = { 'X-Mock-Session': 'b' }
    await call('toggleAgentWebhook', 'PATCH', `${DOCS_WEBHOOK}/toggle`, undefined, a)
    await call('createAgentWebhook', 'POST', AGENT, NEW_WEBHOOK, b)
    expect((await call('getAgentWebhook', 'GET', DOCS_WEBHOOK, undefined, a)).body.data.enabled).toBe(false)
    expect((await call('getAgentWebhook', 'GET', DOCS_WEBHOOK, undefined, b)).body.data.enabled).toBe(true)
    expect(await snapshot(app)).toEqual(pristine)
    await app.request('/__mock/reset?session=a', { method: 'POST' })
    expect(await snapshot(app, a)).toEqual(pristine)
    expect((await call('listAgentWebhooks', 'GET', AGENT, undefined, b)).body.data.webhooks).toHaveLength(3)
  })
})

describe('campaign webhooks', () => {
  it('show the fields of each docs example', async () => {
    const { call } = setup()
    const { body } = await call('getCampaignWebhook', 'GET', DOCS_CAMPAIGN_WEBHOOK)
    expect(Object.keys(body.data)).toEqual([
      'id',
      'campaign_id',
      'name',
      'webhook_url',
      'events',
      'enabled',
      'timeout',
      'max_retries',
      'include_call_events',
      'created_at',
    ])
    expect(body.data).toMatchObject({ id: 'webhook-uuid-1', campaign_id: 'campaign-uuid', max_retries: 3, include_call_events: false })
    const created = await call('createCampaignWebhook', 'POST', CAMPAIGN, { ...NEW_CAMPAIGN_WEBHOOK, include_call_events: true })
    expect(created.status).toBe(201)
    expect(created.body).not.toHaveProperty('message')
    expect(created.body.data).toMatchObject({
      campaign_id: 'campaign-uuid',
      name: 'Results',
      events: ['campaign_call.completed'],
      enabled: true,
      include_call_events: true,
    })
    const updated = await call('updateCampaignWebhook', 'PUT', `${CAMPAIGN}/${created.body.data.id}`, { include_call_events: false })
    expect(Object.keys(updated.body.data)).toEqual(['id', 'events', 'include_call_events', 'updated_at'])
    expect(await call('toggleCampaignWebhook', 'PATCH', `${DOCS_CAMPAIGN_WEBHOOK}/toggle`)).toEqual({
      status: 200,
      body: { success: true, message: 'Webhook disabled', data: { id: 'webhook-uuid-1', enabled: false } },
    })
    expect((await call('testCampaignWebhook', 'POST', `${DOCS_CAMPAIGN_WEBHOOK}/test`)).body).toEqual({ success: true, message: 'Test payload dispatched' })
  })

  it('serve the docs logs example: 47 rows, log-uuid-1 failed on top, no webhook_id, no last_page', async () => {
    const { call } = setup()
    const { body } = await call('listCampaignWebhookLogs', 'GET', `${DOCS_CAMPAIGN_WEBHOOK}/logs`)
    expect(body.pagination).toEqual({ current_page: 1, per_page: 25, total: 47 })
    expect(body.data[0]).toMatchObject({ id: 'log-uuid-1', status: 'failed', attempt: 4 })
    expect(body.data.slice(1, 4).map((r: any) => [r.attempt, r.status])).toEqual([
      [3, 'retrying'],
      [2, 'retrying'],
      [1, 'retrying'],
    ])
  })

  it("answer the docs retry example: 'Webhook retry queued', no queued_at", async () => {
    const { call } = setup()
    const { body } = await call('retryCampaignWebhookLog', 'POST', `${DOCS_CAMPAIGN_WEBHOOK}/logs/log-uuid-1/retry`)
    expect(body).toEqual({ success: true, message: 'Webhook retry queued', data: { log_id: expect.any(String), original_log_id: 'log-uuid-1' } })
  })

  it('are a world apart from agent webhooks with the same ids', async () => {
    const { app, call } = setup()
    const logs = async (owner: string) => (await get(app, `/api/v1/${owner}/x/webhooks/w/logs?per_page=5`)).json()
    const [agent, campaign] = [await logs('agents'), await logs('campaigns')]
    expect(campaign.data.map((r: any) => r.id)).not.toEqual(agent.data.map((r: any) => r.id))
    await call('toggleCampaignWebhook', 'PATCH', '/api/v1/campaigns/x/webhooks/w/toggle')
    expect((await call('getCampaignWebhook', 'GET', '/api/v1/campaigns/x/webhooks/w')).body.data.enabled).toBe(false)
    expect((await call('getAgentWebhook', 'GET', '/api/v1/agents/x/webhooks/w')).body.data.enabled).toBe(true)
  })

  it('have no list or delete in the docs, so those methods answer 405', async () => {
    const { app } = setup()
    const list = await get(app, CAMPAIGN)
    expect(list.status).toBe(405)
    expect(list.headers.get('allow')).toBe('POST')
    expect((await send(app, 'DELETE', DOCS_CAMPAIGN_WEBHOOK)).status).toBe(405)
  })
})
