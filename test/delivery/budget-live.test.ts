// Under the state budget a large live delivery never makes another session's writes disappear: the
// default session's webhook edit stays while deliveries run, and a delivery that does not fit is
// refused with 409 before anything is sent.
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { expectConforms } from '../support/contract.js'
import { send } from '../support/http.js'
import { startReceiver, type TestReceiver } from '../support/receiver.js'

const receivers: TestReceiver[] = []
const aborts: AbortController[] = []
afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort()
  await Promise.all(receivers.splice(0).map((r) => r.close()))
})

describe('live deliveries under the state budget', () => {
  it("keeps the default session's webhook edit while large payloads fill the budget, refusing the one that does not fit", async () => {
    const receiver = await startReceiver([])
    receivers.push(receiver)
    const abort = new AbortController()
    aborts.push(abort)
    const app = createApp({ deliver: 'live', stateBudgetMb: 1, signal: abort.signal, deliveryHooks: { sleep: async () => {} } })
    const hook = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid'
    expect((await send(app, 'PUT', hook, { webhook_url: receiver.url })).status).toBe(200)
    const big = { note: 'x'.repeat(150_000) }
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const res = await app.request('/__mock/deliveries', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Mock-Session': `big-${i}` },
        body: JSON.stringify({ agent_id: 'agent-uuid', webhook_id: 'webhook-uuid', event: 'event_phone_call_ended', payload: big }),
      })
      statuses.push(res.status)
      if (res.status === 409) {
        const body = await expectConforms(res, 'createMockDelivery')
        expect(body.message).toMatch(/state is full/)
      }
    }
    expect(statuses).toContain(409)
    const now = await expectConforms(await send(app, 'GET', hook), 'getAgentWebhook')
    expect(now.data.webhook_url).toBe(receiver.url)
  })
})
