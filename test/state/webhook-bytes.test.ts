// What a webhook write costs the state budget (review of issue 28): every string the write keeps
// counts, custom headers and the secret included, and a request carries at most 50 custom headers.
import { afterEach, describe, expect, it } from 'vitest'
import { writtenBytes } from '../../src/state/webhook-overlay.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { auth } from '../support/http.js'

const closing: RunningServer[] = []
afterEach(async () => {
  await Promise.all(closing.splice(0).map((s) => s.close()))
})

const WEBHOOKS = '/api/v1/agents/agent-uuid/webhooks'
const written = (config: Record<string, unknown>) => ({ config: config as never, created: true, ownerKey: 'a', webhookId: 'w' })

describe('the state budget charge of a written webhook', () => {
  const plain = { id: 'w', ownerId: 'o', name: 'n', webhookUrl: 'https://example.com/h', events: ['e'], customHeaders: [] }

  it('charges the custom header keys and values and the webhook secret it keeps', () => {
    const base = writtenBytes('k', written(plain))
    const withHeaders = writtenBytes('k', written({ ...plain, customHeaders: [{ key: 'X-Pad', value: 'v'.repeat(1000) }] }))
    const withSecret = writtenBytes('k', written({ ...plain, webhookSecret: 's'.repeat(500) }))
    expect(withHeaders - base).toBeGreaterThanOrEqual(2 * 1005)
    expect(withSecret - base).toBeGreaterThanOrEqual(2 * 500)
  })

  it('refuses a create with 51 custom headers with 422 on custom_headers', async () => {
    const server = await startServer({})
    closing.push(server)
    const send = (n: number) =>
      fetch(`${server.url}${WEBHOOKS}`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'orders',
          webhook_url: 'https://example.com/hook',
          events: ['event_phone_call_ended'],
          custom_headers: Array.from({ length: n }, (_, i) => ({ key: `X-H${i}`, value: 'v' })),
        }),
      })
    expect((await send(50)).status).toBe(201)
    const refused = await send(51)
    expect(refused.status).toBe(422)
    expect(JSON.stringify(await refused.json())).toContain('custom_headers')
  })

  it('ends ~1 MiB of custom headers a request in 409 once the budget is spent, and keeps serving', async () => {
    const server = await startServer({ stateBudgetMb: 1 })
    closing.push(server)
    const statuses: number[] = []
    for (let i = 0; i < 60; i++) {
      const res = await fetch(`${server.url}${WEBHOOKS}`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'orders',
          webhook_url: 'https://example.com/hook',
          events: ['event_phone_call_ended'],
          custom_headers: Array.from({ length: 50 }, (_, j) => ({ key: `X-H${j}`, value: 'v'.repeat(1000) })),
        }),
      })
      await res.arrayBuffer()
      statuses.push(res.status)
    }
    expect(statuses).toContain(409)
    expect((await fetch(`${server.url}/__mock/health`)).status).toBe(200)
  })
})
