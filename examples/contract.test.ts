// Recipe: contract tests of your own Talkover client against a real talkover-mock server.
// Locally it starts the mock on a free port; in CI it can use a service container instead
// (TALKOVER_BASE_URL / TALKOVER_TOKEN, see github-actions.yml). Tests that script failures or retry
// logs each use their own mock session (mock-session.ts), so they can run in parallel and re-run
// against a long-lived mock.
import { startServer, type RunningServer } from 'talkover-mock'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mockSession } from './mock-session.js'
import { listAllLogs, retryLog, talkoverClient, TalkoverError, type TalkoverClient } from './talkover-client.js'

const AGENT = 'agent-uuid'
const WEBHOOK = 'webhook-uuid'
const noWait = async () => {}

let server: RunningServer | undefined
let client: TalkoverClient
let baseUrl: string
let token: string

beforeAll(async () => {
  // A retried log settles after 200 ms instead of 2 s (TALKOVER_MOCK_RETRY_SETTLE_MS in CI).
  baseUrl = process.env.TALKOVER_BASE_URL ?? (server = await startServer({ seed: 42, retrySettleMs: 200 })).url
  token = process.env.TALKOVER_TOKEN ?? 'talq_contract_tests'
  client = talkoverClient(baseUrl, token)
})
afterAll(() => server?.close())

/** Our client, its requests counted, scripted and journaled as mock session `name` (reset first). */
async function clientInSession(name: string) {
  const session = mockSession(baseUrl, `contract-${name}`)
  await session.reset()
  const sessionClient = talkoverClient(baseUrl, token)
  sessionClient.use(session.middleware)
  return { session, client: sessionClient }
}

const firstPage = async (c: TalkoverClient) =>
  (await c.GET('/api/v1/agents/{agent_id}/webhooks/{webhook_id}/logs', { params: { path: { agent_id: AGENT, webhook_id: WEBHOOK } } })).data!

describe('our Talkover client against talkover-mock', () => {
  it('pages through every log of a webhook exactly once, newest first', async () => {
    const first = await client.GET('/api/v1/agents/{agent_id}/webhooks/{webhook_id}/logs', {
      params: { path: { agent_id: AGENT, webhook_id: WEBHOOK }, query: { per_page: 1 } },
    })
    const total = first.data!.pagination.total
    expect(total).toBeGreaterThan(25) // several pages at per_page 25, or this test proves little

    const logs = await listAllLogs(client, AGENT, WEBHOOK, { perPage: 25, sleep: noWait })

    expect(logs).toHaveLength(total)
    expect(new Set(logs.map((log) => log.id)).size).toBe(total)
    const created = logs.map((log) => log.created_at)
    expect(created).toEqual([...created].sort().reverse())
    expect(logs.every((log) => log.webhook_id === WEBHOOK)).toBe(true)
  })

  it('reads the same history whatever page size it uses', async () => {
    const small = await listAllLogs(client, AGENT, WEBHOOK, { perPage: 7, sleep: noWait })
    const large = await listAllLogs(client, AGENT, WEBHOOK, { perPage: 100, sleep: noWait })
    expect(small).toEqual(large)
  })

  it('gives up at once on a rejected token instead of retrying', async () => {
    const stranger = talkoverClient(baseUrl, 'not-a-talkover-token')
    let tries = 0
    const error = await listAllLogs(stranger, AGENT, WEBHOOK, { sleep: async () => void tries++ }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TalkoverError)
    expect(error).toMatchObject({ status: 401, body: { success: false, message: 'Invalid token' } })
    expect(tries).toBe(0)
  })

  it('retries 429 and 500 answers, honouring Retry-After, and still reads every log once', async () => {
    const { session, client: flaky } = await clientInSession('retries-429-500')
    await session.configure({ retry_after: 2 })
    await session.failNext({ count: 1, status: 429 }, { count: 1, status: 500 })
    const waits: number[] = []

    const logs = await listAllLogs(flaky, AGENT, WEBHOOK, { perPage: 100, sleep: async (ms) => void waits.push(ms) })

    expect(waits).toEqual([2000, 200]) // Retry-After: 2 on the 429; our own backoff after the 500
    expect(logs).toEqual(await listAllLogs(client, AGENT, WEBHOOK, { perPage: 100, sleep: noWait }))
    const pages = Math.ceil(logs.length / 100)
    const seen = (await session.requests()).map((r) => [r.query, r.status])
    expect(seen).toEqual([
      ['page=1&per_page=100', 429],
      ['page=1&per_page=100', 500],
      ...Array.from({ length: pages }, (_, i) => [`page=${i + 1}&per_page=100`, 200]),
    ])
  })

  it('gives up after four tries when every answer is a 503', async () => {
    const { session, client: down } = await clientInSession('gives-up-503')
    await session.failNext({ count: 10, status: 503 })
    let waits = 0

    const error = await listAllLogs(down, AGENT, WEBHOOK, { sleep: async () => void waits++ }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(TalkoverError)
    expect(error).toMatchObject({ status: 503, body: { success: false, message: 'Service Unavailable' } })
    expect(waits).toBe(3)
    expect((await session.requests()).map((r) => r.status)).toEqual([503, 503, 503, 503])
  })

  it('retries a failed delivery and finds the new pending row on top of the first page', async () => {
    const { client: ours } = await clientInSession('redeliver')
    const failed = (await listAllLogs(ours, AGENT, WEBHOOK, { sleep: noWait })).find((log) => log.status === 'failed')
    expect(failed, 'the history has a failed delivery to retry').toBeDefined()
    const before = await firstPage(ours)

    const queued = await retryLog(ours, AGENT, WEBHOOK, failed!.id, { sleep: noWait })

    expect(queued.original_log_id).toBe(failed!.id)
    const after = await firstPage(ours)
    expect(after.pagination.total).toBe(before.pagination.total + 1)
    expect(after.data[0]).toMatchObject({
      id: queued.log_id,
      webhook_id: WEBHOOK,
      event: failed!.event,
      attempt: failed!.attempt + 1, // a failed row is the last attempt of its delivery
      status: 'pending',
      created_at: queued.queued_at,
    })
    expect(after.data[0].request_payload).toBeTypeOf('object')
    expect(after.data.slice(1)).toEqual(before.data.slice(0, -1)) // every other row moved down one
    // Other sessions (and clients without one) do not see this session's retry.
    expect((await firstPage(client)).pagination.total).toBe(before.pagination.total)

    // The redelivery settles like a real one: the row keeps its id and ends success or failed.
    await expect.poll(async () => (await firstPage(ours)).data[0].status, { interval: 50, timeout: 10_000 }).not.toBe('pending')
    const settled = (await firstPage(ours)).data[0]
    expect(settled).toMatchObject({ id: queued.log_id, attempt: failed!.attempt + 1 })
    expect(['success', 'failed']).toContain(settled.status)
  })
})
