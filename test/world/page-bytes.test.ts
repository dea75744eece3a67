// Generated pages are written as precomputed byte runs around their varying slots (row-runs.ts).
// The writer shares its payload and header code with the record path, so comparing the two paths
// cannot catch a change in those pieces; the goldens hold 75 rows. This pins the bytes of 360
// pages of 100 rows (three seeds, at the anchor and later) to the hash they had before the byte
// runs existed, and checks that those pages reach every event, receiver stack and failure kind.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { encodePage } from '../../src/world/log-json.js'
import { paginate } from '../../src/world/paginate.js'
import { parseTimestamp } from '../../src/world/time.js'
import { rowCount } from '../../src/world/views.js'
import { EVENT_NAMES, FAILURES, STACKS } from '../../src/world/vocab.js'
import { createWorld, lookupWebhook, withInstant } from '../../src/world/world.js'
import type { WebhookProfile } from '../../src/world/model.js'

/** sha256 of the 360 pages below, as the mock wrote them before the byte-run writer (main, 2026-11-30). */
const PAGES_SHA256 = '8dd156bfe50eef0ed22eab3ff0277c7d2f91f451f82c7322921f017371bdcf14'
const NOW = parseTimestamp('2024-01-15T12:00:00Z')

function pages(): Buffer[] {
  const out: Buffer[] = []
  for (const seed of [42, 1337, 1211]) {
    const anchor = createWorld({ seed, now: NOW })
    for (const world of [anchor, withInstant(anchor, NOW + 5_000)]) {
      for (let i = 0; i < 60; i++) {
        const p = lookupWebhook(world, `agent-${i % 4}`, `wh-${i}`) as WebhookProfile
        out.push(encodePage(world, p, paginate(rowCount(world, p), 1, 100)))
      }
    }
  }
  return out
}

describe('generated pages', () => {
  const written = pages()

  it('are byte for byte what the mock wrote before its rows became byte runs', () => {
    const hash = createHash('sha256')
    for (const page of written) hash.update(page)
    expect(hash.digest('hex')).toBe(PAGES_SHA256)
  })

  it('cover every event, receiver stack and failure kind, so the hash speaks for all of them', () => {
    const events = new Set<string>()
    const headers = new Set<string>()
    const errors = new Set<string>()
    for (const page of written) {
      for (const row of JSON.parse(page.toString('utf8')).data) {
        if (row.request_payload) events.add(row.event)
        if (row.response_headers) headers.add(Object.keys(row.response_headers).join())
        if (row.error) errors.add(row.error.replace(/\d+ seconds|host: .*/, ''))
      }
    }
    expect([...events].sort()).toEqual([...EVENT_NAMES].sort())
    expect(headers.size).toBe(new Set(STACKS.map((s) => s.headers.map(([name]) => name).join())).size)
    expect(errors.size).toBe(new Set(FAILURES.map((f) => f.error.replace(/\{timeout\} seconds|host: .*/, ''))).size)
  })
})
