// Recipe: talkover-mock/testing in a vitest file. useTalkoverMock starts one mock for the file (a
// real server on a free port) and gives every test its own session; mock.client scripts faults,
// moves the clock and verifies what the code under test sent. Here the code under test is a tiny
// consumer that retries once on 5xx.
import { MockAssertionError, useTalkoverMock } from 'talkover-mock/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

const mock = useTalkoverMock({ seed: 42, hooks: { beforeAll, afterAll, beforeEach } })
const LOGS = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs'

/** The code under test: fetches the newest logs, retrying once on a 5xx. */
async function newestLogs(fetchLogs: (path: string, init: RequestInit) => Promise<Response>) {
  const init = { headers: { Authorization: 'Bearer talq_example' } }
  let res = await fetchLogs(`${LOGS}?per_page=5`, init)
  if (res.status >= 500) res = await fetchLogs(`${LOGS}?per_page=5`, init)
  return { status: res.status, body: await res.json() }
}

describe('a consumer that retries once', () => {
  it('gets its page after one 503, having asked exactly twice', async () => {
    await mock.client.failNext(1, 503)
    const { status, body } = await newestLogs(mock.fetch)
    expect(status).toBe(200)
    expect(body.data).toHaveLength(5)
    await mock.client.requests.expectCount({ method: 'GET', path: LOGS }, 2)
  })

  it('gives up after two 503s, and the journal says so', async () => {
    await mock.client.failNext(2, 503)
    expect((await newestLogs(mock.fetch)).status).toBe(503)
    await mock.client.requests.expectCount({ path: LOGS, status: 503 }, 2)
  })

  it('sees the history a day later once the clock moves (this session only)', async () => {
    const before = (await newestLogs(mock.fetch)).body.pagination.total
    expect((await mock.client.clock.advance('1d')).now).toBe('2024-01-16T12:00:00Z')
    expect((await newestLogs(mock.fetch)).body.pagination.total).not.toBe(before)
  })

  it('fails a wrong count with a message naming the closest request', async () => {
    await newestLogs(mock.fetch)
    const error = await mock.client.requests.expectCount({ method: 'POST', path: LOGS }, 1).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MockAssertionError)
    expect((error as Error).message).toMatch(/Closest requests in the journal:\n {2}#\d+ GET \S+\/logs\?per_page=5 → 200/)
    expect((error as Error).message).toContain('method: wanted POST, was GET')
  })
})

// Tests that run at once take their own session from their context: mock.for(context).
describe.concurrent('consumers running at once', () => {
  for (const status of [502, 503]) {
    it(`each sees only the ${status} it scripted`, async (context) => {
      const { client, fetch } = mock.for(context)
      await client.failNext(1, status)
      expect((await newestLogs(fetch)).status).toBe(200)
      await client.requests.expectCount({ status }, 1)
      await client.requests.expectCount({}, 2)
    })
  }
})
