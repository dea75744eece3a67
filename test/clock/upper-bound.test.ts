// The clock's last instant is 9999-12-31T23:59:59Z, the last the API's four-digit timestamps can
// show: a move past it is a 422 that changes nothing, and a live clock stops there.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { createClocks } from '../../src/clock/clock.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, get, send } from '../support/http.js'

const LAST = '9999-12-31T23:59:59Z'
const LAST_SECONDS = Date.parse(LAST) / 1000

function setup(options: Parameters<typeof createApp>[0] = {}) {
  let t = 1_000_000
  const app = createApp({ ...options, faults: { clock: () => t } })
  const move = async (body: unknown, session?: string) => {
    const res = await send(app, 'POST', `/__mock/clock${session ? `?session=${session}` : ''}`, body)
    return { status: res.status, body: await expectConforms(res, 'moveMockClock') }
  }
  const clock = async (session?: string) =>
    (await expectConforms(await app.request(`/__mock/clock${session ? `?session=${session}` : ''}`), 'getMockClock')).data
  return { app, move, clock, pass: (ms: number) => void (t += ms) }
}

describe('the last instant of the clock', () => {
  it(`sets the clock to ${LAST}, then refuses to advance past it with 422 and stays there`, async () => {
    const { move, clock } = setup()
    expect((await move({ set: LAST })).status).toBe(200)
    const past = await move({ advance: '1d' })
    expect(past.status).toBe(422)
    expect(past.body.message).toMatch(/9999-12-31T23:59:59Z/)
    expect((await clock()).now).toBe(LAST)
    expect((await move({ advance: 0 })).status).toBe(200)
  })

  it('refuses a set past the last instant (an offset that lands in year 10000) with 422', async () => {
    const { move, clock } = setup()
    const res = await move({ set: '9999-12-31T23:59:59-12:00' })
    expect(res.status).toBe(422)
    expect((await clock()).now).toBe('2024-01-15T12:00:00Z')
  })

  it('refuses a session clock past the last instant and keeps both clocks as they were', async () => {
    const { move, clock } = setup()
    expect((await move({ set: '9999-12-01T00:00:00Z' }, 's1')).status).toBe(200)
    expect((await move({ advance: '31d' }, 's1')).status).toBe(422)
    expect((await clock('s1')).now).toBe('9999-12-01T00:00:00Z')
    expect((await clock()).now).toBe('2024-01-15T12:00:00Z')
  })

  it('keeps answering /__mock/clock and /__mock/config after many large advances', async () => {
    const { app, move, clock } = setup()
    const statuses = new Set<number>()
    for (let i = 0; i < 200; i++) statuses.add((await move({ advance: 100 * 365 * 86_400 })).status)
    expect([...statuses].sort()).toEqual([200, 422])
    expect((await clock()).now <= LAST).toBe(true)
    expect((await app.request('/__mock/config')).status).toBe(200)
    const list = await expectConforms(await get(app, `${DOCS_LOGS}?per_page=3`), 'listWebhookLogs')
    for (const row of list.data) expect(row.created_at).toMatch(/^\d{4}-/)
  })

  it('answers X-Mock-Now past the last instant with 422', async () => {
    const { app } = setup()
    const res = await get(app, DOCS_LOGS, { 'X-Mock-Now': '9999-12-31T23:59:59-12:00' })
    expect(res.status).toBe(422)
    const body = await expectConforms(res, 'listWebhookLogs')
    expect(body.message).toMatch(/9999-12-31T23:59:59Z/)
    expect((await get(app, DOCS_LOGS, { 'X-Mock-Now': LAST })).status).toBe(200)
  })

  it('stamps writes at the last instant with four-digit years, a retry settled there too', async () => {
    const { app, move, pass } = setup({ retrySettleMs: 5_000 })
    await move({ set: LAST })
    const logs = '/api/v1/agents/agent-7/webhooks/webhook-4/logs'
    const before = await expectConforms(await get(app, `${logs}?per_page=100`), 'listWebhookLogs')
    const failed = before.data.find((r: any) => r.status === 'failed')
    expect(failed).toBeDefined()
    const retried = await expectConforms(
      await send(app, 'POST', `${logs}/${failed.id}/retry`, undefined, { 'X-Mock-Retry-Outcome': 'success' }),
      'retryWebhookLog',
    )
    expect(retried.data.queued_at).toBe(LAST)
    pass(5_000)
    const after = await get(app, `${logs}?per_page=100`)
    const text = await after.text()
    expect(text).not.toMatch(/"\+?\d{5,}-\d\d-\d\dT/)
    expect(JSON.parse(text).data[0]).toMatchObject({ status: 'success', created_at: LAST, delivered_at: LAST })
    const created = await expectConforms(
      await send(app, 'POST', '/api/v1/agents/agent-uuid/webhooks', { name: 'n', webhook_url: 'https://x.example/h', events: ['event_action'] }),
      'createAgentWebhook',
    )
    expect(created.data.created_at).toBe('9999-12-31T23:59:59.000000Z')
  })

  it('stops a live clock at the last instant', () => {
    let ms = 0
    const clocks = createClocks({ mode: 'live', rate: 1_000_000, anchor: () => LAST_SECONDS - 60, realMs: () => ms })
    ms = 1_000_000_000
    expect(clocks.of().now()).toBe(LAST_SECONDS)
    expect(clocks.of().view().now).toBe(LAST)
    expect(() => clocks.of().advance(1)).toThrow(RangeError)
    expect(clocks.of().now()).toBe(LAST_SECONDS)
  })
})
