// What the review of issue 25 found, each held by a test: a refused reset changes nothing in the
// store, a stalled store answers 503 instead of holding requests, credentials stay out of the log,
// simultaneous resets all answer, a lost store is logged, and the store's journal is read no
// further than a request needs.
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createApp, readyOf } from '../../src/index.js'
import { startCutProxy, startRedis, type RunningRedis } from '../support/redis.js'

const AUTH = { Authorization: 'Bearer talq_review', 'Content-Type': 'application/json' }
const LOGS = '/api/v1/campaigns/campaign-uuid/webhooks/webhook-uuid-1/logs'
let redis: RunningRedis
let probe: Redis
const aborts: AbortController[] = []

beforeAll(async () => {
  redis = await startRedis()
  probe = new Redis(redis.url)
})
afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort()
  redis.resume()
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

/** What the store keeps of the fleet: the log's length, the count and the journal's lines. */
async function store() {
  return { log: await probe.xlen('talkover-mock:ops'), k: await probe.get('talkover-mock:k'), journal: await probe.llen('talkover-mock:journal-lines') }
}

describe('a reset the mock refuses', () => {
  it('changes nothing in the store: without the admin token (401), or with an empty session (422)', async () => {
    const a = await replica({ adminToken: 'adm1n-secret' })
    const admin = { ...AUTH, Authorization: 'Bearer adm1n-secret' }
    expect((await a.request('/__mock/config', { method: 'PATCH', headers: admin, body: JSON.stringify({ fail_every: 3 }) })).status).toBe(200)
    await a.request(`${LOGS}?per_page=1`, { headers: { ...AUTH, 'X-Mock-Session': 's1' } })
    await a.request(`${LOGS}?per_page=1`, { headers: AUTH })
    await a.request('/__mock/requests', { headers: admin })
    const before = await store()
    expect(before.journal).toBe(2)
    expect((await a.request('/__mock/reset', { method: 'POST' })).status).toBe(401)
    expect((await a.request('/__mock/reset?session=s1', { method: 'POST' })).status).toBe(401)
    expect((await a.request('/__mock/reset?session=', { method: 'POST', headers: admin })).status).toBe(422)
    await a.request('/__mock/requests', { headers: admin })
    const after = await store()
    // The refused 422 entered the log (every replica refuses it alike); nothing was reset.
    expect(after.k).toBe(before.k)
    expect(after.journal).toBe(before.journal)
    expect(after.log).toBeGreaterThanOrEqual(before.log)
    // A replica that joins now still has the script.
    const late = await replica({ adminToken: 'adm1n-secret' })
    expect(((await (await late.request('/__mock/config', { headers: admin })).json()) as { data: { fail_every: unknown } }).data.fail_every).toEqual({ n: 3 })
  })
})

describe('a store that stops answering', () => {
  it('answers writes and journal reads 503 within seconds, and pure reads at once', async () => {
    const a = await replica()
    redis.pause()
    const started = Date.now()
    const write = await a.request('/__mock/config', { method: 'PATCH', headers: AUTH, body: JSON.stringify({ fail_next: 1 }) })
    expect(write.status).toBe(503)
    expect(Date.now() - started).toBeLessThan(9000)
    expect((await a.request('/__mock/requests?limit=1')).status).toBe(503)
    expect((await a.request(`${LOGS}?per_page=1`, { headers: AUTH })).status).toBe(200)
  }, 30_000)

  it('refuses to start within seconds when it accepts the connection and never answers', async () => {
    redis.pause()
    const abort = new AbortController()
    aborts.push(abort)
    const started = Date.now()
    const error = await readyOf(createApp({ state: redis.url, signal: abort.signal })).then(
      () => undefined,
      (e: Error) => e,
    )
    expect(error?.name).toBe('StoreUnavailable')
    expect(Date.now() - started).toBeLessThan(9000)
  }, 30_000)
})

describe('what the log keeps', () => {
  it('never holds a credential header or a credential-named query value', async () => {
    const a = await replica()
    await a.request('/api/v1/agents/agent-uuid/webhooks?api_key=q-s3cret-value', {
      method: 'POST',
      headers: { ...AUTH, 'X-Auth': 'h-s3cret-value', 'X-Api-Token': 't-s3cret-value' },
      body: JSON.stringify({ name: 'Kept', webhook_url: 'https://example.com/hook', events: ['event_phone_call_ended'] }),
    })
    const entries = (await probe.xrange('talkover-mock:ops', '-', '+')).map(([, fields]) => JSON.parse(fields[1]) as { body?: string })
    // The body is the state (kept whole, base64); the rest of the request is not.
    const log = JSON.stringify(entries) + entries.map((e) => Buffer.from(e.body ?? '', 'base64').toString('utf8')).join('')
    expect(log).toContain('"name":"Kept"')
    for (const secret of ['q-s3cret-value', 'h-s3cret-value', 't-s3cret-value', 'talq_review']) expect(log).not.toContain(secret)
  })
})

describe('simultaneous global resets', () => {
  it('all answer 200 at once, on every replica', async () => {
    const replicas = [await replica(), await replica(), await replica()]
    const started = Date.now()
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => replicas[i % 3].request('/__mock/reset', { method: 'POST' })))
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200])
    expect(Date.now() - started).toBeLessThan(5000)
  }, 30_000)
})

describe('a store lost while serving', () => {
  it('is said once in the log when it goes, and once when it is back', async () => {
    const lines: string[] = []
    await replica({ log: (line) => lines.push(line) })
    await probe.client('KILL', 'TYPE', 'normal')
    for (let i = 0; i < 100 && !lines.some((l) => l.endsWith(' is back')); i++) await new Promise((r) => setTimeout(r, 50))
    const shown = `redis://127.0.0.1:${redis.port}`
    expect(lines.filter((l) => l.includes(`the state store ${shown} is away`))).toHaveLength(1)
    expect(lines.filter((l) => l.endsWith(`the state store ${shown} is back`))).toHaveLength(1)
  }, 30_000)
})

describe('replicas with other settings', () => {
  it('refuse to join a fleet whose replicas run with other settings, and may once none runs', async () => {
    await replica({ seed: 7 })
    const abort = new AbortController()
    aborts.push(abort)
    const error = await readyOf(createApp({ state: redis.url, seed: 8, signal: abort.signal })).then(
      () => undefined,
      (e: Error) => e,
    )
    expect(error?.name).toBe('ConfigError')
    expect(error?.message).toMatch(
      /^This replica's settings differ from those of the 1 replica\(s\) running on redis:\/\/127\.0\.0\.1:\d+: every replica must run with the same seed/,
    )
    // The same settings join; only what may differ per replica differs.
    await replica({ seed: 7, cacheMb: 16 })
    // Once no replica of the old settings is alive, new settings start a new fleet.
    for (const a of aborts.splice(0)) a.abort()
    // Stopped replicas leave the fleet's list at once.
    for (let i = 0; i < 60 && (await probe.zcard('talkover-mock:replicas')) > 0; i++) await new Promise((r) => setTimeout(r, 50))
    expect(await probe.zcard('talkover-mock:replicas')).toBe(0)
    await replica({ seed: 8 })
  }, 30_000)
})

describe('a reply the store sent but the replica never got (review 25b)', () => {
  it('leaves a write in the log once, not twice: the command is not sent again after the reconnect', async () => {
    const proxy = await startCutProxy(redis.port)
    try {
      const a = await replica({ state: proxy.url })
      const b = await replica()
      const WEBHOOKS = '/api/v1/agents/agent-1/webhooks'
      const count = async () => ((await (await b.request(WEBHOOKS, { headers: AUTH })).json()) as { data: { webhooks: unknown[] } }).data.webhooks.length
      const before = await count()
      proxy.cutAfter('XADD')
      const res = await a.request(WEBHOOKS, {
        method: 'POST',
        headers: AUTH,
        body: JSON.stringify({ name: 'once', webhook_url: 'https://example.com/once', events: ['event_phone_call_ended'] }),
      })
      expect(proxy.cut()).toBe(true)
      // Either answer is honest (made, or 503 saying it may have been made); two webhooks never are.
      expect([201, 503]).toContain(res.status)
      await new Promise((resolve) => setTimeout(resolve, 1500))
      expect(await probe.xlen('talkover-mock:ops')).toBe(1)
      expect(await count()).toBe(before + 1)
    } finally {
      await proxy.close()
    }
  }, 20_000)
})

describe('replicas that died without a goodbye (review 25b)', () => {
  it('are forgotten by the next heartbeat once they have been silent for ten minutes, and live ones are not', async () => {
    const long = Date.now() - 11 * 60_000
    // A live replica whose clock runs 8 s behind this one's.
    await probe.zadd('talkover-mock:replicas', Date.now() - 8000, 'clock-behind')
    await probe.zadd('talkover-mock:replicas', long, 'killed-1', long, 'killed-2')
    await replica()
    await new Promise((resolve) => setTimeout(resolve, 1200))
    expect(await probe.zrange('talkover-mock:replicas', 0, -1)).toHaveLength(2)
  })
})

describe('a reset whose store part is lost in a connection blip (review 25c)', () => {
  it.each([
    ['a global reset', '/__mock/reset', 'XTRIM'],
    ['a session reset', '/__mock/reset?session=s1', 'local gone'],
  ])(
    '%s still resets the fleet journal: the store part is sent again',
    async (_, path, match) => {
      const proxy = await startCutProxy(redis.port)
      try {
        const a = await replica({ state: proxy.url })
        await a.request(`${LOGS}?per_page=1`, { headers: { ...AUTH, 'X-Mock-Session': 's1' } })
        await a.request('/__mock/requests', { headers: AUTH })
        proxy.cutBefore(match)
        expect((await a.request(path, { method: 'POST' })).status).toBe(200)
        expect(proxy.cut()).toBe(true)
        const shown = (await (await a.request('/__mock/requests', { headers: AUTH })).json()) as { data: unknown[] }
        expect(shown.data).toEqual([])
      } finally {
        await proxy.close()
      }
    },
    20_000,
  )
})

describe('a store that is full (maxmemory, noeviction; review 25c)', () => {
  afterEach(async () => {
    await probe.config('SET', 'maxmemory', '0')
  })

  it('refuses writes with a 503 naming it, and still takes the global reset that frees it', async () => {
    const a = await replica()
    await probe.config('SET', 'maxmemory-policy', 'noeviction')
    const used = Number(/used_memory:(\d+)/.exec(await probe.info('memory'))?.[1])
    await probe.config('SET', 'maxmemory', String(used + 6 * 1024 * 1024))
    const big = JSON.stringify({ name: 'x'.repeat(900_000), webhook_url: 'https://example.com/x', events: ['event_phone_call_ended'] })
    const statuses: number[] = []
    for (let i = 0; i < 12 && statuses.at(-1) !== 503; i++)
      statuses.push((await a.request('/api/v1/agents/agent-1/webhooks', { method: 'POST', headers: AUTH, body: big })).status)
    // Past maxmemory the writes are refused (those the app refuses with 422 enter the log all the same).
    expect(statuses.slice(-1)).toEqual([503])
    expect(await probe.xlen('talkover-mock:ops')).toBe(statuses.filter((s) => s !== 503).length)
    const refused = await a.request('/api/v1/agents/agent-1/webhooks', { method: 'POST', headers: AUTH, body: big })
    expect(((await refused.json()) as { message: string }).message).toMatch(/full/)
    expect((await a.request('/__mock/reset', { method: 'POST' })).status).toBe(200)
    const small = JSON.stringify({ name: 'after', webhook_url: 'https://example.com/after', events: ['event_phone_call_ended'] })
    expect((await a.request('/api/v1/agents/agent-1/webhooks', { method: 'POST', headers: AUTH, body: small })).status).toBe(201)
  }, 30_000)
})

describe('a store that holds the journal of an earlier version (an upgrade without restarting the store)', () => {
  it('reads the journal all the same: lines of another format are never read', async () => {
    await probe.lpush('talkover-mock:journal', '1|1||{"seq":1,"time":"2024-01-15T10:00:00.000Z","method":"GET","path":"/api/v1/x","query":""}')
    const a = await replica()
    await a.request(`${LOGS}?per_page=1`, { headers: AUTH })
    const res = await a.request('/__mock/requests')
    expect(res.status).toBe(200)
    expect(((await res.json()) as { data: { path: string }[] }).data.map((e) => e.path)).toEqual([LOGS])
  })
})
