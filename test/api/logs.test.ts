import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { loadSpec } from '../../src/http/spec.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, get } from '../support/http.js'

const GOLDEN = '/api/v1/agents/agent-golden/webhooks/wh-ops/logs?per_page=25'
const DEEP = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid-1m/logs'
const spec = loadSpec()
const docsExample = (spec.document.paths as any)['/api/v1/agents/{agent_id}/webhooks/{webhook_id}/logs'].get.responses['200'].content['application/json']
  .example

/** GETs every page of a list with the given per_page, checking each body against openapi.yaml. */
async function allPages(app: ReturnType<typeof createApp>, url: string, perPage: number): Promise<unknown[]> {
  const rows: unknown[] = []
  for (let page = 1; ; page++) {
    const body = await expectConforms(await get(app, `${url}?per_page=${perPage}&page=${page}`), 'listWebhookLogs')
    rows.push(...body.data)
    if (page >= body.pagination.last_page) return rows
  }
}

describe('the docs example, served by default', () => {
  const app = createApp()

  it('answers ?per_page=50 with total 247, last_page 5 and the two docs rows, field for field', async () => {
    const res = await get(app, `${DOCS_LOGS}?per_page=50`)
    expect(res.status).toBe(200)
    const text = await res.clone().text()
    const body = await expectConforms(res, 'listWebhookLogs')
    expect(body.pagination).toEqual(docsExample.pagination)
    expect(body.data.slice(0, 2)).toEqual(docsExample.data)
    // Byte for byte, in the docs' key order.
    for (const row of docsExample.data) expect(text).toContain(JSON.stringify(row))
    expect(body.data).toHaveLength(50)
  })

  it('matches its golden page', async () => {
    const body = await expectConforms(await get(app, `${DOCS_LOGS}?per_page=50`), 'listWebhookLogs')
    await expect(`${JSON.stringify(body, null, 2)}\n`).toMatchFileSnapshot('../../fixtures/golden/docs-example.json')
  })
})

describe.each([42, 1337])('seed %i', (seed) => {
  it('matches its golden page', async () => {
    const res = await get(createApp({ seed }), GOLDEN)
    expect(res.headers.get('x-mock-seed')).toBe(String(seed))
    const body = await expectConforms(res, 'listWebhookLogs')
    await expect(`${JSON.stringify(body, null, 2)}\n`).toMatchFileSnapshot(`../../fixtures/golden/seed-${seed}.json`)
  })

  it('answers X-Mock-Seed like a server started with that seed', async () => {
    const direct = await (await get(createApp({ seed }), GOLDEN)).text()
    const res = await get(createApp({ seed: 5 }), GOLDEN, { 'X-Mock-Seed': String(seed) })
    expect(res.headers.get('x-mock-seed')).toBe(String(seed))
    expect(await res.text()).toBe(direct)
  })
})

describe('paging over HTTP', () => {
  it.each([DOCS_LOGS, '/api/v1/agents/agent-golden/webhooks/wh-billing/logs'])(
    'concatenates pages of 7 and of 100 into the same sequence (%s)',
    async (url) => {
      const app = createApp({ seed: 42 })
      const by7 = await allPages(app, url, 7)
      const by100 = await allPages(app, url, 100)
      expect(by7.length).toBeGreaterThan(100)
      expect(by7).toEqual(by100)
    },
  )

  it('serves page 40 identically whether or not pages 1-39 were fetched', async () => {
    for (const url of [`${DEEP}?page=40`, '/api/v1/agents/a/webhooks/busy-7/logs?per_page=7&page=40']) {
      const first = await (await get(createApp({ seed: 42 }), url)).text()
      const warmed = createApp({ seed: 42 })
      for (let page = 1; page < 40; page++) await get(warmed, url.replace('page=40', `page=${page}`))
      expect(await (await get(warmed, url)).text()).toBe(first)
    }
  })

  it('serves page 40,000 of the 1,000,000-row webhook', async () => {
    const body = await expectConforms(await get(createApp({ seed: 42 }), `${DEEP}?page=40000`), 'listWebhookLogs')
    expect(body.pagination).toEqual({ current_page: 40000, per_page: 25, total: 1_000_000, last_page: 40000 })
    expect(body.data).toHaveLength(25)
    expect(body.data[24].created_at >= '2023-12-16T12:00:00Z').toBe(true)
  })

  it('gives any ids a history of their own, the same on every request', async () => {
    const app = createApp({ seed: 42 })
    const a = await (await get(app, '/api/v1/agents/9fbef0b7/webhooks/9fcafbf2/logs')).text()
    expect(await (await get(app, '/api/v1/agents/9fbef0b7/webhooks/9fcafbf2/logs')).text()).toBe(a)
    expect(await (await get(app, '/api/v1/agents/9fbef0b7/webhooks/9fcafbf3/logs')).text()).not.toBe(a)
  })
})
