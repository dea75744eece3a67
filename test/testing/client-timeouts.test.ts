// mockClient never waits forever: every call has a timeout (the client's, or the call's own) and
// takes an AbortSignal; deliveries.waitFor's timeout bounds the whole wait, requests in flight included.
import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MockAssertionError, MockClientError, mockClient } from '../../src/testing.js'

// A mock that accepts connections and never answers: a wedged container, a paused process.
let silent: Server
let url: string
const sockets = new Set<Socket>()
beforeAll(async () => {
  silent = createServer((socket) => sockets.add(socket)).listen(0, '127.0.0.1')
  await new Promise((done) => silent.on('listening', done))
  url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`
})
afterAll(() => {
  for (const socket of sockets) socket.destroy()
  silent.close()
})

const elapsed = async (call: () => Promise<unknown>) => {
  const start = Date.now()
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  )
  return { error: error as Error, ms: Date.now() - start }
}

describe('mockClient against a URL that never answers', () => {
  it('rejects deliveries.waitFor({ timeout: 300 }) after about 300 ms, naming what did not answer', async () => {
    const { error, ms } = await elapsed(() => mockClient(url).deliveries.waitFor({ webhook: 'local', attempt: 1 }, { timeout: 300 }))
    expect(ms).toBeLessThan(2000)
    expect(error).toBeInstanceOf(MockAssertionError)
    expect(error.message).toContain('No delivery matched {"webhook":"local","attempt":1} within 300 ms')
    expect(error.message).toContain(`${url}/__mock/deliveries`)
  })

  it("rejects any call after the client's timeout with a sentence saying the URL and how to raise it", async () => {
    const { error, ms } = await elapsed(() => mockClient(url, { timeout: 200 }).config())
    expect(ms).toBeLessThan(2000)
    expect(error).toBeInstanceOf(MockClientError)
    expect(error.message).toBe(
      `talkover-mock did not answer GET ${url}/__mock/config within 200 ms: is the mock running, and is ${url} the mock? Raise the limit with mockClient(url, { timeout }) or the call's { timeout }.`,
    )
  })

  it("lets one call override the client's timeout", async () => {
    const { error, ms } = await elapsed(() => mockClient(url, { timeout: 60_000 }).requests.count({}, { timeout: 150 }))
    expect(ms).toBeLessThan(2000)
    expect(error.message).toContain('within 150 ms')
  })

  it('stops a call when its AbortSignal aborts, and says so', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const { error, ms } = await elapsed(() => mockClient(url).failNext(1, 503, { signal: controller.signal }))
    expect(ms).toBeLessThan(2000)
    expect(error).toBeInstanceOf(MockClientError)
    expect(error.message).toMatch(new RegExp(`^talkover-mock: PATCH ${url}/__mock/config was aborted`))
  })

  it('stops deliveries.waitFor when the signal given to it aborts, before its timeout', async () => {
    const { error, ms } = await elapsed(() => mockClient(url).deliveries.waitFor({ webhook: 'x' }, { timeout: 60_000, signal: AbortSignal.timeout(150) }))
    expect(ms).toBeLessThan(2000)
    expect(error).toBeInstanceOf(MockClientError)
    expect(error.message).toContain('was aborted')
  })

  it('applies the timeout to the client fetch as well, unless the request brings its own signal', async () => {
    const { error } = await elapsed(() => mockClient(url, { timeout: 150 }).fetch('/api/v1/agents/a/webhooks/w/logs'))
    expect(error.message).toContain(`did not answer GET ${url}/api/v1/agents/a/webhooks/w/logs within 150 ms`)
  })
})

describe('mockClient against an in-process app that never answers', () => {
  it("rejects after the client's timeout too", async () => {
    const app = { request: () => new Promise<Response>(() => {}) }
    const { error, ms } = await elapsed(() => mockClient(app, { timeout: 150 }).reset())
    expect(ms).toBeLessThan(2000)
    expect(error.message).toBe(
      "talkover-mock did not answer POST /__mock/reset within 150 ms: the in-process app never answered. Raise the limit with mockClient(app, { timeout }) or the call's { timeout }.",
    )
  })
})
