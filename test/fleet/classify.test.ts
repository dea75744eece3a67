// What a request is to the fleet is decided as the app decides it: on the path the router matches
// (percent-escapes decoded, so /%61pi/… is /api/… and /__mock/%72eset is /__mock/reset), on the
// session a reset really applies (the last of repeated `session` parameters), on the journal
// filters the route really reads (`status.class` is `status_class`), and a request the
// fault layer refuses for an invalid control header is counted nowhere, as in one process.
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createApp, readyOf } from '../../src/index.js'
import { mockClientsLeft, startRedis, type RunningRedis } from '../support/redis.js'

const AUTH = { Authorization: 'Bearer talq_classify', 'Content-Type': 'application/json' }
const LOGS = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs'
const WEBHOOKS = '/api/v1/agents/agent-1/webhooks'
let redis: RunningRedis
let probe: Redis
const aborts: AbortController[] = []

beforeAll(async () => {
  redis = await startRedis()
  probe = new Redis(redis.url)
})
afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort()
  // A stopping replica stages what it answered: let it, so nothing lands in the next test's store.
  await mockClientsLeft(redis.url)
  await probe.flushall()
})
afterAll(async () => {
  probe?.disconnect()
  await redis?.stop()
})

type App = ReturnType<typeof createApp>
async function replica(options: Parameters<typeof createApp>[0] = {}): Promise<App> {
  const abort = new AbortController()
  aborts.push(abort)
  const app = createApp({ state: redis.url, retrySettleMs: 0, signal: abort.signal, ...options })
  await readyOf(app)
  return app
}
async function replicas(n: number): Promise<App[]> {
  const apps: App[] = []
  for (let i = 0; i < n; i++) apps.push(await replica())
  return apps
}

/** Runs `steps` on one memory-mode process and on the fleet (request i on replica i mod n); returns both results. */
async function both<T>(n: number, steps: (on: () => App) => Promise<T>): Promise<{ one: T; fleet: T }> {
  const one = createApp({ retrySettleMs: 0 })
  const fleet = await replicas(n)
  let i = 0
  return { one: await steps(() => one), fleet: await steps(() => fleet[i++ % n]) }
}

type Line = { seq: number; k?: number; session?: string; status: number; path: string }
async function journal(app: App): Promise<Line[]> {
  const res = await app.request('/__mock/requests')
  expect(res.status).toBe(200)
  return ((await res.json()) as { data: Line[] }).data
}
const shown = (lines: Line[]) => lines.map(({ seq, k, session, status, path }) => ({ seq, k, session, status, path }))
const names = async (app: App) =>
  ((await (await app.request(WEBHOOKS, { headers: AUTH })).json()) as { data: { webhooks: { name: string }[] } }).data.webhooks.map((w) => w.name)
const create = (app: App, path: string, name: string) =>
  app.request(path, {
    method: 'POST',
    headers: AUTH,
    body: JSON.stringify({ name, webhook_url: `https://example.com/${name}`, events: ['event_phone_call_ended'] }),
  })

describe('a percent-encoded path', () => {
  it('creates a webhook on every replica with POST /%61pi/…, as /api/… does', async () => {
    const [a, b] = await replicas(2)
    expect((await create(a, WEBHOOKS.replace('/api/', '/%61pi/'), 'enc')).status).toBe(201)
    expect(await names(a)).toContain('enc')
    expect(await names(b)).toContain('enc')
  })

  it('changes the config of every replica with PATCH /%5F_mock/config', async () => {
    const [a, b] = await replicas(2)
    const res = await a.request('/%5F_mock/config', { method: 'PATCH', headers: AUTH, body: JSON.stringify({ seed: 77 }) })
    expect(res.status).toBe(200)
    for (const app of [a, b]) expect(((await (await app.request('/__mock/config')).json()) as { data: { seed: number } }).data.seed).toBe(77)
  })

  it('takes the admin token on PATCH /%5F_mock/config and changes every replica, as on /__mock/config', async () => {
    const [a, b] = [await replica({ adminToken: 'adm1n-secret' }), await replica({ adminToken: 'adm1n-secret' })]
    const admin = { ...AUTH, Authorization: 'Bearer adm1n-secret' }
    expect((await a.request('/%5F_mock/config', { method: 'PATCH', headers: admin, body: JSON.stringify({ seed: 78 }) })).status).toBe(200)
    for (const app of [a, b])
      expect(((await (await app.request('/__mock/config', { headers: admin })).json()) as { data: { seed: number } }).data.seed).toBe(78)
  })

  it('refuses a streamed body over the cap on /%61pi/… with the API 413 and its headers, as one process does', async () => {
    const [a] = await replicas(1)
    // Streamed, without a Content-Length: the replica itself refuses it past the cap.
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ >= 40) return controller.close()
        controller.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024)))
      },
    })
    const path = WEBHOOKS.replace('/api/', '/%61pi/')
    const fleet = await a.request(path, { method: 'POST', headers: AUTH, body, duplex: 'half' } as RequestInit)
    const one = await createApp().request(path, { method: 'POST', headers: { ...AUTH, 'content-length': String(2 * 1024 * 1024) } })
    expect(fleet.status).toBe(413)
    const shape = async (res: Response) => ({
      body: await res.text(),
      limit: res.headers.get('x-ratelimit-limit'),
      cors: res.headers.get('access-control-allow-origin'),
    })
    expect(await shape(fleet)).toEqual(await shape(one))
  })

  it('answers /__mock/requests/%63ount with the fleet count, as /__mock/requests/count', async () => {
    const [a, b] = await replicas(2)
    await a.request('/__mock/requests/count')
    for (let i = 1; i <= 3; i++) await b.request(`${LOGS}?per_page=${i}`, { headers: AUTH })
    const encoded = await (await a.request('/__mock/requests/%63ount')).json()
    const plain = await (await a.request('/__mock/requests/count')).json()
    expect(encoded).toEqual(plain)
    expect((plain as { data: { count: number } }).data.count).toBe(3)
  })

  it('counts GETs of /%61pi/… with fail_every 2 as one process does', async () => {
    const { one, fleet } = await both(2, async (on) => {
      await on().request('/__mock/config', { method: 'PATCH', headers: AUTH, body: JSON.stringify({ fail_every: 2 }) })
      const statuses: number[] = []
      for (let i = 0; i < 4; i++) statuses.push((await on().request(`${LOGS.replace('/api/', '/%61pi/')}?per_page=1`, { headers: AUTH })).status)
      return statuses
    })
    expect(one).toEqual([200, 500, 200, 500])
    expect(fleet).toEqual(one)
  })

  it('resets the fleet journal with POST /__mock/%72eset as with /__mock/reset', async () => {
    const { one, fleet } = await both(2, async (on) => {
      const app = on()
      for (let i = 1; i <= 3; i++) await app.request(`${LOGS}?per_page=${i}`, { headers: AUTH })
      await app.request('/__mock/requests')
      const other = on()
      const reset = await (await other.request('/__mock/%72eset', { method: 'POST' })).json()
      await other.request(`${LOGS}?per_page=4`, { headers: AUTH })
      return { reset, journal: shown(await journal(other)) }
    })
    expect(fleet).toEqual(one)
    expect(one.journal.map((l) => l.path)).toEqual([LOGS])
  })
})

describe('a journal read with a limit', () => {
  it('filters the whole journal for ?limit=1&status.class=4xx (read as status_class), as one process does', async () => {
    const { one, fleet } = await both(2, async (on) => {
      await on().request(`${LOGS}?per_page=1`, { headers: { Authorization: 'Bearer nope' } })
      for (let i = 2; i <= 3; i++) await on().request(`${LOGS}?per_page=${i}`, { headers: AUTH })
      const res = await on().request('/__mock/requests?limit=1&status.class=4xx')
      return { status: res.status, lines: shown(((await res.json()) as { data: Line[] }).data) }
    })
    expect(one.lines.map((l) => l.status)).toEqual([401])
    expect(fleet).toEqual(one)
  })
})

describe('a reset with a repeated session parameter', () => {
  it('resets only session r with ?session=&session=r: the journal and a replica that joins later keep the rest', async () => {
    const { one, fleet } = await both(2, async (on) => {
      const app = on()
      await create(app, WEBHOOKS, 'kept')
      for (let i = 1; i <= 3; i++) await app.request(`${LOGS}?per_page=${i}`, { headers: AUTH })
      const other = on()
      const reset = await other.request('/__mock/reset?session=&session=r', { method: 'POST' })
      const count = await (await other.request('/__mock/requests/count')).json()
      return { status: reset.status, message: ((await reset.json()) as { message: string }).message, count }
    })
    expect(one.message).toBe('Session r was reset.')
    expect(fleet).toEqual(one)
    expect(await names(await replica())).toContain('kept')
  })

  it('forgets the journal lines of session r, not q, with ?session=q&session=r', async () => {
    const { one, fleet } = await both(3, async (on) => {
      for (const s of ['q', 'r', 'q', 'r']) await on().request(`${LOGS}?per_page=1`, { headers: { ...AUTH, 'X-Mock-Session': s } })
      const reset = await on().request('/__mock/reset?session=q&session=r', { method: 'POST' })
      const lines = await journal(on())
      return { status: reset.status, message: ((await reset.json()) as { message: string }).message, sessions: lines.map((l) => l.session) }
    })
    expect(one.sessions).toEqual(['q', 'q'])
    expect(fleet).toEqual(one)
  })
})

describe('a request refused for an invalid control header', () => {
  it('moves no fault counter: with fail_every 2 the statuses and k are those of one process', async () => {
    const { one, fleet } = await both(3, async (on) => {
      await on().request('/__mock/config', { method: 'PATCH', headers: AUTH, body: JSON.stringify({ fail_every: 2 }) })
      const statuses: number[] = []
      for (const extra of [{}, { 'X-Mock-Latency': 'nope' }, {}, {}, { 'X-Mock-Status': '999' }, {}, { Prefer: 'code=abc' }, {}, {}]) {
        statuses.push((await on().request(`${LOGS}?per_page=1`, { headers: { ...AUTH, ...extra } })).status)
      }
      const ks = (await journal(on())).map((l) => l.k ?? null).reverse()
      return { statuses, ks }
    })
    expect(one.statuses).toEqual([200, 400, 500, 200, 400, 500, 400, 200, 500])
    expect(fleet).toEqual(one)
  })
})
