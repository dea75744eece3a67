// The fleet's journal. A pure read costs no store round trip: each replica keeps what it answered
// and stages it when a journal read (or a write) asks every replica to flush, once a second, and
// when it stops; the staged lines are sealed in the order they were answered. Each distinct answer
// body is stored once: a cached page answered a thousand times sends its body to the store once,
// each journal line carries a reference, and GET /__mock/requests on any replica shows every
// entry's body as one process would. The bodies the store keeps are those its journal lines still
// reference (bounded by --journal-size), and a replica whose "already sent" knowledge went stale
// (another replica's reset emptied the store) sends the body again.
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createApp, readyOf } from '../../src/index.js'
import { startRedis, type RunningRedis } from '../support/redis.js'

const AUTH = { Authorization: 'Bearer talq_bodies' }
const LOGS = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid-1/logs'
const BODIES = 'talkover-mock:journal-bodies'
let redis: RunningRedis
let probe: Redis
const aborts: AbortController[] = []

beforeAll(async () => {
  redis = await startRedis()
  probe = new Redis(redis.url)
})
afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort()
  await probe.flushall()
})
afterAll(async () => {
  probe?.disconnect()
  await redis?.stop()
})

async function replica(options: Parameters<typeof createApp>[0] = {}) {
  const abort = new AbortController()
  aborts.push(abort)
  const app = createApp({ state: redis.url, retrySettleMs: 0, signal: abort.signal, ...options })
  await readyOf(app)
  return app
}

type Shown = { path: string; query: string; answer?: { body?: string; body_dropped?: true } }
type App = ReturnType<typeof createApp>
async function journal(app: App, query = ''): Promise<Shown[]> {
  const res = await app.request(`/__mock/requests${query}`)
  expect(res.status).toBe(200)
  return ((await res.json()) as { data: Shown[] }).data
}

/** The body one memory-mode process's journal shows for `path` (redacted as GET /__mock/requests shows it). */
async function shownBody(path: string): Promise<string | undefined> {
  const one = createApp()
  await one.request(path, { headers: AUTH })
  return (await journal(one))[0].answer?.body
}

/** Calls of `command` the store has run so far (INFO commandstats). */
async function calls(command: string): Promise<number> {
  const stats = await probe.info('commandstats')
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0)
}

describe('pure reads on a replica', () => {
  it('send nothing to the store until the journal is read, and then show in the order they were answered', async () => {
    const a = await replica()
    const b = await replica()
    await journal(a)
    const before = await calls('eval')
    for (let i = 0; i < 30; i++) await (i % 2 ? a : b).request(`${LOGS}?per_page=${1 + (i % 5)}`, { headers: AUTH })
    expect(await calls('eval')).toBe(before)
    const shown = await journal(b, '?limit=30')
    expect(shown.map((e) => `${e.path}?${e.query}`)).toEqual(Array.from({ length: 30 }, (_, i) => `${LOGS}?per_page=${1 + ((29 - i) % 5)}`))
  })

  it('are staged within about a second when nobody asks, and when the replica stops', async () => {
    const a = await replica()
    await a.request(`${LOGS}?per_page=2`, { headers: AUTH })
    await new Promise((resolve) => setTimeout(resolve, 1600))
    expect(await probe.zcard('talkover-mock:journal-stage')).toBe(1)
    await a.request(`${LOGS}?per_page=3`, { headers: AUTH })
    aborts.shift()?.abort()
    for (let i = 0; i < 50 && (await probe.zcard('talkover-mock:journal-stage')) < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20))
    const b = await replica()
    expect((await journal(b)).filter((e) => e.path === LOGS).map((e) => e.query)).toEqual(['per_page=3', 'per_page=2'])
  })

  it('answered before a reset on another replica are gone with it, as in one process', async () => {
    const a = await replica()
    const b = await replica()
    await b.request(`${LOGS}?per_page=1`, { headers: AUTH })
    await b.request(`${LOGS}?per_page=2`, { headers: { ...AUTH, 'X-Mock-Session': 's1' } })
    await b.request(`${LOGS}?per_page=3`, { headers: { ...AUTH, 'X-Mock-Session': 's2' } })
    expect((await a.request('/__mock/reset?session=s1', { method: 'POST' })).status).toBe(200)
    expect((await journal(b)).map((e) => e.query)).toEqual(['per_page=3', 'per_page=1'])
    await b.request(`${LOGS}?per_page=4`, { headers: AUTH })
    expect((await a.request('/__mock/reset', { method: 'POST' })).status).toBe(200)
    await b.request(`${LOGS}?per_page=5`, { headers: AUTH })
    expect((await journal(a)).map((e) => e.query)).toEqual(['per_page=5'])
  })

  it('keep the fleet-wide count exact past --journal-size, and the newest entries', async () => {
    const a = await replica({ journalSize: 3 })
    const b = await replica({ journalSize: 3 })
    for (let i = 0; i < 10; i++) await a.request(`${LOGS}?per_page=1`, { headers: AUTH })
    for (let i = 0; i < 5; i++) await b.request(`${LOGS}?per_page=2`, { headers: AUTH })
    const shown = (await journal(b)) as (Shown & { k?: number })[]
    expect(shown.map((e) => [e.k, e.query])).toEqual([
      [15, 'per_page=2'],
      [14, 'per_page=2'],
      [13, 'per_page=2'],
    ])
  })
})

describe("the fleet's journal of answer bodies", () => {
  it('stores a page answered many times once, and shows its body on every entry on another replica', async () => {
    const a = await replica()
    const b = await replica()
    const page = await shownBody(`${LOGS}?per_page=100`)
    expect(page).toMatch(/^\{"success":true/)
    for (let i = 0; i < 21; i++) await a.request(`${LOGS}?per_page=100`, { headers: AUTH })
    const shown = await journal(b, '?limit=21')
    expect(shown).toHaveLength(21)
    for (const entry of shown) expect(entry.answer?.body).toBe(page)
    expect(await probe.hlen(BODIES)).toBe(1)
    // Each line holds a reference, not the 8 KiB body.
    const lines = await probe.lrange('talkover-mock:journal-lines', 0, -1)
    expect(lines).toHaveLength(21)
    for (const line of lines) expect(line.length).toBeLessThan(2048)
  })

  it('keeps only the bodies the kept lines reference (--journal-size), and a session reset lets its bodies go', async () => {
    const a = await replica({ journalSize: 3 })
    for (let n = 1; n <= 8; n++) await a.request(`${LOGS}?per_page=${n}`, { headers: AUTH })
    await journal(a)
    expect(await probe.llen('talkover-mock:journal-lines')).toBe(3)
    expect(await probe.hlen(BODIES)).toBe(3)
    await probe.flushall()
    const b = await replica({ journalSize: 10 })
    await b.request(`${LOGS}?per_page=2`, { headers: AUTH })
    await b.request(`${LOGS}?per_page=3`, { headers: { ...AUTH, 'X-Mock-Session': 's1' } })
    await b.request(`${LOGS}?per_page=4`, { headers: { ...AUTH, 'X-Mock-Session': 's1' } })
    await journal(b)
    expect(await probe.hlen(BODIES)).toBe(3)
    expect((await b.request('/__mock/reset?session=s1', { method: 'POST' })).status).toBe(200)
    const left = await journal(b)
    expect(left.filter((e) => e.path.startsWith('/api/')).map((e) => e.answer?.body?.length)).toHaveLength(1)
    expect(await probe.hlen(BODIES)).toBe(1)
  })

  it('sends a body again when another replica reset the store after this one had sent it', async () => {
    const a = await replica()
    const b = await replica()
    const page = await shownBody(`${LOGS}?per_page=7`)
    await a.request(`${LOGS}?per_page=7`, { headers: AUTH })
    await journal(a)
    expect((await b.request('/__mock/reset', { method: 'POST' })).status).toBe(200)
    expect(await probe.hlen(BODIES)).toBe(0)
    await a.request(`${LOGS}?per_page=7`, { headers: AUTH })
    const shown = await journal(b)
    const read = shown.find((e) => e.path.startsWith('/api/'))
    expect(read?.answer?.body_dropped).toBeUndefined()
    expect(read?.answer?.body).toBe(page)
  })
})

describe("the fleet's journal keeps what one process keeps (review 25b)", () => {
  it('drops the oldest entries past the byte budget as one process does, and the store with them', async () => {
    const one = createApp({ journalSize: 5000 })
    const a = await replica({ journalSize: 5000 })
    const b = await replica({ journalSize: 5000 })
    const pad = 'x'.repeat(12_000)
    for (let i = 0; i < 3000; i++) {
      const path = `${LOGS}?per_page=1&note=${i}${pad}`
      await one.request(path, { headers: AUTH })
      await (i % 2 ? a : b).request(path, { headers: AUTH })
    }
    const count = async (app: App) => ((await (await app.request('/__mock/requests/count')).json()) as { data: { count: number } }).data.count
    const kept = await count(one)
    expect(kept).toBeLessThan(3000)
    expect(await count(a)).toBe(kept)
    expect(await probe.llen('talkover-mock:journal-lines')).toBe(kept)
  }, 60_000)

  it('shows body_dropped where one process does: only the newest answers keep their bodies', async () => {
    const one = createApp()
    const a = await replica()
    const b = await replica()
    const DEEP = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid-1m/logs?per_page=100&page='
    for (let i = 1; i <= 700; i++) {
      await one.request(`${DEEP}${i}`, { headers: AUTH })
      await (i % 2 ? a : b).request(`${DEEP}${i}`, { headers: AUTH })
    }
    const dropped = async (app: App) => (await journal(app, '?limit=1000')).map((e) => e.answer?.body_dropped === true)
    const expected = await dropped(one)
    expect(expected.filter(Boolean).length).toBeGreaterThan(100)
    expect(await dropped(a)).toEqual(expected)
    // The store keeps about one process's 4 MiB of answer bodies, not one per line.
    expect(await probe.hlen(BODIES)).toBeLessThan(expected.length - expected.filter(Boolean).length + 2)
  }, 60_000)

  it('stages a large journal in slices, so neither the replica nor the store is held for the whole of it', async () => {
    const a = await replica({ journalSize: 5000 })
    await journal(a)
    const before = await calls('eval')
    for (let i = 0; i < 1200; i++) await a.request(`${LOGS}?per_page=1&n=${i}`, { headers: AUTH })
    const shown = await journal(a, '?limit=5000')
    expect(shown.filter((e) => e.path === LOGS)).toHaveLength(1200)
    // Three slices of at most 500 lines, one seal, one read.
    expect((await calls('eval')) - before).toBe(5)
  }, 60_000)

  it('keeps answering body_dropped where one process does after a global reset (the ring goes on)', async () => {
    const one = createApp()
    const a = await replica()
    const b = await replica()
    const SMALL = `${LOGS}?per_page=1`
    const BIG = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid-1m/logs?per_page=100&page=1'
    for (const app of [one, a]) {
      await app.request(SMALL, { headers: AUTH })
      expect((await app.request('/__mock/reset', { method: 'POST' })).status).toBe(200)
    }
    for (let i = 0; i < 600; i++) {
      await one.request(BIG, { headers: AUTH })
      await (i % 2 ? a : b).request(BIG, { headers: AUTH })
    }
    const dropped = async (app: App) => (await journal(app, '?limit=1000')).map((e) => e.answer?.body_dropped === true)
    expect(await dropped(a)).toEqual(await dropped(one))
  }, 60_000)

  it('lists as many entries on a replica as the store keeps, whatever the shown entries weigh', async () => {
    const one = createApp({ journalSize: 5000 })
    const a = await replica({ journalSize: 5000 })
    const headers: Record<string, string> = { ...AUTH }
    for (let i = 0; i < 50; i++) headers[`x-h${String(i).padStart(2, '0')}`] = '1'
    const pad = 'x'.repeat(12_000)
    for (let i = 0; i < 2800; i++) {
      const path = `${LOGS}?per_page=1&note=${i}${pad}`
      await one.request(path, { headers })
      await a.request(path, { headers })
    }
    const count = async (app: App) => ((await (await app.request('/__mock/requests/count')).json()) as { data: { count: number } }).data.count
    expect(await count(a)).toBe(await count(one))
    expect(await probe.llen('talkover-mock:journal-lines')).toBe(await count(one))
  }, 60_000)
})
