// talkover-mock/msw in a file that also runs a real mock server (useTalkoverMock, startServer):
// the server never changes the test process's globals, so MSW still tells a network error from
// an answer and a scripted reset rejects fetch as documented.
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest'
import { createApp } from '../src/app.js'
import { talkoverHandlers } from '../src/msw.js'
import { startServer } from '../src/server.js'
import { mockClient, useTalkoverMock } from '../src/testing.js'

const mock = useTalkoverMock({ seed: 42, hooks: { beforeAll, afterAll, beforeEach } })
const app = createApp({ seed: 42 })
const server = setupServer(...talkoverHandlers({ app, session: () => 'msw-with-server' }))
beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }))
afterAll(() => server.close())

const LOGS = 'https://app.talkover.ai/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs'

it('leaves the global Request and Response as they were while a mock server runs and after it closes', async () => {
  const before = { Request: globalThis.Request, Response: globalThis.Response }
  const other = await startServer({ port: 0 })
  expect((await fetch(`${other.url}/__mock/health`)).status).toBe(200)
  expect(globalThis.Request).toBe(before.Request)
  expect(globalThis.Response).toBe(before.Response)
  await other.close()
  expect(globalThis.Response).toBe(before.Response)
  expect((await fetch(`${mock.url}/__mock/health`)).status).toBe(200)
})

it('rejects fetch on a scripted reset through MSW beside useTalkoverMock', async () => {
  await mockClient(app, { session: 'msw-with-server' }).failNext(1, { fault: 'reset' })
  const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
  await expect(fetch(LOGS, { headers: { Authorization: 'Bearer talq_msw' } })).rejects.toThrow(TypeError)
  errors.mockRestore()
})
