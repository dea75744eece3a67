// Recipe: MSW intercepts the consumer's own calls to https://app.talkover.ai and talkover-mock
// answers them in-process: no port, no base URL to change. Each test gets its own session, and
// mockClient(app) scripts and verifies it.
import { createApp } from 'talkover-mock'
import { talkoverHandlers } from 'talkover-mock/msw'
import { mockClient } from 'talkover-mock/testing'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'

const app = createApp({ seed: 42 })
let session = ''
const server = setupServer(...talkoverHandlers({ app, session: () => session }))
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())
beforeEach((context) => {
  session = context.task.id
})

/** The code under test: the consumer's client, calling the real URL. */
async function failedDeliveries(): Promise<number> {
  const res = await fetch('https://app.talkover.ai/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?status=failed', {
    headers: { Authorization: 'Bearer talq_msw_example' },
  })
  if (!res.ok) throw new Error(`Talkover answered ${res.status}`)
  return (await res.json()).pagination.total
}

it('reads the failed deliveries from the mock', async () => {
  expect(await failedDeliveries()).toBeGreaterThan(0)
})

it('surfaces a 503 the test scripted, and the mock saw one call', async () => {
  const mock = mockClient(app, { session })
  await mock.failNext(1, 503)
  await expect(failedDeliveries()).rejects.toThrow('Talkover answered 503')
  await mock.requests.expectCount({ path: '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs', status: 503 }, 1)
})
