// A session is not idle while one of its live deliveries is sending or waiting to retry: its
// webhook edit must still be there when the next attempt goes out (the default backoff waits
// longer than the 10 idle minutes). Once its last delivery ended, it is forgotten whole after
// sitting idle as any other session.
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { send } from '../support/http.js'
import { startReceiver, type TestReceiver } from '../support/receiver.js'

const WEBHOOK = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid'
const MINUTE = 60_000
const receivers: TestReceiver[] = []
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close()
})

describe('a session with a live delivery waiting to retry', () => {
  it("keeps the session's webhook edit for the next attempt after 11 idle minutes, and forgets it whole once the delivery ended and it sat idle", async () => {
    const receiver = await startReceiver([{ status: 500 }, { status: 200 }])
    receivers.push(receiver)
    let now = 1_000_000
    let release!: () => void
    const waiting = new Promise<void>((r) => (release = r))
    const app = createApp({ deliver: 'live', faults: { clock: () => now }, deliveryHooks: { sleep: () => waiting, runId: 'hold' } })
    const h = { 'X-Mock-Session': 's1' }
    expect((await send(app, 'PUT', WEBHOOK, { webhook_url: `${receiver.url}?edited=1`, max_retries: 2 }, h)).status).toBe(200)
    const started = await send(app, 'POST', '/__mock/deliveries?session=s1', {
      agent_id: 'agent-uuid',
      webhook_id: 'webhook-uuid',
      event: 'event_phone_call_ended',
    })
    expect(started.status).toBeLessThan(300)
    await receiver.waitFor(1)
    now += 11 * MINUTE
    await app.request(`${WEBHOOK}/logs`, { headers: { Authorization: 'Bearer talq_x', 'X-Mock-Session': 'other' } })
    release()
    const [first, second] = await receiver.waitFor(2)
    expect(first.url).toBe('/hook?edited=1')
    expect(second.url).toBe('/hook?edited=1')
    // The delivery has ended: 11 more idle minutes and the session is forgotten whole.
    await new Promise((r) => setTimeout(r, 50))
    const read = async () => (await (await app.request(WEBHOOK, { headers: { Authorization: 'Bearer talq_x', ...h } })).json()).data.webhook_url
    now += 9 * MINUTE
    await app.request(`${WEBHOOK}/logs`, { headers: { Authorization: 'Bearer talq_x', 'X-Mock-Session': 'other' } })
    expect(await read()).toBe(`${receiver.url}?edited=1`)
    now += 11 * MINUTE
    await app.request(`${WEBHOOK}/logs`, { headers: { Authorization: 'Bearer talq_x', 'X-Mock-Session': 'other' } })
    expect(await read()).not.toBe(`${receiver.url}?edited=1`)
  })
})
