import { describe, expect, it } from 'vitest'
import { DEFAULT_FIXTURES, loadFixtures } from '../../src/world/fixtures.js'
import { encodeLog } from '../../src/world/log-json.js'
import { findLog, logAt, logsPage } from '../../src/world/logs.js'
import { formatTimestamp } from '../../src/world/time.js'
import { decodeSegment } from '../../src/world/segments.js'
import { loadSpec } from '../../src/http/spec.js'
import { backoffSeconds, parseTimestamp, RETENTION_SECONDS } from '../../src/world/time.js'
import { createWorld, lookupWebhook } from '../../src/world/world.js'
import { historyProblems } from '../support/history.js'
import type { LogRecord, WebhookProfile, World } from '../../src/world/model.js'

const NOW = parseTimestamp('2024-01-15T12:00:00Z')
const SEEDS = [42, 1337, 1211, 1, 7]
const defaults = loadFixtures([DEFAULT_FIXTURES], loadSpec())
const worldOf = (seed: number, now = NOW) => createWorld({ seed, now }, defaults)

function profile(world: World, agentId: string, webhookId: string): WebhookProfile {
  const p = lookupWebhook(world, agentId, webhookId)
  if (typeof p === 'string') throw new Error(p)
  return p
}

/** Open-world webhooks of every seed, small enough to check whole. */
const sample = SEEDS.flatMap((seed) => {
  const world = worldOf(seed)
  return Array.from({ length: 60 }, (_, i) => profile(world, `agent-${i % 9}`, `webhook-${seed}-${i}`))
    .filter((p) => p.total <= 20_000)
    .map((p) => ({ world, p }))
})
const histories = sample.map(({ world, p }) => ({ world, p, rows: logsPage(world, p, 0, p.total) }))

const pages = (world: World, p: WebhookProfile, perPage: number) => {
  const out: LogRecord[] = []
  for (let offset = 0; offset < p.total; offset += perPage) out.push(...logsPage(world, p, offset, perPage))
  return out
}

describe('a generated history', () => {
  it('keeps every rule (count, ids, order, window, chains, field presence) for every sampled webhook', () => {
    expect(histories.length).toBeGreaterThan(250)
    for (const { p, rows } of histories) expect(historyProblems(p, rows)).toEqual([])
  })

  it('has a checker that does catch broken histories', () => {
    const { p, rows } = histories.find((h) => h.rows.some((r) => r.attempt === 2))!
    const reordered = [rows[1], rows[0], ...rows.slice(2)]
    expect(historyProblems(p, reordered).join('\n')).toMatch(/newer than the row before it|not later than the attempt before it/)
    const i = rows.findIndex((r) => r.attempt === 2)
    expect(
      historyProblems(
        p,
        rows.map((r, k) => (k === i ? { ...r, attempt: 3 } : r)),
      ).join('\n'),
    ).toMatch(/attempts of a delivery are/)
    expect(historyProblems(p, rows.slice(1))).toContain(`${p.total - 1} rows for a total of ${p.total}`)
  })

  it('shows all four statuses across the sample, and failed rows only at 1 + max_retries', () => {
    const seen = new Set(histories.flatMap(({ rows }) => rows.map((r) => r.status)))
    expect([...seen].sort()).toEqual(['failed', 'pending', 'retrying', 'success'])
  })

  it('reads the same sequence whether fetched 7 or 100 rows at a time', () => {
    for (const { world, p, rows } of histories.filter(({ p }) => p.total <= 3_000).slice(0, 60)) {
      const by7 = pages(world, p, 7).map(encodeLog)
      const by100 = pages(world, p, 100).map(encodeLog)
      expect(by7).toEqual(by100)
      expect(by7).toEqual(rows.map(encodeLog))
    }
  })

  it('computes row i from its inputs alone: a fresh world, any order, the same row', () => {
    for (const { p, rows } of histories.filter(({ p }) => p.total > 0).slice(0, 40)) {
      const fresh = worldOf(p.seed)
      const q = profile(fresh, p.agentId, p.webhookId)
      for (const i of [rows.length - 1, Math.floor(rows.length / 2), 0]) {
        expect(logAt(fresh, q, i)).toEqual(rows[i])
      }
    }
  })

  it('gives another history for another seed, and the same one for the same seed', () => {
    const a = logsPage(worldOf(42), profile(worldOf(42), 'agent-uuid', 'webhook-uuid-1m'), 500, 10)
    const b = logsPage(worldOf(42), profile(worldOf(42), 'agent-uuid', 'webhook-uuid-1m'), 500, 10)
    const c = logsPage(worldOf(43), profile(worldOf(43), 'agent-uuid', 'webhook-uuid-1m'), 500, 10)
    expect(a.map(encodeLog)).toEqual(b.map(encodeLog))
    expect(c[0].id).not.toBe(a[0].id)
  })

  it('spaces retries by the backoff schedule: 10 s, then ×3, capped at 1 h, plus up to 20 % jitter and the attempt’s duration', () => {
    for (const { p, rows } of histories.filter(({ p }) => p.layout.segmentSize < 512).slice(0, 80)) {
      const chains = new Map<string, LogRecord[]>()
      for (const r of rows) chains.set(r.payloadJson, [...(chains.get(r.payloadJson) ?? []), r])
      for (const chain of chains.values()) {
        chain.sort((a, b) => a.attempt - b.attempt)
        for (let k = 1; k < chain.length; k++) {
          const before = chain[k - 1]
          const wait = chain[k].createdAt - before.createdAt - Math.ceil(before.durationMs! / 1000)
          expect(wait, `${p.webhookId} ${before.id}`).toBeGreaterThanOrEqual(backoffSeconds(before.attempt))
          expect(wait).toBeLessThanOrEqual(backoffSeconds(before.attempt) * 1.2)
        }
      }
    }
  })

  it('has some empty, many small and some busy webhooks in the open world', () => {
    const world = worldOf(42)
    const totals = Array.from({ length: 1000 }, (_, i) => profile(world, 'agent', `w${i}`).total)
    const share = (f: (t: number) => boolean) => totals.filter(f).length / totals.length
    expect(share((t) => t === 0)).toBeGreaterThan(0.05)
    expect(share((t) => t === 0)).toBeLessThan(0.15)
    expect(share((t) => t > 0 && t < 400)).toBeGreaterThan(0.6)
    expect(share((t) => t >= 1000)).toBeGreaterThan(0.05)
  })
})

describe('the 1,000,000-row webhook', () => {
  const world = worldOf(42)
  const p = profile(world, 'agent-uuid', 'webhook-uuid-1m')

  it('keeps the rules on windows anywhere in its history', () => {
    for (const offset of [0, 123_456, 500_000, 999_000]) {
      const rows = logsPage(world, p, offset, 1000)
      expect(rows).toHaveLength(1000)
      for (let i = 1; i < rows.length; i++) expect(rows[i].createdAt).toBeLessThanOrEqual(rows[i - 1].createdAt)
      for (const r of rows) expect(r.createdAt).toBeGreaterThanOrEqual(NOW - RETENTION_SECONDS)
    }
    expect(logsPage(world, p, 999_990, 100)).toHaveLength(10)
    expect(logAt(world, p, 999_999).createdAt).toBeGreaterThanOrEqual(NOW - RETENTION_SECONDS)
    expect(() => logAt(world, p, 1_000_000)).toThrow(RangeError)
  })

  it('serves a deep row without decoding the rows before it', () => {
    const fresh = worldOf(42)
    const q = profile(fresh, 'agent-uuid', 'webhook-uuid-1m')
    expect(logAt(fresh, q, 987_654)).toEqual(logAt(world, p, 987_654))
    // A segment is kept on its second miss: read the row again, then only its own segment is held.
    logAt(fresh, q, 987_654)
    expect(fresh.cache.segments.size).toBe(1)
  })

  it('keeps every delivery inside one segment, so segments never overlap in time', () => {
    const k = p.layout.segmentSize
    const a = decodeSegment(p, 10)
    const b = decodeSegment(p, 11)
    expect(a.size).toBe(k)
    expect(Math.min(...a.time)).toBeGreaterThan(Math.max(...b.time))
  })
})

describe('findLog', () => {
  it('finds every row of a sample by its id, and only that row', () => {
    for (const { world, p, rows } of histories.filter(({ p }) => p.total <= 3_000).slice(0, 60)) {
      rows.forEach((r, index) => expect(findLog(world, p, r.id)).toEqual({ index, record: r }))
    }
  })

  it('finds pinned rows and the generated attempts that continue them', () => {
    const world = worldOf(1)
    const p = profile(world, 'agent-uuid', 'webhook-uuid')
    expect(findLog(world, p, 'log-uuid-2')?.index).toBe(1)
    expect(findLog(world, p, logAt(world, p, 2).id)?.record.attempt).toBe(2)
  })

  it('finds nothing for ids of other webhooks, other seeds, edited ids or invented ones', () => {
    const world = worldOf(42)
    const p = profile(world, 'agent-uuid', 'webhook-uuid-1m')
    const id = logAt(world, p, 4242).id
    expect(findLog(world, p, id)?.index).toBe(4242)
    expect(findLog(world, profile(world, 'agent-uuid', 'webhook-uuid'), id)).toBeUndefined()
    expect(findLog(worldOf(43), profile(worldOf(43), 'agent-uuid', 'webhook-uuid-1m'), id)).toBeUndefined()
    expect(findLog(world, p, id.slice(0, 35) + (id.endsWith('0') ? '1' : '0'))).toBeUndefined()
    expect(findLog(world, p, '3f2504e0-4f89-41d3-9a0c-0305e82c3301')).toBeUndefined()
    expect(findLog(world, p, 'log-uuid-3')).toBeUndefined()
  })
})

describe('the docs example webhook', () => {
  const world = worldOf(1)
  const p = profile(world, 'agent-uuid', 'webhook-uuid')
  const rows = logsPage(world, p, 0, p.total)

  it('keeps every rule, continuing log-uuid-2 with its attempts 2 and 1', () => {
    expect(historyProblems(p, rows)).toEqual([])
    expect(rows.slice(1, 4).map((r) => [r.event, r.attempt, r.status])).toEqual([
      ['event_phone_call_started', 3, 'failed'],
      ['event_phone_call_started', 2, 'retrying'],
      ['event_phone_call_started', 1, 'retrying'],
    ])
    expect(new Set(rows.slice(1, 4).map((r) => r.payloadJson)).size).toBe(1)
  })
})

describe('encoding', () => {
  it('writes timestamps as YYYY-MM-DDTHH:MM:SSZ, like Date would', () => {
    for (let t = -86_400 * 400; t < 4_102_444_800; t += 7_777_777) {
      for (const s of [t, t + 1, t + 86_399]) expect(formatTimestamp(s)).toBe(new Date(s * 1000).toISOString().replace('.000Z', 'Z'))
    }
  })

  it('omits absent fields instead of writing null, and escapes what needs escaping', () => {
    const json = encodeLog({
      id: 'a"b',
      webhookId: 'w\\1',
      event: 'e',
      attempt: 1,
      status: 'retrying',
      createdAt: 0,
      payloadJson: '{}',
      error: 'Connection refused',
      durationMs: 3,
    })
    expect(JSON.parse(json)).toEqual({
      id: 'a"b',
      webhook_id: 'w\\1',
      event: 'e',
      attempt: 1,
      status: 'retrying',
      error: 'Connection refused',
      duration_ms: 3,
      created_at: '1970-01-01T00:00:00Z',
    })
    expect(json).not.toContain('null')
  })
})
