// One session's live log rows never disappear because of another session's deliveries: the bound
// on live rows is per session (the reviewer's evict scenario, in-process).
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { MAX_LIVE_ROWS } from '../../src/delivery/deliveries.js'
import { send } from '../support/http.js'

const WEBHOOK = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid'
const TRIGGER = { agent_id: 'agent-uuid', webhook_id: 'webhook-uuid', event: 'event_phone_call_ended', payload: { n: 1 } }

describe('live rows of two sessions', () => {
  it(`keeps session s1's live row while the requests without a session start more than ${MAX_LIVE_ROWS} deliveries`, async () => {
    const app = createApp({ deliver: 'live', deliveryHooks: { sleep: async () => {}, runId: 'evict' } })
    // Port 9 on loopback: refused at once, so every delivery ends after one attempt.
    for (const h of [{ 'X-Mock-Session': 's1' }, {}]) {
      expect((await send(app, 'PUT', WEBHOOK, { webhook_url: 'http://127.0.0.1:9/fast', max_retries: 0 }, h)).status).toBe(200)
    }
    const first = await send(app, 'POST', '/__mock/deliveries?session=s1', TRIGGER)
    expect(first.status).toBe(202)
    const logId: string = (await first.json()).data.log_id
    const s1Rows = async () => JSON.stringify(await (await send(app, 'GET', `${WEBHOOK}/logs?per_page=100`, undefined, { 'X-Mock-Session': 's1' })).json())
    expect(await s1Rows()).toContain(logId)
    let next = 0
    let started = 0
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next++ < MAX_LIVE_ROWS + 100) {
          const res = await send(app, 'POST', '/__mock/deliveries', TRIGGER)
          expect([202, 429]).toContain(res.status)
          if (res.status === 202) started++
          else await new Promise((r) => setTimeout(r, 20)) // 1000 in flight: wait for some to end
        }
      }),
    )
    await new Promise((r) => setTimeout(r, 300))
    expect(started).toBeGreaterThan(MAX_LIVE_ROWS)
    expect(await s1Rows()).toContain(logId)
  }, 30_000)
})
