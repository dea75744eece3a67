// The world's caches (profiles, decoded segments, encoded pages) keep to their share of the
// --cache-mb budget, in bytes, however many distinct webhooks, pages and seeds are served; and
// a tiny budget changes speed, never an answer.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { cacheShares } from '../../src/encode/cache-budget.js'
import { pageKey } from '../../src/encode/page-cache.js'
import { DEFAULT_FIXTURES, loadFixtures } from '../../src/world/fixtures.js'
import { encodePage } from '../../src/world/log-json.js'
import { paginate } from '../../src/world/paginate.js'
import { loadSpec } from '../../src/http/spec.js'
import { parseTimestamp } from '../../src/world/time.js'
import { createWorld, lookupWebhook, withSeed } from '../../src/world/world.js'
import type { WebhookProfile, World } from '../../src/world/model.js'
import { get } from '../support/http.js'

const NOW = parseTimestamp('2024-01-15T12:00:00Z')
const defaults = loadFixtures([DEFAULT_FIXTURES], loadSpec())

/** What the list handler does for a page of the pure world: the page cache, keyed by every input. */
function servePage(w: World, p: WebhookProfile, page: number, perPage: number): Uint8Array {
  const window = paginate(p.total, page, perPage)
  return w.cache.pages.get(pageKey(w.seed, w.now, p.agentId, p.webhookId, page, perPage), () => encodePage(w, p, window))
}

describe("the world's caches under one byte budget", () => {
  it('never hold more than their shares while serving many distinct webhooks, deep pages and seeds', () => {
    const shares = cacheShares(1024 * 1024)
    const world = createWorld({ seed: 1, now: NOW }, defaults, shares)
    const { profiles, segments, pages } = world.cache
    const check = () => {
      expect(profiles.bytes).toBeLessThanOrEqual(shares.profiles)
      expect(segments.bytes).toBeLessThanOrEqual(shares.segments)
      expect(pages.bytes).toBeLessThanOrEqual(shares.pages)
    }
    for (let i = 0; i < 800; i++) {
      // Another seed shares the same caches (withSeed keeps them): memory never multiplies per seed.
      const w = withSeed(world, 1 + (i % 7))
      const p = lookupWebhook(w, `agent-${i}`, `wh-${i}`) as WebhookProfile
      const deep = lookupWebhook(w, 'agent-uuid', 'webhook-uuid-1m') as WebhookProfile
      // Each page twice, so that the caches keep it (they admit on a second miss) and must evict.
      for (let twice = 0; twice < 2; twice++) {
        servePage(w, p, 1, 25)
        servePage(w, deep, 1 + ((i * 7919) % 40_000), 25)
      }
      check()
    }
    // They did keep what was asked for twice: the budget bounds them, it does not empty them.
    expect([profiles.size, segments.size, pages.size].every((n) => n > 0)).toBe(true)
    expect(withSeed(world, 5).cache).toBe(world.cache)
  })

  it('serve the same bytes with a 1 MB budget as with a large one, pages evicted and built again', async () => {
    const small = createApp({ seed: 3, cacheMb: 1 })
    const large = createApp({ seed: 3, cacheMb: 256 })
    const urls = Array.from({ length: 60 }, (_, i) => `/api/v1/agents/agent-uuid/webhooks/webhook-uuid-1m/logs?per_page=100&page=${1 + i * 97}`)
    const expected = await Promise.all(urls.map(async (url) => (await get(large, url)).text()))
    for (let round = 0; round < 3; round++) {
      for (const [i, url] of urls.entries()) {
        const res = await get(small, url, { 'X-Mock-Seed': '3' })
        expect(res.status).toBe(200)
        expect(await res.text()).toBe(expected[i])
      }
    }
  })
})
