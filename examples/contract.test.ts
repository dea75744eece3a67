// Recipe: contract tests of your own Talkover client against a real talkover-mock server.
// Locally it starts the mock on a free port; in CI it can use a service container instead
// (TALKOVER_BASE_URL / TALKOVER_TOKEN, see github-actions.yml).
import { startServer, type RunningServer } from 'talkover-mock'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listAllLogs, talkoverClient, TalkoverError, type TalkoverClient } from './talkover-client.js'

const AGENT = 'agent-uuid'
const WEBHOOK = 'webhook-uuid'
const noWait = async () => {}

let server: RunningServer | undefined
let client: TalkoverClient
let baseUrl: string

beforeAll(async () => {
  baseUrl = process.env.TALKOVER_BASE_URL ?? (server = await startServer({ seed: 42 })).url
  client = talkoverClient(baseUrl, process.env.TALKOVER_TOKEN ?? 'talq_contract_tests')
})
afterAll(() => server?.close())

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

  // These steps need talkover-mock's fault controls and retry endpoint (issue 5 and the retry
  // work); they are written against listAllLogs/retryLog once those land.
  it.todo('retries 429 and 500 answers, honouring Retry-After, and still reads every log once')
  it.todo('retries a failed delivery and finds the new log row on the first page')
})
