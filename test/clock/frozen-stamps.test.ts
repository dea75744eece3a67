// Under a frozen clock every write is stamped with the clock's instant, never the instant plus the
// real seconds since start: the same requests give the same bytes whenever they are sent.
import { describe, expect, it } from 'vitest'
import { createApp, type AppOptions } from '../../src/app.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, send } from '../support/http.js'

const AGENT = '/api/v1/agents/agent-uuid/webhooks'
const NEW_WEBHOOK = { name: 'CRM', webhook_url: 'https://crm.example/hooks', events: ['event_phone_call_ended'] }

/** An app whose real time is moved by hand. */
function setup(options: AppOptions = {}) {
  let t = 1_000_000
  const app = createApp({ ...options, faults: { clock: () => t } })
  return { app, pass: (ms: number) => void (t += ms) }
}

/** A sequence of writes with `gaps` real ms before each, and the bytes it ends with. */
async function replay(gaps: number[]) {
  const { app, pass } = setup()
  const out: string[] = []
  const steps = [
    () => send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`, undefined, { 'X-Mock-Retry-Outcome': 'success' }),
    () => send(app, 'POST', AGENT, NEW_WEBHOOK),
    () => send(app, 'PUT', `${AGENT}/webhook-uuid`, { timeout: 11 }),
    () => send(app, 'POST', '/__mock/clock', { advance: '1h' }),
    () => send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`),
    () => send(app, 'PATCH', `${AGENT}/webhook-uuid/toggle`),
  ]
  for (const [i, step] of steps.entries()) {
    pass(gaps[i])
    out.push(await (await step()).text())
  }
  // Long after every retry settled (the settle delay is real time).
  pass(10_000)
  out.push(await (await send(app, 'GET', `${DOCS_LOGS}?per_page=5`)).text())
  out.push(await (await send(app, 'GET', AGENT)).text())
  return out
}

describe('writes under a frozen clock', () => {
  it("stamps a retry's queued_at and created_at with the clock's instant, whatever real time passed", async () => {
    const { app, pass } = setup()
    pass(5_500)
    const retried = await expectConforms(await send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`), 'retryWebhookLog')
    expect(retried.data.queued_at).toBe('2024-01-15T12:00:00Z')
    const list = await expectConforms(await send(app, 'GET', DOCS_LOGS), 'listWebhookLogs')
    expect(list.data[0]).toMatchObject({ id: retried.data.log_id, created_at: '2024-01-15T12:00:00Z' })
  })

  it("stamps a written webhook's created_at and updated_at with the clock's instant", async () => {
    const { app, pass } = setup()
    pass(90_000)
    const created = await expectConforms(await send(app, 'POST', AGENT, NEW_WEBHOOK), 'createAgentWebhook')
    expect(created.data.created_at).toBe('2024-01-15T12:00:00.000000Z')
    expect(created.data.updated_at).toBe('2024-01-15T12:00:00.000000Z')
    await send(app, 'POST', '/__mock/clock', { advance: 60 })
    pass(7_000)
    const updated = await expectConforms(await send(app, 'PUT', `${AGENT}/webhook-uuid`, { timeout: 11 }), 'updateAgentWebhook')
    expect(updated.data.updated_at).toBe('2024-01-15T12:01:00.000000Z')
  })

  it('answers the same sequence byte for byte whatever real time passes between its requests', async () => {
    const quick = await replay([0, 0, 0, 0, 0, 0])
    const slow = await replay([1_500, 61_000, 999, 4_000, 3_700, 120_000])
    expect(slow).toEqual(quick)
  })

  it('still settles a retry after the settle delay of real time, delivered that delay after it was queued', async () => {
    const { app, pass } = setup({ retrySettleMs: 2_000 })
    pass(3_300)
    await send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`, undefined, { 'X-Mock-Retry-Outcome': 'success' })
    pass(1_999)
    expect((await expectConforms(await send(app, 'GET', DOCS_LOGS), 'listWebhookLogs')).data[0].status).toBe('pending')
    pass(1)
    const row = (await expectConforms(await send(app, 'GET', DOCS_LOGS), 'listWebhookLogs')).data[0]
    expect(row).toMatchObject({ status: 'success', created_at: '2024-01-15T12:00:00Z', delivered_at: '2024-01-15T12:00:02Z' })
  })
})
