// Time travel over HTTP: /__mock/clock, X-Mock-Now, sessions, reset, the retry clock and live mode.
import { describe, expect, it } from 'vitest'
import { createApp, type AppOptions } from '../../src/app.js'
import { Rng } from '../../src/encode/random.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, auth, get } from '../support/http.js'

const T0 = '2024-01-15T12:00:00Z'
// A busy webhook of seed 42: about 38 deliveries an hour, 28 % of them failing at first.
const BUSY = '/api/v1/agents/agent-7/webhooks/webhook-4/logs'

/** An app on a hand-driven real clock: `tick(ms)` moves it (live mode and the retry clock read it). */
function mock(options: AppOptions = {}) {
  let ms = Date.UTC(2024, 0, 15, 12)
  const app = createApp({ seed: 42, ...options, faults: { clock: () => ms, sleep: async () => {}, ...options.faults } })
  return { app, tick: (by: number) => void (ms += by) }
}

type App = ReturnType<typeof createApp>
const clockOf = async (app: App, query = '') => (await expectConforms(await app.request(`/__mock/clock${query}`), 'getMockClock')).data
const move = (app: App, body: unknown, query = '') =>
  Promise.resolve(
    app.request(`/__mock/clock${query}`, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    }),
  )
const page = async (app: App, url = BUSY, headers: Record<string, string> = {}) => {
  const res = await get(app, url, headers)
  expect(res.status).toBe(200)
  return res.text()
}

describe('GET and POST /__mock/clock', () => {
  it('shows the clock at the anchor, frozen, and moves it by seconds, by a duration or to an instant', async () => {
    const { app } = mock()
    expect(await clockOf(app)).toEqual({ now: T0, anchor: T0, mode: 'frozen', rate: 1 })
    expect((await expectConforms(await move(app, { advance: 3600 }), 'moveMockClock')).data).toEqual({
      now: '2024-01-15T13:00:00Z',
      anchor: T0,
      mode: 'frozen',
      rate: 1,
    })
    expect((await expectConforms(await move(app, { advance: '1h30m' }), 'moveMockClock')).data.now).toBe('2024-01-15T14:30:00Z')
    expect((await expectConforms(await move(app, { set: '2024-01-16T00:00:00Z' }), 'moveMockClock')).data.now).toBe('2024-01-16T00:00:00Z')
    expect((await clockOf(app)).now).toBe('2024-01-16T00:00:00Z')
  })

  it('refuses a move backwards or a malformed one with 422 and one sentence, changing nothing', async () => {
    const { app } = mock()
    await move(app, { advance: 60 })
    const cases: [unknown, RegExp][] = [
      [{ set: T0 }, /^The clock only moves forward: 2024-01-15T12:00:00Z is before its current instant 2024-01-15T12:01:00Z\./],
      [{ advance: -60 }, /^Invalid advance -60: use whole seconds like 3600 or a duration like "1h30m"/],
      [{ advance: 'soon' }, /^Invalid advance "soon"/],
      [{ set: 'tomorrow' }, /^Invalid set "tomorrow": use an ISO-8601 instant with a zone/],
      // A date that does not exist is refused, never rolled over into March.
      [{ set: '2024-02-30T00:00:00Z' }, /^Invalid set "2024-02-30T00:00:00Z": use an ISO-8601 instant with a zone/],
      [{}, /^Send exactly one of advance/],
      [{ advance: 60, set: T0 }, /^Send exactly one of advance/],
      [{ rewind: 60 }, /^Send exactly one of advance/],
      [[60], /^Send exactly one of advance/],
    ]
    for (const [body, message] of cases) {
      const res = await move(app, body)
      const error = await expectConforms(res, 'moveMockClock')
      expect(res.status, JSON.stringify(body)).toBe(422)
      expect(error).toEqual({ success: false, message: expect.stringMatching(message) })
    }
    expect((await clockOf(app)).now).toBe('2024-01-15T12:01:00Z')
  })

  it('answers 400 for a body that is not JSON', async () => {
    const { app } = mock()
    const res = await move(app, '{advance: 60')
    expect(res.status).toBe(400)
    expect((await expectConforms(res, 'moveMockClock')).message).toMatch(/^The body is not JSON/)
  })

  it('gives every session its own clock; reset takes one or all back to the anchor', async () => {
    const { app } = mock()
    await move(app, { advance: 3600 }, '?session=A')
    expect((await clockOf(app, '?session=A')).now).toBe('2024-01-15T13:00:00Z')
    expect((await clockOf(app, '?session=B')).now).toBe(T0)
    expect((await clockOf(app)).now).toBe(T0)
    // The session's requests are answered at its clock.
    expect(await page(app, BUSY, { 'X-Mock-Session': 'A' })).toBe(await page(app, BUSY, { 'X-Mock-Now': '2024-01-15T13:00:00Z' }))
    await app.request('/__mock/reset?session=A', { method: 'POST' })
    expect((await clockOf(app, '?session=A')).now).toBe(T0)
    await move(app, { advance: 60 })
    await app.request('/__mock/reset', { method: 'POST' })
    expect((await clockOf(app)).now).toBe(T0)
  })

  it('shows the clock in /__mock/config', async () => {
    const { app } = mock()
    await move(app, { advance: 90 })
    const config = (await expectConforms(await app.request('/__mock/config'), 'getMockConfig')).data
    expect(config.clock).toEqual({ now: '2024-01-15T12:01:30Z', anchor: T0, mode: 'frozen', rate: 1 })
    expect(config.now).toBe(T0)
  })
})

describe('the world as the clock moves', () => {
  it("serves the anchor's bytes until the clock moves", async () => {
    const { app } = mock()
    const before = await page(app)
    await move(app, { advance: 0 })
    expect(await page(app)).toBe(before)
    await move(app, { advance: 3600 })
    expect(await page(app)).not.toBe(before)
  })

  it('gives byte-identical pages after one step of an hour, two of 30 minutes, or a set (path independence)', async () => {
    const one = mock().app
    const two = mock().app
    const set = mock().app
    await move(one, { advance: 3600 })
    await page(two)
    await move(two, { advance: 1800 })
    await page(two, `${BUSY}?page=3&per_page=7`)
    await move(two, { advance: '30m' })
    await move(set, { set: '2024-01-15T13:00:00Z' })
    for (const query of ['', '?page=2&per_page=100', '?page=40&per_page=25']) {
      const a = await page(one, BUSY + query)
      expect(await page(two, BUSY + query)).toBe(a)
      expect(await page(set, BUSY + query)).toBe(a)
    }
  })

  it('gives the same bytes after any random sequence of advances as after one set to the same instant', async () => {
    const rng = new Rng(1515)
    for (let run = 0; run < 6; run++) {
      const walked = mock().app
      let seconds = 0
      for (let step = 0, steps = 1 + rng.int(6); step < steps; step++) {
        const by = rng.int(rng.chance(0.5) ? 3_600 : 4 * 86_400)
        seconds += by
        // Seconds or the same duration in units, at random; a page read between steps warms caches.
        const advance = rng.chance(0.5) ? by : `${Math.floor(by / 3600)}h${Math.floor((by % 3600) / 60)}m${by % 60}s`
        expect((await move(walked, { advance })).status).toBe(200)
        if (rng.chance(0.5)) await page(walked, `${BUSY}?per_page=${1 + rng.int(100)}`)
      }
      const instant = new Date(Date.parse(T0) + seconds * 1000).toISOString().replace('.000Z', 'Z')
      const set = mock().app
      await move(set, { set: instant })
      for (const query of ['', `?per_page=100&page=${1 + rng.int(50)}`]) {
        const a = await page(walked, BUSY + query)
        expect(await page(set, BUSY + query)).toBe(a)
        expect(await page(mock().app, BUSY + query, { 'X-Mock-Now': instant })).toBe(a)
      }
    }
  })

  it('lets a polling consumer see the new failures after an hour, above the rows it has seen', async () => {
    const { app } = mock()
    const seen = await expectConforms(await get(app, `${BUSY}?per_page=100`), 'listWebhookLogs')
    const newestSeen = seen.data[0]
    await move(app, { advance: '1h' })
    const fresh: { id: string; status: string; created_at: string }[] = []
    for (let n = 1; ; n++) {
      const body = await expectConforms(await get(app, `${BUSY}?per_page=25&page=${n}`), 'listWebhookLogs')
      const stop = body.data.findIndex((r: { id: string }) => r.id === newestSeen.id)
      fresh.push(...(stop < 0 ? body.data : body.data.slice(0, stop)))
      if (stop >= 0 || n >= body.pagination.last_page) break
    }
    expect(fresh.length).toBeGreaterThan(0)
    for (const row of fresh) {
      expect(row.created_at > T0 && row.created_at <= '2024-01-15T13:00:00Z').toBe(true)
    }
    expect(fresh.some((r) => r.status === 'failed' || r.status === 'retrying')).toBe(true)
  })

  it('keeps the docs example rows and their timestamps, with newer rows above them', async () => {
    const { app } = mock({ seed: 1 })
    await move(app, { advance: '2d' })
    const body = await expectConforms(await get(app, `${DOCS_LOGS}?per_page=100`), 'listWebhookLogs')
    const pinned = body.data.findIndex((r: { id: string }) => r.id === 'log-uuid-1')
    expect(pinned).toBeGreaterThan(0)
    expect(body.data[pinned].created_at).toBe('2024-01-15T11:00:00Z')
    expect(body.data[pinned + 1].id).toBe('log-uuid-2')
    expect(body.data[0].created_at > '2024-01-15T12:00:00Z').toBe(true)
  })
})

describe('X-Mock-Now', () => {
  it('renders one request at that instant without moving any clock, and says so', async () => {
    const { app } = mock()
    const moved = mock().app
    await move(moved, { advance: 7200 })
    const res = await get(app, BUSY, { 'X-Mock-Now': '2024-01-15T15:00:00+01:00' })
    await expectConforms(res.clone(), 'listWebhookLogs')
    expect(res.headers.get('x-mock-now')).toBe('2024-01-15T14:00:00Z')
    expect(await res.text()).toBe(await page(moved))
    expect((await clockOf(app)).now).toBe(T0)
    expect((await get(app, BUSY)).headers.get('x-mock-now')).toBeNull()
  })

  it("may look behind the session's clock", async () => {
    const { app } = mock()
    const atAnchor = await page(app)
    await move(app, { advance: 3600 })
    expect(await page(app, BUSY, { 'X-Mock-Now': T0 })).toBe(atAnchor)
  })

  it('refuses an instant before the anchor, or a malformed one, with 422', async () => {
    const { app } = mock()
    for (const [value, message] of [
      [
        '2024-01-15T11:59:59Z',
        'Invalid X-Mock-Now header "2024-01-15T11:59:59Z": use an instant at or after the anchor 2024-01-15T12:00:00Z; the world has no rows before it.',
      ],
      ['yesterday', 'Invalid X-Mock-Now header "yesterday": use an ISO-8601 instant with a zone, at or after the anchor, like 2024-01-15T13:00:00Z.'],
      [
        '2024-02-30T00:00:00Z',
        'Invalid X-Mock-Now header "2024-02-30T00:00:00Z": use an ISO-8601 instant with a zone, at or after the anchor, like 2024-01-15T13:00:00Z.',
      ],
    ]) {
      const res = await get(app, BUSY, { 'X-Mock-Now': value })
      expect(res.status).toBe(422)
      expect(await expectConforms(res, 'listWebhookLogs')).toEqual({ success: false, message })
    }
  })
})

describe('what else reads the clock', () => {
  it('dates a retry and its new row at the clock, and settles it as soon as the clock moves past it', async () => {
    const { app } = mock({ seed: 1 })
    await move(app, { advance: 3600 })
    const res = await app.request(`${DOCS_LOGS}/log-uuid-2/retry`, { method: 'POST', headers: auth() })
    const queued = await expectConforms(res, 'retryWebhookLog')
    expect(queued.data.queued_at).toBe('2024-01-15T13:00:00Z')
    const rowOf = async () => {
      const body = await expectConforms(await get(app, `${DOCS_LOGS}?per_page=100`), 'listWebhookLogs')
      return body.data.find((r: { id: string }) => r.id === queued.data.log_id)
    }
    expect(await rowOf()).toMatchObject({ status: 'pending', created_at: '2024-01-15T13:00:00Z' })
    await move(app, { advance: 5 })
    expect(await rowOf()).toMatchObject({ status: 'success', created_at: '2024-01-15T13:00:00Z' })
  })

  it('merges retry rows into the list by created_at as newer rows appear above them', async () => {
    const { app } = mock({ seed: 1 })
    const res = await app.request(`${DOCS_LOGS}/log-uuid-2/retry`, { method: 'POST', headers: auth() })
    const { data } = await expectConforms(res, 'retryWebhookLog')
    await move(app, { advance: '3d' })
    const body = await expectConforms(await get(app, `${DOCS_LOGS}?per_page=100`), 'listWebhookLogs')
    const at = body.data.findIndex((r: { id: string }) => r.id === data.log_id)
    expect(at).toBeGreaterThan(0)
    const times = body.data.map((r: { created_at: string }) => r.created_at)
    expect([...times].sort().reverse()).toEqual(times)
  })

  it('dates a created webhook at the clock', async () => {
    const { app } = mock()
    await move(app, { set: '2024-02-01T00:00:00Z' })
    const res = await app.request('/api/v1/agents/agent-uuid/webhooks', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'New', webhook_url: 'https://example.com/new', events: ['event_phone_call_started'] }),
    })
    expect(res.status).toBe(201)
    expect((await res.json()).data).toMatchObject({ created_at: '2024-02-01T00:00:00.000000Z', updated_at: '2024-02-01T00:00:00.000000Z' })
  })
})

describe('--clock live', () => {
  it('runs the world at rate × real time: a minute per second at rate 60', async () => {
    const { app, tick } = mock({ clock: 'live', clockRate: 60 })
    const jumped = mock().app
    await move(jumped, { advance: 3600 })
    expect((await clockOf(app)).mode).toBe('live')
    tick(60_000)
    expect((await clockOf(app)).now).toBe('2024-01-15T13:00:00Z')
    expect(await page(app)).toBe(await page(jumped))
  })

  it("refuses a bad mode or rate with the CLI's sentence", () => {
    expect(() => createApp({ clock: 'fast' as 'live' })).toThrow('Invalid clock "fast": use frozen or live.')
    expect(() => createApp({ clockRate: 0 })).toThrow(/^Invalid clockRate "0": use a number above 0/)
  })
})
