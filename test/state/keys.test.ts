// Ids are user input: a path may carry any character, `%2F` and `%00` included (Hono decodes them
// in path parameters). Every key built from ids must keep two different (owner, webhook) pairs
// apart, over HTTP and in-process.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { createWorld, lookupWebhook } from '../../src/world/world.js'
import { expectConforms } from '../support/contract.js'
import { get, send } from '../support/http.js'

const NEW_WEBHOOK = { name: 'CRM sync', webhook_url: 'https://crm.example.com/hooks/talkover', events: ['event_phone_call_ended'] }
const retryAt = (app: ReturnType<typeof createApp>, base: string, id: string) => send(app, 'POST', `${base}/logs/${id}/retry`)

/** The first failed row of a webhook's list (open world, seed 1). */
async function firstFailed(app: ReturnType<typeof createApp>, base: string): Promise<string | undefined> {
  const body = await expectConforms(await get(app, `${base}/logs?per_page=100`), 'listWebhookLogs')
  return body.data.find((r: any) => r.status === 'failed')?.id
}

describe('state keys built from ids that hold "/"', () => {
  it('keeps a webhook created for agent "a/b" out of agent "a"\'s list', async () => {
    const app = createApp()
    const created = await send(app, 'POST', '/api/v1/agents/a%2Fb/webhooks', NEW_WEBHOOK)
    const { data } = await expectConforms(created, 'createAgentWebhook')
    const mine = await expectConforms(await get(app, '/api/v1/agents/a%2Fb/webhooks'), 'listAgentWebhooks')
    expect(mine.data.webhooks.map((w: any) => w.id)).toContain(data.id)
    const other = await expectConforms(await get(app, '/api/v1/agents/a/webhooks'), 'listAgentWebhooks')
    expect(other.data.webhooks.map((w: any) => w.id)).not.toContain(data.id)
    expect(other.data.webhooks.map((w: any) => w.id)).not.toContain(`b/${data.id}`)
  })

  it('deletes agent "a"\'s webhook "b/c" without touching agent "a/b"\'s webhook "c"', async () => {
    const app = createApp()
    const gone = await send(app, 'DELETE', '/api/v1/agents/a/webhooks/b%2Fc')
    expect(gone.status).toBe(200)
    expect((await get(app, '/api/v1/agents/a/webhooks/b%2Fc')).status).toBe(404)
    const other = await get(app, '/api/v1/agents/a%2Fb/webhooks/c')
    expect(other.status).toBe(200)
    expect((await expectConforms(other, 'getAgentWebhook')).data.id).toBe('c')
  })

  it('keeps the retries of agent "a/b" webhook "c" out of agent "a" webhook "b/c"', async () => {
    // Seeds chosen so that both webhooks have a failed row in their first 100 (open world).
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const app = createApp({ seed })
      const id = await firstFailed(app, '/api/v1/agents/a%2Fb/webhooks/c')
      if (!id) continue
      expect((await retryAt(app, '/api/v1/agents/a%2Fb/webhooks/c', id)).status).toBe(200)
      const mine = await expectConforms(await get(app, '/api/v1/agents/a%2Fb/webhooks/c/logs'), 'listWebhookLogs')
      expect(mine.data[0]).toMatchObject({ status: 'pending', webhook_id: 'c' })
      const other = await expectConforms(await get(app, '/api/v1/agents/a/webhooks/b%2Fc/logs'), 'listWebhookLogs')
      for (const row of other.data) expect(row.webhook_id).toBe('b/c')
      return
    }
    throw new Error('no seed gave agent "a/b" webhook "c" a failed row on page 1')
  })
})

describe('the profile cache', () => {
  it('never answers an agent with a cached campaign profile, in either order', () => {
    for (const order of [0, 1]) {
      const world = createWorld({ seed: 1, now: 1705320000 })
      const campaign = () => lookupWebhook(world, 'c', 'w', 'campaign')
      const agent = () => lookupWebhook(world, 'campaign\u0000c', 'w', 'agent')
      const [first, second] = order === 0 ? [campaign(), agent()] : [agent(), campaign()]
      const [a, c] = order === 0 ? [second, first] : [first, second]
      expect(typeof a === 'object' && a.owner).toBe('agent')
      expect(typeof c === 'object' && c.owner).toBe('campaign')
    }
  })

  it('serves agent "campaign\\0c" its own logs after campaign "c" was asked, over HTTP', async () => {
    const app = createApp()
    const agentFirst = await (await get(createApp(), '/api/v1/agents/campaign%00c/webhooks/w/logs')).text()
    await get(app, '/api/v1/campaigns/c/webhooks/w/logs')
    const res = await get(app, '/api/v1/agents/campaign%00c/webhooks/w/logs')
    expect(await res.text()).toBe(agentFirst)
  })
})
