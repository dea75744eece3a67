// The admin API under /__mock: config, reset, journal, sessions and the admin token.
import { describe, expect, it } from 'vitest'
import { createApp, type AppOptions } from '../../src/app.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, auth, get } from '../support/http.js'

const RETRY = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs/log-uuid-2/retry'

/** An app on fake time: the clock stands still except when the injected sleep moves it. */
function mock(options: AppOptions = {}) {
  let now = Date.UTC(2024, 0, 15, 12)
  return createApp({ ...options, faults: { sleep: async (ms) => void (now += ms), clock: () => now, ...options.faults } })
}

const patch = (app: ReturnType<typeof createApp>, body: unknown, query = '', headers: Record<string, string> = {}) =>
  Promise.resolve(
    app.request(`/__mock/config${query}`, {
      method: 'PATCH',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    }),
  )

const config = async (app: ReturnType<typeof createApp>, query = '') =>
  (await expectConforms(await app.request(`/__mock/config${query}`), 'getMockConfig')).data
const journal = async (app: ReturnType<typeof createApp>, query = '') =>
  (await expectConforms(await app.request(`/__mock/requests${query}`), 'listMockRequests')).data

async function statuses(app: ReturnType<typeof createApp>, n: number, headers: Record<string, string> = {}, url = DOCS_LOGS) {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push((await get(app, url, headers)).status)
  return out
}

describe('GET and PATCH /__mock/config', () => {
  it('shows the start-up config', async () => {
    const app = mock({ seed: 42, faults: { latency: '50-300', errorRate: 0.1, failEvery: 4 }, journalSize: 50 })
    expect(await config(app)).toEqual({
      seed: 42,
      now: '2024-01-15T12:00:00Z',
      clock: { now: '2024-01-15T12:00:00Z', anchor: '2024-01-15T12:00:00Z', mode: 'frozen', rate: 1 },
      latency: '50-300',
      error_rate: 0.1,
      error_status: 500,
      fault: null,
      fault_rate: 1,
      fail_every: { n: 4 },
      fail_next: [],
      retry_after: 1,
      hang_ms: 30000,
      journal_size: 50,
      session: null,
    })
  })

  it('changes what the next requests get, and answers with the new config', async () => {
    const app = mock()
    const res = await patch(app, { error_rate: 1, error_status: 503, retry_after: 9 })
    expect((await expectConforms(res, 'updateMockConfig')).data).toMatchObject({ error_rate: 1, error_status: 503, retry_after: 9 })
    const failed = await get(app, DOCS_LOGS)
    expect(failed.status).toBe(503)
    expect(failed.headers.get('retry-after')).toBe('9')
    await patch(app, { error_rate: 0 })
    expect((await get(app, DOCS_LOGS)).status).toBe(200)
  })

  it('fails twice, then succeeds', async () => {
    const app = mock()
    await patch(app, { fail_next: { count: 2, status: 503 } })
    expect(await statuses(app, 4)).toEqual([503, 503, 200, 200])
  })

  it('scopes fail_next to one operation or one webhook', async () => {
    const app = mock()
    await patch(app, {
      fail_next: [
        { count: 1, route: 'retryWebhookLog' },
        { count: 1, webhook: 'other-hook', fault: 'reset' },
      ],
    })
    expect((await get(app, DOCS_LOGS)).status).toBe(200)
    const retried = await app.request(RETRY, { method: 'POST', headers: auth() })
    expect(retried.status).toBe(500)
    expect(retried.headers.get('x-mock-injected')).toBe('fail_next; k=2')
    expect((await app.request(RETRY, { method: 'POST', headers: auth() })).headers.get('x-mock-injected')).toBeNull()
    await expect(get(app, '/api/v1/agents/agent-uuid/webhooks/other-hook/logs')).rejects.toThrow('fetch failed')
    expect((await config(app)).fail_next).toEqual([])
  })

  it('sets the world seed and anchor while serving', async () => {
    const app = mock({ seed: 1 })
    const before = await (await get(app, DOCS_LOGS)).text()
    await patch(app, { seed: 99, now: '2025-06-01T00:00:00Z' })
    const res = await get(app, DOCS_LOGS)
    expect(res.headers.get('x-mock-seed')).toBe('99')
    expect(await res.text()).not.toBe(before)
    expect(await config(app)).toMatchObject({ seed: 99, now: '2025-06-01T00:00:00Z' })
  })

  it.each([
    [{ error_rate: 2 }, 'Invalid error_rate 2: use a number from 0 to 1, like 0.1.'],
    [{ error_status: 404 }, 'Invalid error_status 404: use 429, 500, 502, 503 or 504.'],
    [
      { errorRate: 0.1 },
      'Unknown setting "errorRate": use latency, error_rate, error_status, fault, fault_rate, fail_next, fail_every, retry_after, hang_ms, seed, now.',
    ],
    [
      { latency: 'soon' },
      'Invalid latency "soon": use milliseconds like 250, a range like "50-300", percentiles like "p50=80,p95=250,p99=600", or null for none.',
    ],
    [{ latency: true }, 'Invalid latency true: use milliseconds like 250, a range like "50-300", percentiles like "p50=80,p95=250,p99=600", or null for none.'],
    [{ fault: 'explode' }, 'Invalid fault "explode": use "reset", "hang", "truncate" or null.'],
    [
      { fail_next: { count: 2, status: 404 } },
      'Invalid fail_next {"count":2,"status":404}: use a count like 2, a script like {"count":2,"status":503,"route":"listWebhookLogs","webhook":"webhook-uuid"} (status 429, 500, 502, 503 or 504, or a fault reset, hang or truncate, not both), or a list of scripts.',
    ],
    [{ fail_next: { count: 1, status: 503, fault: 'reset' } }, /^Invalid fail_next \{"count":1,"status":503,"fault":"reset"\}: use a count like 2/],
    [
      { fail_next: { count: 1, route: 'deleteEverything' } },
      /^Invalid fail_next route "deleteEverything": use an operationId from openapi\.yaml, one of listWebhookLogs, retryWebhookLog, listAgentWebhooks, .*, retryCampaignWebhookLog\.$/,
    ],
    [{ fail_every: -1 }, 'Invalid fail_every -1: use a number like 3 (every third request fails), {"n":3,"status":503}, or null for never.'],
    [{ now: 'yesterday' }, 'Invalid now "yesterday": use an ISO-8601 time with a zone like 2024-01-15T12:00:00Z, or "wall" for the time at start.'],
    [{ seed: 1.5 }, 'Invalid seed 1.5: use a whole number from 0 to 4294967295, like 42.'],
    [[1, 2], 'The body must be a JSON object like {"error_rate":0.1}.'],
    ['{"error_rate":', /^The body is not JSON \(.+\); send a JSON object like \{"error_rate":0\.1\}\.$/],
  ])('answers %j with 400 and one sentence, changing nothing', async (body, message) => {
    const app = mock()
    const before = await config(app)
    const res = await patch(app, body)
    expect(res.status).toBe(400)
    const { message: got } = await expectConforms(res, 'updateMockConfig')
    if (typeof message === 'string') expect(got).toBe(message)
    else expect(got).toMatch(message)
    expect(await config(app)).toEqual(before)
  })

  it('applies a patch all or nothing', async () => {
    const app = mock()
    expect((await patch(app, { error_rate: 1, latency: 'soon' })).status).toBe(400)
    expect((await config(app)).error_rate).toBe(0)
  })

  it('takes "wall" for now from the injected clock', async () => {
    const app = createApp({ faults: { clock: () => Date.UTC(2030, 4, 6, 7, 8, 9) } })
    await patch(app, { now: 'wall' })
    expect((await config(app)).now).toBe('2030-05-06T07:08:09Z')
  })
})

describe('sessions', () => {
  it('gives each X-Mock-Session its own script and counters', async () => {
    const app = mock()
    await patch(app, { fail_next: 2 }, '?session=retry-test')
    const a = { 'X-Mock-Session': 'retry-test' }
    const b = { 'X-Mock-Session': 'other-test' }
    expect((await get(app, DOCS_LOGS, b)).status).toBe(200)
    expect((await get(app, DOCS_LOGS)).status).toBe(200)
    expect(await statuses(app, 3, a)).toEqual([500, 500, 200])
    expect((await config(app, '?session=retry-test')).session).toEqual({ id: 'retry-test', requests: 3 })
    expect((await config(app, '?session=other-test')).session).toEqual({ id: 'other-test', requests: 1 })
  })

  it('lets a session override the global config without touching others', async () => {
    const app = mock()
    await patch(app, { error_rate: 1, error_status: 502 }, '?session=flaky')
    expect(await statuses(app, 2, { 'X-Mock-Session': 'flaky' })).toEqual([502, 502])
    expect(await statuses(app, 2, { 'X-Mock-Session': 'calm' })).toEqual([200, 200])
    expect((await config(app)).error_rate).toBe(0)
  })

  it('inherits global changes it does not override', async () => {
    const app = mock()
    await patch(app, { error_status: 504 })
    await patch(app, { error_rate: 1 }, '?session=s')
    expect(await statuses(app, 1, { 'X-Mock-Session': 's' })).toEqual([504])
  })

  it('replays the same schedule per session id, independent of other traffic', async () => {
    const one = mock({ faults: { errorRate: 0.5 } })
    const two = mock({ faults: { errorRate: 0.5 } })
    await statuses(two, 7)
    await statuses(two, 3, { 'X-Mock-Session': 'noise' })
    expect(await statuses(two, 30, { 'X-Mock-Session': 'mine' })).toEqual(await statuses(one, 30, { 'X-Mock-Session': 'mine' }))
  })

  it('refuses seed and now for one session', async () => {
    const res = await patch(mock(), { seed: 5 }, '?session=x')
    expect(res.status).toBe(400)
    expect((await res.json()).message).toBe('seed and now belong to the whole mock: PATCH them without ?session=.')
  })

  it('validates the session query parameter', async () => {
    const res = await mock().request('/__mock/config?session=bad%20id')
    expect(res.status).toBe(422)
    await expectConforms(res, 'getMockConfig')
  })
})

describe('POST /__mock/reset', () => {
  it('goes back to the start-up config and clears counters, scripts, sessions and journal', async () => {
    const app = mock({ seed: 3, faults: { errorRate: 0.2 } })
    const startup = await config(app)
    await patch(app, { error_rate: 1, seed: 8, fail_next: 3, latency: 100 })
    await patch(app, { fail_next: 1 }, '?session=s')
    await statuses(app, 2)
    const res = await app.request('/__mock/reset', { method: 'POST' })
    expect(await expectConforms(res, 'resetMock')).toEqual({ success: true, message: 'talkover-mock is back to its start-up state.' })
    expect(await config(app)).toEqual(startup)
    expect((await config(app, '?session=s')).fail_next).toEqual([])
    expect(await journal(app)).toEqual([])
    const first = await get(app, DOCS_LOGS, { 'X-Mock-Status': '503' })
    expect(first.headers.get('x-mock-injected')).toBe('header; k=1')
  })

  it('resets one session only', async () => {
    const app = mock()
    await patch(app, { fail_next: 5 }, '?session=a')
    await patch(app, { fail_next: 5 }, '?session=b')
    await statuses(app, 1, { 'X-Mock-Session': 'a' })
    await statuses(app, 1, { 'X-Mock-Session': 'b' })
    const res = await app.request('/__mock/reset?session=a', { method: 'POST' })
    expect((await res.json()).message).toBe('Session a was reset.')
    expect((await config(app, '?session=a')).session).toEqual({ id: 'a', requests: 0 })
    expect((await config(app, '?session=b')).fail_next).toEqual([{ count: 4 }])
    expect((await journal(app)).map((e: { session: string }) => e.session)).toEqual(['b'])
  })
})

describe('GET /__mock/requests', () => {
  it('lists recent API requests newest first, with what was injected', async () => {
    const app = mock({ faults: { latency: 40 } })
    await get(app, `${DOCS_LOGS}?per_page=5`)
    await get(app, DOCS_LOGS, { 'X-Mock-Status': '429', 'X-Mock-Session': 's1' })
    await app.request('/openapi.json')
    await app.request('/__mock/config')
    const entries = await journal(app)
    expect(entries.map((e: { path: string }) => e.path)).toEqual(['/openapi.json', DOCS_LOGS, DOCS_LOGS])
    expect(entries[1]).toEqual({
      seq: 2,
      time: '2024-01-15T12:00:00.040Z',
      method: 'GET',
      path: DOCS_LOGS,
      query: '',
      headers: { authorization: '[redacted]', 'x-mock-status': '429', 'x-mock-session': 's1' },
      status: 429,
      duration_ms: 40,
      session: 's1',
      k: 1,
      latency_ms: 40,
      fault: { kind: 'status', status: 429, via: 'header' },
      // Issue 27: what the mock answered, for the dashboard's request details.
      answer: {
        headers: expect.objectContaining({ 'content-type': 'application/json', 'retry-after': '1', 'x-mock-injected': 'header; k=1' }),
        body: '{"success":false,"message":"Too Many Attempts."}',
      },
    })
    expect(entries[2]).toMatchObject({ seq: 1, query: 'per_page=5', status: 200, k: 1 })
    expect(entries[2].fault).toBeUndefined()
  })

  it('stays within --journal-size', async () => {
    const app = mock({ journalSize: 5 })
    await statuses(app, 8)
    const entries = await journal(app)
    expect(entries.map((e: { seq: number }) => e.seq)).toEqual([8, 7, 6, 5, 4])
  })

  it('filters by session and limits', async () => {
    const app = mock()
    await statuses(app, 3, { 'X-Mock-Session': 'x' })
    await statuses(app, 2)
    expect((await journal(app, '?session=x')).map((e: { k: number }) => e.k)).toEqual([3, 2, 1])
    expect(await journal(app, '?limit=1')).toHaveLength(1)
  })
})

describe('--admin-token', () => {
  it('requires the secret on admin calls but not on health and ready', async () => {
    const app = mock({ adminToken: 's3cret-admin' })
    for (const headers of [{}, { Authorization: 'Bearer wrong' }, { Authorization: 'Bearer s3cret-admin-and-more' }]) {
      const res = await app.request('/__mock/config', { headers })
      expect(res.status).toBe(401)
      expect(await expectConforms(res, 'getMockConfig')).toEqual({
        success: false,
        message: 'This mock requires the admin token: send Authorization: Bearer <the --admin-token secret>.',
      })
    }
    expect((await app.request('/__mock/config', { headers: { Authorization: 'Bearer s3cret-admin' } })).status).toBe(200)
    expect((await patch(app, { error_rate: 1 })).status).toBe(401)
    expect((await app.request('/__mock/reset', { method: 'POST' })).status).toBe(401)
    expect((await app.request('/__mock/requests')).status).toBe(401)
    expect((await app.request('/__mock/health')).status).toBe(200)
    expect((await app.request('/__mock/ready')).status).toBe(200)
  })

  it('leaves the API to its own bearer token', async () => {
    const app = mock({ adminToken: 's3cret-admin' })
    expect((await get(app, DOCS_LOGS)).status).toBe(200)
  })

  it('is open by default', async () => {
    expect((await mock().request('/__mock/requests')).status).toBe(200)
  })
})
