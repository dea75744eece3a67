// Recipe: talkover-mock in-process with createApp — no port, no server, nothing to clean up — and
// X-Mock-Seed per test, so every test has its own data and none depends on another or on run order.
import { createApp } from 'talkover-mock'
import { describe, expect, it } from 'vitest'
import { mockSession } from './mock-session.js'
import { listAllLogs, talkoverClient } from './talkover-client.js'

const app = createApp() // one app for the file: building it reads the spec once
const inProcess = (request: Request) => Promise.resolve(app.fetch(request))
const LOGS = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs'

/** GET the logs as test `seed` sees them. */
function logsFor(seed: number, query = ''): Promise<Response> {
  return Promise.resolve(app.request(`${LOGS}${query}`, { headers: { Authorization: 'Bearer talq_in_process', 'X-Mock-Seed': String(seed) } }))
}

describe('talkover-mock in-process', () => {
  it('gives each test its own history through X-Mock-Seed', async () => {
    const [a, b] = await Promise.all([logsFor(101), logsFor(102)])
    expect(a.headers.get('x-mock-seed')).toBe('101')
    expect(b.headers.get('x-mock-seed')).toBe('102')
    const [pageA, pageB] = [await a.json(), await b.json()]
    expect(pageA.data.length).toBeGreaterThan(0)
    expect(pageA.data).not.toEqual(pageB.data)
  })

  it('answers a seed with the same bytes whatever other tests requested before', async () => {
    const before = await (await logsFor(7, '?page=2&per_page=10')).text()
    await Promise.all([logsFor(8), logsFor(7), logsFor(7, '?page=3&per_page=10')])
    expect(await (await logsFor(7, '?page=2&per_page=10')).text()).toBe(before)
  })

  it('serves a fetch-based client with no socket through app.fetch', async () => {
    const client = talkoverClient('http://talkover.test', 'talq_in_process', inProcess)
    const logs = await listAllLogs(client, 'agent-uuid', 'webhook-uuid', { perPage: 10 })
    const direct = await (await logsFor(1, '?per_page=100')).json() // seed 1 is createApp()'s default
    expect(logs).toHaveLength(direct.pagination.total)
    expect(logs.slice(0, 100)).toEqual(direct.data)
  })

  it('scripts failures per session in-process too: a 503 then a 429, retried with no waiting', async () => {
    const session = mockSession('http://talkover.test', 'in-process-retries', { fetch: inProcess })
    await session.failNext({ count: 1, status: 503 }, { count: 1, status: 429 })
    const client = talkoverClient('http://talkover.test', 'talq_in_process', inProcess)
    client.use(session.middleware)
    const waits: number[] = []
    const logs = await listAllLogs(client, 'agent-uuid', 'webhook-uuid', { sleep: async (ms) => void waits.push(ms) })
    expect(waits).toEqual([1000, 1000]) // both carry Retry-After: 1 (--retry-after's default)
    const pages = Math.ceil(logs.length / 100)
    expect(pages).toBeGreaterThan(1)
    expect((await session.requests()).map((r) => r.status)).toEqual([503, 429, ...Array(pages).fill(200)])
  })
})
