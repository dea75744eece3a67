// talkover-mock/msw/browser, run under msw/node: the handlers forward to a mock on a real port, so
// what they send and return is checked here without a browser (examples/msw-browser.browser.test.ts
// runs them in Chromium).
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { talkoverBrowserHandlers } from '../src/msw-browser.js'
import { startServer, type RunningServer } from '../src/server.js'
import { mockClient } from '../src/testing.js'

let mock: RunningServer
let session: string | undefined
const server = setupServer()
beforeAll(async () => {
  mock = await startServer({ seed: 42 })
  server.use(...talkoverBrowserHandlers({ mockUrl: mock.url, session: () => session }))
  server.listen({ onUnhandledRequest: 'error' })
})
afterAll(async () => {
  server.close()
  await mock?.close()
})

const PATH = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs'
const LOGS = `https://app.talkover.ai${PATH}`
const auth = { Authorization: 'Bearer talq_msw_browser' }

describe('talkoverBrowserHandlers', () => {
  it("answers a plain fetch to https://app.talkover.ai/api/* with the running mock's bytes, status and headers", async () => {
    const res = await fetch(`${LOGS}?per_page=3&page=2`, { headers: auth })
    const direct = await fetch(`${mock.url}${PATH}?per_page=3&page=2`, { headers: auth })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(await direct.text())
    expect(res.headers.get('x-ratelimit-limit')).toBe(direct.headers.get('x-ratelimit-limit'))
    expect(res.headers.get('content-type')).toBe('application/json')
  })

  it('forwards the method, the body and the headers, and the mock journals the request', async () => {
    session = 'browser-write'
    const res = await fetch('https://app.talkover.ai/api/v1/agents/agent-uuid/webhooks', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'x-consumer': 'checkout' },
      body: JSON.stringify({ name: 'Forwarded hook', webhook_url: 'https://example.com/hook', events: ['event_phone_call_ended'] }),
    })
    expect(res.status).toBe(201)
    expect((await res.json()).data.name).toBe('Forwarded hook')
    const [entry] = await mockClient(mock.url, { session }).requests.find({ method: 'POST' })
    expect(entry).toMatchObject({ path: '/api/v1/agents/agent-uuid/webhooks', status: 201 })
    // Unknown headers keep their names in the journal, their values redacted.
    expect(entry.headers).toMatchObject({ 'content-type': 'application/json', 'x-consumer': '[redacted]' })
    expect(JSON.stringify(entry.body)).toContain('Forwarded hook')
    session = undefined
  })

  it("applies a fault scripted in the test's session, and only there", async () => {
    session = 'browser-a'
    await mockClient(mock.url, { session }).failNext(1, 503)
    session = 'browser-b'
    expect((await fetch(LOGS, { headers: auth })).status).toBe(200)
    session = 'browser-a'
    expect((await fetch(LOGS, { headers: auth })).status).toBe(503)
    session = undefined
  })

  it("keeps the request's own X-Mock-Session over the handlers' session", async () => {
    session = 'browser-default'
    await mockClient(mock.url, { session: 'browser-own' }).failNext(1, 502)
    expect((await fetch(LOGS, { headers: { ...auth, 'X-Mock-Session': 'browser-own' } })).status).toBe(502)
    session = undefined
  })

  it("passes the client's abort on: a hang it gives up on ends in the mock's journal as client_aborted, with no console message", async () => {
    session = 'browser-abort'
    const client = mockClient(mock.url, { session })
    await client.failNext(1, { fault: 'hang' })
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    await expect(fetch(LOGS, { headers: auth, signal: AbortSignal.timeout(300) })).rejects.toThrow()
    // The hang holds for --hang-ms (30 s) unless the mock sees the connection close.
    await vi.waitFor(async () => expect(await client.requests.find()).toMatchObject([{ fault: { kind: 'hang' }, client_aborted: true }]), {
      timeout: 3000,
      interval: 50,
    })
    expect(errors.mock.calls.flat().join(' ')).not.toContain('talkover-mock did not answer')
    errors.mockRestore()
    session = undefined
  })

  it('answers a network error and names the mock URL in a sentence when the mock cannot be reached', async () => {
    const closed = await startServer()
    const url = closed.url
    await closed.close()
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    await server.boundary(async () => {
      server.use(...talkoverBrowserHandlers({ mockUrl: url, baseUrl: 'https://down.example.com' }))
      await expect(fetch(`https://down.example.com${PATH}`, { headers: auth })).rejects.toThrow(TypeError)
    })()
    expect(errors.mock.calls.flat().join(' ')).toContain(
      `talkover-mock did not answer GET https://down.example.com${PATH} forwarded to ${url}: is the mock running at ${url}?`,
    )
    errors.mockRestore()
  })

  it('refuses, before anything is sent, an option it does not know, a session the mock would refuse and a mockUrl with credentials, a query or a fragment', () => {
    const options = { mockUrl: 'http://127.0.0.1:4010', baseURL: 'https://staging.example.com' }
    expect(() => talkoverBrowserHandlers(options as never)).toThrow('Unknown option "baseURL" of talkoverBrowserHandlers: use mockUrl, baseUrl or session.')
    expect(() => talkoverBrowserHandlers({ mockUrl: 'http://127.0.0.1:4010', session: '' })).toThrow(
      'Invalid session "": use 1 to 128 letters, digits, dots, underscores, colons or hyphens, like checkout-test.',
    )
    for (const mockUrl of ['http://user:secret@127.0.0.1:4010', 'http://127.0.0.1:4010/?session=a', 'http://127.0.0.1:4010/#a'])
      expect(() => talkoverBrowserHandlers({ mockUrl })).toThrow(
        'Invalid mockUrl: give the base URL of the mock, without credentials, a query or a fragment, like http://127.0.0.1:4010.',
      )
  })

  it('refuses a mockUrl or baseUrl that is not an absolute http(s) URL with a sentence', () => {
    expect(() => talkoverBrowserHandlers({ mockUrl: '127.0.0.1:4010' })).toThrow(
      'Invalid mockUrl "127.0.0.1:4010": use an absolute http(s) URL like http://127.0.0.1:4010.',
    )
    expect(() => talkoverBrowserHandlers({ mockUrl: mock.url, baseUrl: 'app.talkover.ai' })).toThrow(
      'Invalid baseUrl "app.talkover.ai": use an absolute http(s) URL like https://app.talkover.ai.',
    )
    expect(() => talkoverBrowserHandlers({ mockUrl: 'https://app.talkover.ai/mock' })).toThrow(
      'Invalid mockUrl "https://app.talkover.ai/mock": it is on baseUrl\'s origin https://app.talkover.ai, whose requests these handlers forward; run the mock on another origin, like http://127.0.0.1:4010.',
    )
  })
})
