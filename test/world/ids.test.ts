// Log ids come from 64 bits that include the owner and the webhook, not from the 32-bit key that
// seeds a webhook's history: two webhooks whose 32-bit keys collide (one pair in ~2^16 random ids)
// must still have different ids, and an id of one must not be found, or retried, through the other.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { fmix, hashKey } from '../../src/encode/random.js'
import { loadSpec } from '../../src/http/spec.js'
import { DEFAULT_FIXTURES, loadFixtures } from '../../src/world/fixtures.js'
import { uuid } from '../../src/world/ids.js'
import { findLog, logsPage } from '../../src/world/logs.js'
import { createWorld, lookupWebhook } from '../../src/world/world.js'
import type { WebhookProfile } from '../../src/world/model.js'
import { expectConforms } from '../support/contract.js'
import { get, send } from '../support/http.js'

const world = createWorld({ seed: 1, now: 1705320000 })
const profile = (agent: string, webhook: string, owner: 'agent' | 'campaign' = 'agent') => lookupWebhook(world, agent, webhook, owner) as WebhookProfile

/** Webhook ids of agent "a" whose 32-bit history keys collide (seed 1), each pair with a history. */
function collidingPairs(): [string, string][] {
  const seen = new Map<number, string>()
  const pairs: [string, string][] = []
  for (let i = 0; i < 300_000 && pairs.length < 2; i++) {
    // Random-looking ids, as real UUIDs are (sequential names like w1, w2 … rarely collide under FNV).
    const id = `${fmix(i).toString(16)}-${fmix(i ^ 0x5eed).toString(16)}`
    const key = hashKey(1, 'a', id)
    const other = seen.get(key)
    if (other !== undefined && profile('a', id).total > 50) pairs.push([other, id])
    seen.set(key, id)
  }
  return pairs
}

describe('log ids of webhooks whose 32-bit keys collide', () => {
  const pairs = collidingPairs()

  it('finds such pairs (they are what the fix is about)', () => {
    expect(pairs.length).toBeGreaterThan(0)
    for (const [x, y] of pairs) expect(profile('a', x).key).toBe(profile('a', y).key)
  })

  it("gives each webhook its own ids, and does not find one's ids through the other", () => {
    for (const [x, y] of pairs) {
      const px = profile('a', x)
      const py = profile('a', y)
      const idsX = logsPage(world, px, 0, 50).map((r) => r.id)
      const idsY = new Set(logsPage(world, py, 0, 50).map((r) => r.id))
      for (const id of idsX) {
        expect(idsY.has(id)).toBe(false)
        expect(findLog(world, py, id)).toBeUndefined()
        expect(findLog(world, px, id)?.record.id).toBe(id)
      }
    }
  })

  it('answers 404 over HTTP for a failed id of one retried through the other', async () => {
    const app = createApp()
    for (const [x, y] of pairs) {
      const page = await expectConforms(await get(app, `/api/v1/agents/a/webhooks/${x}/logs?per_page=100`), 'listWebhookLogs')
      const other = await expectConforms(await get(app, `/api/v1/agents/a/webhooks/${y}/logs?per_page=100`), 'listWebhookLogs')
      expect(page.data.map((r: any) => r.id)).not.toEqual(other.data.map((r: any) => r.id))
      const failed = page.data.find((r: any) => r.status === 'failed')
      if (!failed) continue
      expect((await send(app, 'POST', `/api/v1/agents/a/webhooks/${y}/logs/${failed.id}/retry`)).status).toBe(404)
    }
  })
})

describe('log ids', () => {
  it('differ between an agent webhook and a campaign webhook with the same ids', () => {
    const agent = logsPage(world, profile('x', 'w'), 0, 20).map((r) => r.id)
    const campaign = new Set(logsPage(world, profile('x', 'w', 'campaign'), 0, 20).map((r) => r.id))
    for (const id of agent) expect(campaign.has(id)).toBe(false)
  })

  it('stay UUID-shaped, distinct within a webhook and invertible in O(1) (findLog regenerates one row)', () => {
    const withFixtures = createWorld({ seed: 1, now: 1705320000 }, loadFixtures([DEFAULT_FIXTURES], loadSpec()))
    const p = lookupWebhook(withFixtures, 'agent-uuid', 'webhook-uuid-1m') as WebhookProfile
    const seen = new Set<string>()
    for (const index of [0, 1, 2, 999, 500_000, p.total - 1]) {
      const row = logsPage(withFixtures, p, index, 1)[0]
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(findLog(withFixtures, p, row.id)?.index).toBe(index)
      seen.add(row.id)
    }
    expect(seen.size).toBe(6)
  })
})

describe('a UUID from four words', () => {
  it('is the words in hex with the v4 version digit and variant bits forced, as the plain layout reads', () => {
    const hex8 = (x: number) => x.toString(16).padStart(8, '0')
    for (let i = 0; i < 2_000; i++) {
      const [a, b, c, d] = [fmix(4 * i), fmix(4 * i + 1), fmix(4 * i + 2), fmix(4 * i + 3)]
      const v = hex8(((c & 0x3fffffff) | 0x80000000) >>> 0)
      expect(uuid(a, b, c, d)).toBe(`${hex8(a)}-${hex8(b).slice(0, 4)}-4${hex8(b).slice(5)}-${v.slice(0, 4)}-${v.slice(4)}${hex8(d)}`)
    }
  })
})
