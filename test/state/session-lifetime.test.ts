// A session is forgotten whole, and only when idle: any request in it keeps all of its state
// (retries, webhook writes, clock, fault script) alive. Under the state budget a write that does
// not fit is refused with a sentence: nothing written disappears because of another request.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { StateFull } from '../../src/state/budget.js'
import { addRetry, createRetryBook, MAX_RETRIES_PER_SESSION, retriesOf } from '../../src/state/retries.js'
import { createSessionRegistry } from '../../src/state/sessions.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, get, send } from '../support/http.js'

const MINUTE = 60_000
const WEBHOOK = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid'
const NEW_WEBHOOK = { name: 'CRM sync', webhook_url: 'https://crm.example.com/hooks/talkover', events: ['event_phone_call_ended'] }

function setup(options: Parameters<typeof createApp>[0] = {}) {
  let t = 0
  const app = createApp({ retrySettleMs: 0, ...options, faults: { clock: () => t } })
  return { app, pass: (ms: number) => void (t += ms) }
}

/** A session's retry, webhook edit, clock move and fault script, then what it reads. */
async function write(app: ReturnType<typeof createApp>, session: string) {
  const h = { 'X-Mock-Session': session }
  expect((await send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`, undefined, h)).status).toBe(200)
  expect((await send(app, 'PUT', WEBHOOK, { name: 'Edited' }, h)).status).toBe(200)
  expect((await send(app, 'POST', `/__mock/clock?session=${session}`, { advance: 60 })).status).toBe(200)
  expect((await send(app, 'PATCH', `/__mock/config?session=${session}`, { error_status: 503 })).status).toBe(200)
}
async function read(app: ReturnType<typeof createApp>, session: string) {
  const h = { 'X-Mock-Session': session }
  const list = await expectConforms(await get(app, `${DOCS_LOGS}?per_page=1`, h), 'listWebhookLogs')
  const hook = await expectConforms(await get(app, WEBHOOK, h), 'getAgentWebhook')
  const clock = (await (await app.request(`/__mock/clock?session=${session}`)).json()).data.now
  const config = (await (await app.request(`/__mock/config?session=${session}`)).json()).data.error_status
  return { total: list.pagination.total, name: hook.data.name, clock, config }
}

describe('the lifetime of a session', () => {
  it('keeps every part of a session used every 4 minutes, whatever the request', async () => {
    const { app, pass } = setup()
    await write(app, 's1')
    for (let i = 0; i < 8; i++) {
      pass(4 * MINUTE)
      expect((await get(app, WEBHOOK, { 'X-Mock-Session': 's1' })).status).toBe(200)
    }
    expect(await read(app, 's1')).toEqual({ total: 248, name: 'Edited', clock: '2024-01-15T12:01:00Z', config: 503 })
  })

  it('keeps a session whose only use is the admin API on it', async () => {
    const { app, pass } = setup()
    await write(app, 's1')
    for (let i = 0; i < 4; i++) {
      pass(4 * MINUTE)
      expect((await send(app, 'POST', '/__mock/clock?session=s1', { advance: 0 })).status).toBe(200)
    }
    expect(await read(app, 's1')).toMatchObject({ total: 248, name: 'Edited' })
  })

  // Every request naming a session keeps it: admin reads, error answers, the spec itself.
  const KEEPERS: [string, (app: ReturnType<typeof createApp>) => Promise<Response>][] = [
    ['GET /__mock/requests?session=s1', (app) => app.request('/__mock/requests?session=s1')],
    ['a 422 (page=0) in it', (app) => get(app, `${DOCS_LOGS}?page=0`, { 'X-Mock-Session': 's1' })],
    ['a 404 (unknown log) in it', (app) => send(app, 'POST', `${DOCS_LOGS}/nope/retry`, undefined, { 'X-Mock-Session': 's1' })],
    ['a 401 (no token) in it', (app) => app.request(DOCS_LOGS, { headers: { 'X-Mock-Session': 's1' } })],
    ['a 422 (bad X-Mock-Now) in it', (app) => get(app, DOCS_LOGS, { 'X-Mock-Session': 's1', 'X-Mock-Now': 'x' })],
    ['GET /openapi.yaml in it', (app) => app.request('/openapi.yaml', { headers: { 'X-Mock-Session': 's1' } })],
  ]
  for (const [name, keep] of KEEPERS) {
    it(`keeps a session whose only use every 4 minutes is ${name}`, async () => {
      const { app, pass } = setup()
      await write(app, 's1')
      for (let i = 0; i < 3; i++) {
        pass(4 * MINUTE)
        await keep(app)
      }
      expect(await read(app, 's1')).toMatchObject({ total: 248, name: 'Edited', clock: '2024-01-15T12:01:00Z' })
    })
  }

  it('forgets a session idle for 10 minutes whole: every part reads like a fresh session', async () => {
    const { app, pass } = setup()
    await write(app, 's1')
    pass(10 * MINUTE)
    expect(await read(app, 's1')).toEqual(await read(app, 'fresh'))
    expect(await read(app, 's1')).toEqual({ total: 247, name: 'My Webhook', clock: '2024-01-15T12:00:00Z', config: 500 })
  })
})

describe('writes under the state budget', () => {
  it('refuses a write that does not fit with 409 and a sentence, keeping every other write', async () => {
    const { app } = setup({ stateBudgetMb: 1 })
    expect((await send(app, 'PUT', WEBHOOK, { webhook_url: 'https://edited.example/hook' })).status).toBe(200)
    const a = { 'X-Mock-Session': 'a' }
    const created = await expectConforms(await send(app, 'POST', '/api/v1/agents/agent-uuid/webhooks', NEW_WEBHOOK, a), 'createAgentWebhook')
    let refused: Response | undefined
    for (let s = 0; s < 60 && !refused; s++) {
      for (let i = 0; i < 40; i++) {
        const res = await send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`, undefined, { 'X-Mock-Session': `filler-${s}` })
        if (res.status !== 200) {
          refused = res
          break
        }
      }
    }
    expect(refused?.status).toBe(409)
    const body = await expectConforms(refused!, 'retryWebhookLog')
    expect(body.success).toBe(false)
    expect(body.message).toMatch(/--state-budget-mb/)
    // Nothing anybody wrote was forgotten to make room.
    expect((await expectConforms(await get(app, WEBHOOK), 'getAgentWebhook')).data.webhook_url).toBe('https://edited.example/hook')
    expect((await get(app, `/api/v1/agents/agent-uuid/webhooks/${created.data.id}`, a)).status).toBe(200)
    expect((await expectConforms(await get(app, DOCS_LOGS, { 'X-Mock-Session': 'filler-0' }), 'listWebhookLogs')).pagination.total).toBe(247 + 40)
    // A webhook write that does not fit is refused too, and changes nothing.
    let made = 1
    let last: Response
    for (;;) {
      last = await send(app, 'POST', '/api/v1/agents/agent-uuid/webhooks', NEW_WEBHOOK, a)
      if (last.status !== 201) break
      made++
    }
    expect(last.status).toBe(409)
    await expectConforms(last, 'createAgentWebhook')
    const listed = await expectConforms(await get(app, '/api/v1/agents/agent-uuid/webhooks', a), 'listAgentWebhooks')
    expect(listed.data.webhooks.filter((w: any) => w.name === NEW_WEBHOOK.name)).toHaveLength(made)
  })

  it('makes room only by forgetting idle named sessions, whole', async () => {
    const { app, pass } = setup({ stateBudgetMb: 1 })
    let s = 0
    for (; s < 60; s++) {
      const res = await send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`, undefined, { 'X-Mock-Session': `filler-${s}` })
      if (res.status !== 200) break
      for (let i = 0; i < 39; i++) await send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`, undefined, { 'X-Mock-Session': `filler-${s}` })
    }
    expect((await send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`)).status).toBe(409)
    pass(10 * MINUTE)
    expect((await send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`)).status).toBe(200)
  })
})

describe('the session registry', () => {
  it('drops, beyond its bound, only a least recently used session that holds no writes', () => {
    const now = 0
    const registry = createSessionRegistry({ max: 3, clock: () => now })
    const dropped: string[] = []
    registry.onForget((id) => dropped.push(id))
    registry.touch('wrote-1')
    registry.mark('wrote-1')
    registry.touch('read-1')
    registry.touch('read-2')
    registry.touch('new')
    expect(dropped).toEqual(['read-1'])
    registry.mark('read-2')
    registry.mark('new')
    registry.touch('newer')
    // Every other session holds writes: none is dropped to make room.
    expect(dropped).toEqual(['read-1'])
    expect(registry.ids()).toEqual(['wrote-1', 'read-2', 'new', 'newer'])
  })

  it('never forgets a held session (a live delivery in flight), and counts its idle time from the last release', () => {
    let now = 0
    const registry = createSessionRegistry({ clock: () => now })
    const dropped: string[] = []
    registry.onForget((id) => dropped.push(id))
    const releaseA = registry.hold('busy')
    const releaseB = registry.hold('busy')
    registry.touch('idle')
    now += 11 * MINUTE
    registry.sweep()
    expect(dropped).toEqual(['idle'])
    releaseA()
    now += 11 * MINUTE
    registry.sweep()
    expect(dropped).toEqual(['idle'])
    releaseB()
    releaseB() // a second call changes nothing
    now += 9 * MINUTE
    registry.sweep()
    expect(registry.ids()).toEqual(['busy'])
    now += 2 * MINUTE
    registry.sweep()
    expect(dropped).toEqual(['idle', 'busy'])
  })
})

describe('the retry bound of one session', () => {
  it('refuses the retry past MAX_RETRIES_PER_SESSION instead of dropping the oldest row', () => {
    const book = createRetryBook()
    const row = (i: number) => ({ id: `r${i}`, webhookId: 'w', event: 'e', attempt: 2, status: 'pending', createdAt: i, payloadJson: '{}' }) as any
    const entry = (i: number) => ({ queued: row(i), settled: row(i), settleAt: 0, originalId: 'o', deliveryKey: 'd' })
    for (let i = 0; i < MAX_RETRIES_PER_SESSION; i++) addRetry(book, 'k', entry(i))
    expect(() => addRetry(book, 'k', entry(MAX_RETRIES_PER_SESSION))).toThrow(StateFull)
    expect(book.count).toBe(MAX_RETRIES_PER_SESSION)
    expect(retriesOf(book, 'k').at(-1)?.queued.id).toBe('r0')
  })
})
