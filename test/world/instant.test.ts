import { describe, expect, it } from 'vitest'
import { Rng } from '../../src/encode/random.js'
import { loadSpec } from '../../src/http/spec.js'
import { DEFAULT_FIXTURES, loadFixtures } from '../../src/world/fixtures.js'
import { cutoffAt } from '../../src/world/instant.js'
import { encodeLog, encodePage } from '../../src/world/log-json.js'
import { findLog, logsPage, rowCount } from '../../src/world/logs.js'
import type { LogRecord, WebhookProfile, World } from '../../src/world/model.js'
import { paginate } from '../../src/world/paginate.js'
import { parseTimestamp, RETENTION_SECONDS } from '../../src/world/time.js'
import { createWorld, lookupWebhook, withInstant } from '../../src/world/world.js'
import { historyProblems } from '../support/history.js'

const NOW = parseTimestamp('2024-01-15T12:00:00Z')
const HOUR = 3_600
const DAY = 86_400
const defaults = loadFixtures([DEFAULT_FIXTURES], loadSpec())
const worldOf = (seed: number) => createWorld({ seed, now: NOW }, defaults)

function profile(world: World, agentId: string, webhookId: string): WebhookProfile {
  const p = lookupWebhook(world, agentId, webhookId)
  if (typeof p === 'string') throw new Error(p)
  return p
}

/** Open-world webhooks of a few seeds, small enough to list whole at any instant. */
const sample = [42, 1337, 1211].flatMap((seed) => {
  const world = worldOf(seed)
  return Array.from({ length: 40 }, (_, i) => profile(world, `agent-${i % 7}`, `webhook-${seed}-${i}`))
    .filter((p) => p.total <= 6_000)
    .map((p) => ({ world, p }))
})

const all = (world: World, p: WebhookProfile) => logsPage(world, p, 0, rowCount(world, p))
const bytes = (world: World, p: WebhookProfile, page: number, perPage: number) => encodePage(world, p, paginate(rowCount(world, p), page, perPage)).toString()

describe('the world at an instant after the anchor', () => {
  it('keeps every rule of a history (order, window, chains, field presence) at instants from a second to 60 days on', () => {
    const small = sample.filter(({ p }) => p.total <= 2_500)
    expect(small.length).toBeGreaterThan(60)
    for (const dt of [1, 59, HOUR, DAY, 7 * DAY, 31 * DAY, 60 * DAY]) {
      for (const { world, p } of small) {
        const at = withInstant(world, NOW + dt)
        const rows = all(at, p)
        const options = { now: NOW + dt, total: rowCount(at, p), cutoff: cutoffAt(p, world, NOW + dt) }
        expect(historyProblems(p, rows, options), `+${dt}s`).toEqual([])
      }
    }
  }, 60_000)

  it('reads the same bytes at an instant whatever instants were seen before (path independence)', () => {
    const rng = new Rng(15)
    for (let run = 0; run < 12; run++) {
      const seed = [42, 1337, 1211][run % 3]
      const ids = [`agent-${run}`, `webhook-path-${run}`] as const
      // One world walks forward through random steps (its caches warm on the way); another jumps.
      const walker = worldOf(seed)
      let t = NOW
      for (let step = 0, steps = 1 + rng.int(5); step < steps; step++) {
        t += 1 + rng.int(rng.chance(0.5) ? HOUR : 3 * DAY)
        const seen = withInstant(walker, t)
        bytes(seen, profile(seen, ...ids), 1, 25)
      }
      const walked = withInstant(walker, t)
      const jumped = withInstant(worldOf(seed), t)
      const p = profile(walked, ...ids)
      const q = profile(jumped, ...ids)
      expect(rowCount(walked, p)).toBe(rowCount(jumped, q))
      for (const perPage of [7, 100]) {
        const last = paginate(rowCount(walked, p), 1, perPage).pagination.last_page
        for (const page of [1, 2, Math.ceil(last / 2), last]) expect(bytes(walked, p, page, perPage)).toBe(bytes(jumped, q, page, perPage))
      }
    }
  })

  it('never changes a row once it is visible, except a pending row settling, until retention drops it', () => {
    for (const { world, p } of sample.slice(0, 40)) {
      for (const [t1, t2] of [
        [NOW, NOW + 90],
        [NOW + 60, NOW + 2 * HOUR],
        [NOW + HOUR, NOW + 3 * DAY],
      ]) {
        const before = withInstant(world, t1)
        const after = withInstant(world, t2)
        for (const row of all(before, p)) {
          const found = findLog(after, p, row.id)
          if (!found) {
            expect(row.createdAt, `${row.id} vanished while retention keeps it`).toBeLessThan(cutoffAt(p, world, t2))
            continue
          }
          if (row.status === 'pending') {
            expect({ ...found.record, status: 'pending' }).toMatchObject({
              id: row.id,
              attempt: row.attempt,
              createdAt: row.createdAt,
              payloadJson: row.payloadJson,
              event: row.event,
            })
          } else expect(encodeLog(found.record)).toBe(encodeLog(row))
        }
      }
    }
  })

  it('finds every row of the list at an instant by its id, at its index', () => {
    for (const { world, p } of sample.slice(0, 30)) {
      const at = withInstant(world, NOW + 5 * HOUR)
      all(at, p).forEach((row, index) => expect(findLog(at, p, row.id)).toEqual({ index, record: row }))
    }
  })

  it('drops a row exactly when it falls out of the 30-day window', () => {
    const { world, p } = sample.find(({ p }) => p.total > 50)!
    const oldest = all(world, p).at(-1)!
    const kept = withInstant(world, oldest.createdAt + RETENTION_SECONDS)
    const gone = withInstant(world, oldest.createdAt + RETENTION_SECONDS + 1)
    expect(findLog(kept, p, oldest.id)?.record).toEqual(oldest)
    expect(all(kept, p).at(-1)).toEqual(oldest)
    expect(findLog(gone, p, oldest.id)).toBeUndefined()
    expect(all(gone, p).some((r) => r.id === oldest.id)).toBe(false)
  })

  it("keeps the history's rate: 30 days after the anchor a webhook has about as many rows as at it", () => {
    let before = 0
    let after = 0
    for (const { world, p } of sample.filter(({ p }) => p.enabled)) {
      before += p.total
      after += rowCount(withInstant(world, NOW + 30 * DAY), p)
    }
    expect(after / before).toBeGreaterThan(0.8)
    expect(after / before).toBeLessThan(1.25)
  })

  it('gives a disabled webhook no new rows, only retention', () => {
    const { world, p } = sample.find(({ p }) => !p.enabled && p.total > 0)!
    const later = withInstant(world, NOW + DAY)
    expect(all(later, p)[0]).toEqual(all(world, p)[0])
    expect(rowCount(later, p)).toBeLessThanOrEqual(p.total)
  })
})

describe('deliveries in flight at the anchor', () => {
  const inFlight = sample.filter(
    ({ world, p }) =>
      p.layout.inFlight &&
      all(world, p)
        .slice(0, 12)
        .some((r) => r.status === 'pending' || r.status === 'retrying'),
  )

  it("grows a retrying delivery's next attempt on top of the list at its due instant, same event and payload", () => {
    let grown = 0
    for (const { world, p } of inFlight) {
      const rows = all(world, p)
      const waiting = rows.filter((r) => r.status === 'retrying' && !rows.some((o) => o.payloadJson === r.payloadJson && o.attempt > r.attempt))
      for (const last of waiting) {
        const later = all(withInstant(world, NOW + 6 * HOUR), p)
        const next = later.find((r) => r.payloadJson === last.payloadJson && r.attempt === last.attempt + 1)
        expect(next, `attempt ${last.attempt + 1} of ${last.id}`).toBeDefined()
        expect(next!.event).toBe(last.event)
        expect(next!.createdAt).toBeGreaterThan(NOW)
        // Not there a second before it is sent; there from that instant on, above every older row.
        expect(all(withInstant(world, next!.createdAt - 1), p).some((r) => r.id === next!.id)).toBe(false)
        const atDue = all(withInstant(world, next!.createdAt), p)
        expect(atDue.findIndex((r) => r.id === next!.id)).toBe(
          atDue.filter((r) => r.createdAt > next!.createdAt).length + atDue.filter((r) => r.createdAt === next!.createdAt).findIndex((r) => r.id === next!.id),
        )
        grown++
      }
    }
    expect(grown).toBeGreaterThan(5)
  })

  it('settles a row that was pending at the anchor once its attempt is over', () => {
    let settled = 0
    const world = worldOf(7)
    const busy = Array.from({ length: 150 }, (_, i) => profile(world, 'agent-busy', `webhook-${i}`)).filter((p) => p.layout.inFlight)
    for (const p of busy) {
      for (const row of logsPage(world, p, 0, 12).filter((r) => r.status === 'pending')) {
        const later = findLog(withInstant(world, NOW + p.timeout + 10), p, row.id)!.record
        expect(later.status).not.toBe('pending')
        expect(later.attempt).toBe(1)
        if (later.status === 'success') expect(later.deliveredAt).toBeGreaterThan(NOW)
        settled++
      }
    }
    expect(settled).toBeGreaterThan(5)
  })
})

describe('a page at an instant', () => {
  it('concatenates pages of 7 and of 100 into the same sequence', () => {
    for (const { world, p } of sample.slice(0, 20)) {
      const at = withInstant(world, NOW + 2 * DAY + 17)
      const total = rowCount(at, p)
      const by = (perPage: number) => {
        const out: LogRecord[] = []
        for (let offset = 0; offset < total; offset += perPage) out.push(...logsPage(at, p, offset, perPage))
        return out.map(encodeLog)
      }
      expect(by(7)).toEqual(by(100))
    }
  })

  it('refuses an instant before the anchor', () => {
    expect(() => withInstant(worldOf(1), NOW - 1)).toThrow(RangeError)
  })
})
