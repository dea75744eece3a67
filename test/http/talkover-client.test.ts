// talkoverClient: the typed Talkover client shipped in the package, in-process and over a URL.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import { createApp, startServer, talkoverClient, type RunningServer, type WebhookLog } from '../../src/index.js'

let server: RunningServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const LOGS = '/api/v1/agents/{agent_id}/webhooks/{webhook_id}/logs'
const params = { path: { agent_id: 'agent-uuid', webhook_id: 'webhook-uuid' }, query: { per_page: 5 } }

describe('talkoverClient', () => {
  it('reads the docs page over a URL with attempt typed as a number', async () => {
    const talkover = talkoverClient(server.url, { token: 'talq_typed' })
    const { data, response } = await talkover.GET(LOGS, { params })
    expect(response.status).toBe(200)
    const attempt = data!.data[0].attempt
    expectTypeOf(attempt).toEqualTypeOf<number>()
    expectTypeOf(data!.data[0]).toEqualTypeOf<WebhookLog>()
    expect(attempt).toBeTypeOf('number')
    expect(data!.data).toHaveLength(5)
  })

  it('works in-process through app.fetch and types the error body', async () => {
    const app = createApp()
    const talkover = talkoverClient('http://talkover.test', { fetch: (request) => Promise.resolve(app.fetch(request)) })
    const { error, response } = await talkover.GET(LOGS, { params })
    expect(response.status).toBe(401)
    expect(error).toEqual({ message: 'Missing Bearer Token' })
  })
})
