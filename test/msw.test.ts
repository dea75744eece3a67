// talkover-mock/msw: a consumer's plain fetch to https://app.talkover.ai is answered by the mock,
// per-test sessions included, inside server.boundary too.
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createApp } from '../src/app.js'
import { talkoverHandlers } from '../src/msw.js'
import { mockClient } from '../src/testing.js'

const app = createApp({ seed: 42 })
let session: string | undefined
const server = setupServer(...talkoverHandlers({ app, session: () => session }))
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

const LOGS = 'https://app.talkover.ai/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs'
const auth = { Authorization: 'Bearer talq_msw' }

describe('talkoverHandlers', () => {
  it('answers a plain fetch to https://app.talkover.ai/api/* from createApp', async () => {
    const res = await fetch(`${LOGS}?per_page=3`, { headers: auth })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.data.map((row: { id: string }) => row.id)[0]).toBe('log-uuid-1')
    expect(body.pagination.per_page).toBe(3)
  })

  it('carries writes with their bodies', async () => {
    const res = await fetch('https://app.talkover.ai/api/v1/agents/agent-uuid/webhooks', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'MSW hook', webhook_url: 'https://example.com/hook', events: ['event_phone_call_ended'] }),
    })
    expect(res.status).toBe(201)
    expect((await res.json()).data.name).toBe('MSW hook')
  })

  it('puts each test in its own session, scripted and verified through mockClient(app)', async () => {
    session = 'msw-a'
    const mock = mockClient(app, { session })
    await mock.failNext(1, 503)
    expect((await fetch(LOGS, { headers: auth })).status).toBe(503)
    session = 'msw-b'
    expect((await fetch(LOGS, { headers: auth })).status).toBe(200)
    await mock.requests.expectCount({ path: '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs' }, 1)
    session = undefined
  })

  it('works inside server.boundary with handlers for another base URL prepended there', async () => {
    await server.boundary(async () => {
      server.use(...talkoverHandlers({ app, baseUrl: 'https://staging.example.com/talkover' }))
      const res = await fetch('https://staging.example.com/talkover/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs', { headers: auth })
      expect(res.status).toBe(200)
    })()
  })

  it("passes the client's abort through: a hung request the client gives up on ends in the journal as client_aborted", async () => {
    session = 'msw-abort'
    const mock = mockClient(app, { session })
    await mock.failNext(1, { fault: 'hang' })
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    await expect(fetch(LOGS, { headers: auth, signal: AbortSignal.timeout(200) })).rejects.toThrow()
    // The hang holds for --hang-ms (30 s) unless the app sees the abort.
    await vi.waitFor(async () => expect(await mock.requests.find()).toMatchObject([{ fault: { kind: 'hang' }, client_aborted: true }]), {
      timeout: 3000,
      interval: 50,
    })
    // The app's end of an aborted request is no handler failure MSW should report.
    expect(errors.mock.calls.flat().join(' ')).not.toMatch(/unhandled exception/i)
    errors.mockRestore()
    session = undefined
  })

  it('answers a scripted reset as a network error (fetch rejects), as over a socket, not as a 500', async () => {
    session = 'msw-reset'
    await mockClient(app, { session }).failNext(1, { fault: 'reset' })
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    await expect(fetch(LOGS, { headers: auth })).rejects.toThrow(TypeError)
    errors.mockRestore()
    expect((await fetch(LOGS, { headers: auth })).status).toBe(200)
    session = undefined
  })

  it('refuses a base URL that is not absolute with a sentence', () => {
    expect(() => talkoverHandlers({ app, baseUrl: 'app.talkover.ai' })).toThrow(
      'Invalid baseUrl "app.talkover.ai": use an absolute URL like https://app.talkover.ai.',
    )
  })
})
