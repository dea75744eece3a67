import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.js'
import { DEFAULT_FIXTURES, loadFixtures } from '../src/world/fixtures.js'
import { encodePage, encodeRecords } from '../src/world/log-json.js'
import { logsPage } from '../src/world/logs.js'
import { entryBytes } from '../src/encode/lru.js'
import { BODY_OVERHEAD_BYTES, PageCache, pageKey } from '../src/encode/page-cache.js'
import { paginate } from '../src/world/paginate.js'
import { loadSpec } from '../src/http/spec.js'
import { parseTimestamp } from '../src/world/time.js'
import { createWorld, lookupWebhook } from '../src/world/world.js'
import { auth, DOCS_LOGS, get } from './support/http.js'
import type { WebhookProfile, World } from '../src/world/model.js'

const NOW = parseTimestamp('2024-01-15T12:00:00Z')
const defaults = loadFixtures([DEFAULT_FIXTURES], loadSpec())

function profile(world: World, agentId: string, webhookId: string): WebhookProfile {
  const p = lookupWebhook(world, agentId, webhookId)
  if (typeof p === 'string') throw new Error(p)
  return p
}

describe('a page written straight to bytes', () => {
  const cases = [42, 1337, 1211].flatMap((seed) => {
    const world = createWorld({ seed, now: NOW }, defaults)
    const ids: [string, string][] = [
      ['agent-uuid', 'webhook-uuid'],
      ['agent-uuid', 'webhook-uuid-1m'],
      ['agênt-ü', 'wh"quoted\\'],
      ...Array.from({ length: 40 }, (_, i): [string, string] => [`agent-${i % 5}`, `wh-${seed}-${i}`]),
    ]
    return ids.map(([a, w]) => ({ world, p: profile(world, a, w) }))
  })

  it('is byte for byte what encoding the same rows as records gives, on every page size and depth', () => {
    let pages = 0
    for (const { world, p } of cases) {
      for (const perPage of [1, 7, 25, 100]) {
        const lastPage = Math.max(1, Math.ceil(p.total / perPage))
        for (const page of new Set([1, 2, Math.ceil(lastPage / 2), lastPage, lastPage + 1])) {
          const window = paginate(p.total, page, perPage)
          const bytes = encodePage(world, p, window)
          expect(bytes.toString('utf8')).toBe(encodeRecords(logsPage(world, p, window.offset, window.count), window.pagination).toString('utf8'))
          pages++
        }
      }
    }
    expect(pages).toBeGreaterThan(500)
  })

  it('is valid JSON whose non-ASCII ids survive as UTF-8', () => {
    const world = createWorld({ seed: 7, now: NOW }, defaults)
    const p = profile(world, 'agênt-ü', 'wh"quoted\\')
    const body = JSON.parse(encodePage(world, p, paginate(p.total, 1, 25)).toString('utf8'))
    expect(body.data[0].webhook_id).toBe('wh"quoted\\')
    expect(body.data.find((r: { request_payload?: { agent_id: string } }) => r.request_payload)?.request_payload.agent_id).toBe('agênt-ü')
  })
})

describe('the page cache', () => {
  const body = (n: number) => new Uint8Array(n)

  // An entry costs its body, its key and the overheads; the keys of recent misses take a 32nd.
  const budgetFor = (entries: number, bodyBytes: number) => Math.ceil((entries * entryBytes('a', bodyBytes + BODY_OVERHEAD_BYTES) * 32) / 31)

  it('keeps a body from its second miss on, until the bytes pass the budget, then drops the least recently used', () => {
    const cache = new PageCache(budgetFor(10, 100))
    let builds = 0
    const get = (key: string) => cache.get(key, () => (builds++, body(100)))
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']) {
      get(key) // built and sent, not kept: asked for once so far
      expect(cache.size).toBe('abcdefghij'.indexOf(key))
      get(key) // asked again: kept
    }
    expect([cache.size, builds]).toEqual([10, 20])
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes)
    get('a') // a hit: now the most recently used
    expect(builds).toBe(20)
    get('k')
    get('k') // over budget: 'b' goes
    expect([cache.size, builds]).toEqual([10, 22])
    get('a')
    expect(builds).toBe(22)
    get('b')
    expect(builds).toBe(23)
  })

  it('never keeps a page asked for once, so a crawl of new pages holds nothing', () => {
    const cache = new PageCache(64 * 1024)
    for (let i = 0; i < 5000; i++) cache.get(`page-${i}`, () => body(1000))
    expect(cache.size).toBe(0)
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes / 32)
  })

  it('returns but never keeps a body larger than an eighth of its budget', () => {
    const cache = new PageCache(8 * 1024)
    for (let i = 0; i < 2; i++) expect(cache.get('big', () => body(1025)).byteLength).toBe(1025)
    expect(cache.size).toBe(0)
    for (let i = 0; i < 2; i++) cache.get('ok', () => body(100))
    expect(cache.size).toBe(1)
  })

  it('builds keys no pair of ids can collide on', () => {
    expect(pageKey('a|1:b', 'c')).not.toBe(pageKey('a', 'b|1:c'))
    expect(pageKey(42, 'agent', 'webhook', 1, 25)).toBe(pageKey(42, 'agent', 'webhook', 1, 25))
    expect(pageKey(42, 'agent', 'webhook', 1, 25)).not.toBe(pageKey(42, 'agent', 'webhook', 12, 5))
  })
})

describe('the list endpoint, served from the page cache', () => {
  it('serves a repeated page with the same bytes as the first time', async () => {
    const app = createApp({ seed: 42 })
    const first = await (await get(app, `${DOCS_LOGS}?per_page=100&page=2`)).text()
    const again = await (await get(app, `${DOCS_LOGS}?per_page=100&page=2`)).text()
    const fresh = await (await get(createApp({ seed: 42 }), `${DOCS_LOGS}?per_page=100&page=2`)).text()
    expect(again).toBe(first)
    expect(fresh).toBe(first)
  })

  it('keeps pages of different seeds, pages and page sizes apart', async () => {
    const app = createApp({ seed: 42 })
    const url = '/api/v1/agents/a/webhooks/webhook-uuid-1m/logs'
    const texts = [
      await (await get(app, `${url}?per_page=10`)).text(),
      await (await get(app, `${url}?per_page=10`, { 'X-Mock-Seed': '43' })).text(),
      await (await get(app, `${url}?per_page=10&page=2`)).text(),
      await (await get(app, `${url}?per_page=11`)).text(),
    ]
    expect(new Set(texts).size).toBe(4)
    expect(await (await get(app, `${url}?per_page=10`, { 'X-Mock-Seed': '43' })).text()).toBe(texts[1])
    expect(await (await get(createApp({ seed: 43 }), `${url}?per_page=10`)).text()).toBe(texts[1])
  })

  it('answers synchronously, so @hono/node-server writes the response without awaiting it', () => {
    const app = createApp()
    const res = app.fetch(new Request(`http://mock${DOCS_LOGS}?per_page=100`, { headers: auth() }))
    expect(res).toBeInstanceOf(Response)
    expect((res as Response).headers.get('content-length')).toMatch(/^\d{5}$/)
  })

  it('still journals a synchronous answer', async () => {
    const app = createApp()
    app.fetch(new Request(`http://mock${DOCS_LOGS}?per_page=100`, { headers: auth() }))
    const journal = await (await app.request('/__mock/requests')).json()
    expect(journal.data[0]).toMatchObject({ method: 'GET', path: DOCS_LOGS, query: 'per_page=100', status: 200 })
  })
})
