// One byte budget bounds every session's retries and webhook writes together. A write that does
// not fit is refused (StateFull, 409) and nothing is forgotten to make room; a session idle for 10
// minutes is forgotten whole: it reads exactly like a fresh one, and a webhook it created answers
// 404, never an open-world webhook of that id.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { createStateBudget, StateFull, type Forgettable } from '../../src/state/budget.js'
import { createRetryBook, retryBytes } from '../../src/state/retries.js'
import { retryLog } from '../../src/state/retry.js'
import { createWebhookBook, deleteWebhook, resolveWebhook, updateWebhook } from '../../src/state/webhook-overlay.js'
import { createWorld, lookupWebhook } from '../../src/world/world.js'
import { loadSpec } from '../../src/http/spec.js'
import { DEFAULT_FIXTURES, loadFixtures } from '../../src/world/fixtures.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, get, send } from '../support/http.js'

const NEW_WEBHOOK = { name: 'CRM sync', webhook_url: 'https://crm.example.com/hooks/talkover', events: ['event_phone_call_ended'] }
const book = (): Forgettable & { forgotten: number } => {
  const b = { forgotten: 0, forget: () => void b.forgotten++ }
  return b
}

describe('the state budget', () => {
  it('refuses a charge that would pass it with StateFull, forgetting nothing and charging nothing', () => {
    const budget = createStateBudget(1000)
    const [a, b, c] = [book(), book(), book()]
    budget.charge('a', a, 400)
    budget.charge('b', b, 400)
    expect(() => budget.charge('c', c, 300)).toThrow(StateFull)
    expect([a.forgotten, b.forgotten, c.forgotten]).toEqual([0, 0, 0])
    expect(budget.used).toBe(800)
    budget.charge('c', c, 200)
    expect(budget.used).toBe(1000)
  })

  it("refuses a session's own write that would pass it, keeping what it holds", () => {
    const budget = createStateBudget(1000)
    const a = book()
    budget.charge('a', a, 900)
    expect(() => budget.charge('a', a, 200)).toThrow(/--state-budget-mb/)
    expect(a.forgotten).toBe(0)
    expect(budget.used).toBe(900)
    budget.charge('a', a, -100)
    expect(budget.used).toBe(800)
  })

  it('gives back the bytes of a dropped book, and only of that book', () => {
    const budget = createStateBudget(1000)
    const [retries, writes] = [book(), book()]
    budget.charge('a', retries, 600)
    budget.charge('a', writes, 300)
    budget.release('a', retries)
    expect(budget.used).toBe(300)
    budget.release('a', writes)
    expect(budget.used).toBe(0)
  })
})

describe('what state costs', () => {
  it('counts a retry row and a written webhook at their measured sizes (~3.7 kB and ~1.3 kB)', () => {
    const world = createWorld({ seed: 1, now: 1705320000 }, loadFixtures([DEFAULT_FIXTURES], loadSpec()))
    const profile = lookupWebhook(world, 'agent-uuid', 'webhook-uuid')
    if (typeof profile === 'string') throw new Error(profile)
    let charged = 0
    const retries = createRetryBook()
    retries.charge = (bytes) => void (charged += bytes)
    const result = retryLog({ world, profile, book: retries, logId: 'log-uuid-2', session: '', atMs: world.now * 1000, settleMs: 0 })
    if (typeof result === 'string') throw new Error(result)
    expect(retryBytes(result.entry, 'k')).toBeGreaterThan(3000)
    expect(charged).toBeGreaterThan(3000)
    const writes = createWebhookBook()
    charged = 0
    writes.charge = (bytes) => void (charged += bytes)
    const found = resolveWebhook(world, writes, 'agent', 'agent-uuid', 'webhook-uuid')
    if (typeof found === 'string') throw new Error(found)
    updateWebhook(world, writes, found, { name: 'Renamed' }, world.now)
    expect(charged).toBeGreaterThan(1000)
    expect(charged).toBeLessThan(3000)
  })
})

describe('sessions beyond the budget, over HTTP', () => {
  it('keeps the total bounded: refuses writes past it, then forgets an idle session whole, which reads like a fresh one', async () => {
    let t = 0
    const app = createApp({ stateBudgetMb: 1, retrySettleMs: 0, faults: { clock: () => t } })
    const a = { 'X-Mock-Session': 'a' }
    const fresh = { 'X-Mock-Session': 'never-used' }
    const created = await expectConforms(await send(app, 'POST', '/api/v1/agents/agent-uuid/webhooks', NEW_WEBHOOK, a), 'createAgentWebhook')
    const id = created.data.id
    expect((await send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`, undefined, a)).status).toBe(200)
    expect((await get(app, `/api/v1/agents/agent-uuid/webhooks/${id}`, a)).status).toBe(200)

    // Other sessions fill the budget (each retry row holds ~2 kB); past it their writes are refused.
    let sessions = 0
    const statuses = new Set<number>()
    for (; sessions < 40; sessions++) {
      const s = { 'X-Mock-Session': `filler-${sessions}` }
      for (let i = 0; i < 40; i++) statuses.add((await send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`, undefined, s)).status)
      t += 1
    }
    expect([...statuses].sort()).toEqual([200, 409])
    expect((await get(app, `/api/v1/agents/agent-uuid/webhooks/${id}`, a)).status).toBe(200)
    // Session a is left idle for 10 minutes while filler-0 keeps going.
    t += 9 * 60_000
    await get(app, DOCS_LOGS, { 'X-Mock-Session': 'filler-0' })
    t += 60_000

    // Session a was forgotten whole: its created webhook answers 404 (never a random open-world one) …
    const gone = await get(app, `/api/v1/agents/agent-uuid/webhooks/${id}`, a)
    expect(gone.status).toBe(404)
    expect(await expectConforms(gone, 'getAgentWebhook')).toEqual({ success: false, message: 'Webhook not found.' })
    expect((await get(app, `/api/v1/agents/agent-uuid/webhooks/${id}/logs`, a)).status).toBe(404)
    // … and everything else reads exactly like a session that never wrote.
    for (const url of ['/api/v1/agents/agent-uuid/webhooks', `${DOCS_LOGS}?per_page=10`]) {
      expect(await (await get(app, url, a)).text()).toBe(await (await get(app, url, fresh)).text())
    }
    // Its retry counter went with its rows: the next retry is attempt 4 again.
    const again = await expectConforms(await send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`, undefined, a), 'retryWebhookLog')
    const top = await expectConforms(await get(app, DOCS_LOGS, a), 'listWebhookLogs')
    expect(top.data[0]).toMatchObject({ id: again.data.log_id, attempt: 4 })
    // The first filler session kept all of its rows.
    const first = await expectConforms(await get(app, DOCS_LOGS, { 'X-Mock-Session': 'filler-0' }), 'listWebhookLogs')
    expect(first.pagination.total).toBe(247 + 40)
  })
})

describe('webhook writes of a live session', () => {
  it('are never forgotten one at a time: a deleted webhook stays deleted however many writes follow', () => {
    const world = createWorld({ seed: 1, now: 1705320000 })
    const writes = createWebhookBook()
    const found = (id: string) => {
      const r = resolveWebhook(world, writes, 'agent', 'a', id)
      if (typeof r === 'string') throw new Error(r)
      return r
    }
    deleteWebhook(world, writes, found('gone'))
    for (let i = 0; i <= 10_000; i++) updateWebhook(world, writes, found(`w${i}`), { name: 'Renamed' }, 1705320000)
    expect(resolveWebhook(world, writes, 'agent', 'a', 'gone')).toBe('webhookNotFound')
    expect(found('w0').config.name).toBe('Renamed')
  })
})
