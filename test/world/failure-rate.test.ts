// `failure_rate` is the share of deliveries whose first attempt fails: at 1 no delivery succeeds
// at its first attempt, even when a chain is cut short because its segment is full or too short.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_FIXTURES, loadFixtures } from '../../src/world/fixtures.js'
import { logsPage } from '../../src/world/logs.js'
import { loadSpec } from '../../src/http/spec.js'
import { parseTimestamp } from '../../src/world/time.js'
import { createWorld, lookupWebhook, withInstant } from '../../src/world/world.js'
import { historyProblems } from '../support/history.js'

const NOW = parseTimestamp('2024-01-15T12:00:00Z')
const spec = loadSpec()
const dir = mkdtempSync(join(tmpdir(), 'talkover-failure-rate-'))

function busy(webhook: string, seed = 42) {
  const file = join(dir, `${seed}-${webhook.length}-${webhook.replace(/\W/g, '')}.yaml`)
  writeFileSync(file, `agents:\n  - id: a\n    webhooks:\n      - ${webhook}\n`)
  const world = createWorld({ seed, now: NOW }, loadFixtures([DEFAULT_FIXTURES, file], spec))
  const p = lookupWebhook(world, 'a', 'busy')
  if (typeof p === 'string') throw new Error(p)
  return { world, p }
}

describe('failure_rate: 1', () => {
  it.each([
    ['a segment full of long chains', '{ id: busy, total: 1000000, max_retries: 10, failure_rate: 1 }'],
    ['long timeouts that do not fit', '{ id: busy, total: 1000000, max_retries: 10, timeout: 120, failure_rate: 1 }'],
    ['one retry', '{ id: busy, total: 200000, max_retries: 1, failure_rate: 1 }'],
    ['a quiet webhook', '{ id: busy, total: 3000, max_retries: 3, failure_rate: 1 }'],
  ])('never shows a first attempt that succeeded (%s)', (_, webhook) => {
    for (const seed of [42, 1337, 1211]) {
      const { world, p } = busy(webhook, seed)
      const k = p.layout.segmentSize
      for (const from of [0, 7 * k, Math.floor(p.total / 2), Math.max(0, p.total - 4 * k)]) {
        const rows = logsPage(world, p, from, 4 * k)
        expect(rows.filter((r) => r.attempt === 1 && r.status === 'success').map((r) => r.id)).toEqual([])
      }
    }
  })

  it('keeps every rule of a history, a delivery cut to one row ending failed at attempt 1', () => {
    for (const seed of [42, 1337, 1211]) {
      const { world, p } = busy('{ id: busy, total: 3000, max_retries: 3, failure_rate: 1 }', seed)
      expect(historyProblems(p, logsPage(world, p, 0, p.total))).toEqual([])
    }
  })

  it('never shows a first-attempt success among the deliveries made after the anchor', () => {
    const { world, p } = busy('{ id: busy, total: 100000, max_retries: 2, failure_rate: 1 }')
    const later = withInstant(world, NOW + 6 * 3_600)
    const rows = logsPage(later, p, 0, 2_000)
    expect(rows.filter((r) => r.createdAt > NOW && r.attempt === 1 && r.status === 'success')).toEqual([])
  })
})
