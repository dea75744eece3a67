// What a test author reads when the mock refuses a call or a call is misused: sentences that say
// what was wrong and how to fix it, before anything is sent where the client can tell.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { MockAssertionError, MockClientError, mockClient } from '../../src/testing.js'
import { DOCS_LOGS, auth } from '../support/http.js'

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: Error) => e,
  )

describe('mockClient refusals', () => {
  const mock = mockClient(createApp({ seed: 42 }), { session: 'errors' })

  it('names the fields and their messages of a 422', async () => {
    const error = await failure(mock.requests.count({ status: 'abc' as unknown as number }))
    expect(error).toBeInstanceOf(MockClientError)
    expect(error.message).toBe(
      'talkover-mock refused GET /__mock/requests/count?session=errors&status=abc with 422: The given data was invalid. status: The status field must be an integer.',
    )
  })

  it('names the URL of a mock it cannot reach and asks whether the mock is running', async () => {
    const error = await failure(mockClient('http://127.0.0.1:1').config())
    expect(error).toBeInstanceOf(MockClientError)
    expect(error.message).toMatch(/^talkover-mock could not reach GET http:\/\/127\.0\.0\.1:1\/__mock\/config \(.+\): is the mock running\?/)
  })

  it('refuses a target that is not an absolute http(s) URL when the client is made', () => {
    for (const target of ['not a url', 'ftp://127.0.0.1:4010', '127.0.0.1:4010'])
      expect(() => mockClient(target)).toThrow(
        `Invalid mock URL "${target}": use an absolute http(s) URL like http://127.0.0.1:4010, or an app made by createApp.`,
      )
  })

  it('says a server that answers but is not the mock is not the mock, instead of resolving undefined', async () => {
    const { createServer } = await import('node:http')
    for (const [type, body] of [
      ['text/html', '<!doctype html><p>hello'],
      ['application/json', '{"ok":1}'],
    ]) {
      const other = createServer((_, res) => res.writeHead(200, { 'content-type': type }).end(body))
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
      const url = `http://127.0.0.1:${(other.address() as { port: number }).port}`
      const client = mockClient(url)
      for (const call of [() => client.failNext(1), () => client.requests.count({}), () => client.clock.get(), () => client.requests.find({})]) {
        const error = await failure(call())
        expect(error).toBeInstanceOf(MockClientError)
        expect(error.message).toContain(`is not talkover-mock: it answered 200 ${type}`)
      }
      await new Promise((resolve) => other.close(resolve))
    }
  })

  it('refuses a mock URL with user info at creation, without repeating the password', () => {
    const error = (() => {
      try {
        mockClient('http://ci:PASSW0RD@127.0.0.1:4010')
      } catch (e) {
        return e as Error
      }
    })()
    expect(error).toBeInstanceOf(TypeError)
    expect(error!.message).toBe(
      'Invalid mock URL: it carries user info (user:password@), which fetch refuses; give the mock URL without it, like http://127.0.0.1:4010.',
    )
  })

  it('refuses a session id the mock would refuse, when the client is made', () => {
    for (const id of ['', 'a/b?c', 'x'.repeat(129)]) {
      const message = `Invalid session "${id}": use 1 to 128 letters, digits, dots, underscores, colons or hyphens, like checkout-test.`
      expect(() => mock.withSession(id)).toThrow(message)
      expect(() => mockClient(createApp(), { session: id })).toThrow(message)
    }
  })

  it.each([
    ['failNext(-1)', () => mock.failNext(-1, 503), 'Invalid count -1 for failNext: use a whole number of requests, 1 or more.'],
    ['failNext(1.5)', () => mock.failNext(1.5, 503), 'Invalid count 1.5 for failNext: use a whole number of requests, 1 or more.'],
    ['failEvery(0)', () => mock.failEvery(0), 'Invalid n 0 for failEvery: use a whole number, 1 or more (null turns it off).'],
    ['expectCount(-1)', () => mock.requests.expectCount({}, -1), 'Invalid expected count -1 for expectCount: use a whole number of requests, 0 or more.'],
    ['find limit 0', () => mock.requests.find({}, 0), 'Invalid limit 0 for requests.find: use a whole number from 1.'],
    [
      'clock.set(Invalid Date)',
      () => mock.clock.set(new Date(Number.NaN)),
      'Invalid instant Invalid Date for clock.set: use an ISO 8601 instant like 2024-01-15T12:00:00Z or a Date.',
    ],
    [
      "find({ since: 'garbage' })",
      () => mock.requests.find({ since: 'garbage' }),
      'Invalid since "garbage" for requests.find: use an ISO 8601 instant like 2024-01-15T12:00:00Z or a Date.',
    ],
    ['waitFor timeout -5', () => mock.deliveries.waitFor({}, { timeout: -5 }), 'Invalid timeout -5 for deliveries.waitFor: use milliseconds, 0 or more.'],
    ['client timeout 0', () => mockClient(createApp(), { timeout: 0 }).config(), 'Invalid timeout 0 for mockClient: use milliseconds, 1 or more.'],
  ])('refuses %s with a sentence, sending nothing', async (_, call, message) => {
    const error = await failure(Promise.resolve().then(call))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toBe(message)
    expect(await mock.requests.count()).toBe(0)
  })
})

describe('a failed count assertion', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer({ seed: 42 })
  })
  afterAll(() => server.close())

  it('names the requests that matched and the closest ones that did not when some but too few match', async () => {
    const mock = mockClient(server.url, { session: 'some-match' })
    await mock.fetch(DOCS_LOGS, { headers: auth() })
    await mock.fetch(`${DOCS_LOGS}?page=2`, { headers: auth() })
    await mock.fetch('/api/v1/agents/agent-uuid/webhooks', { method: 'POST', headers: auth() })
    const error = await failure(mock.requests.expectCount({ method: 'GET', path: DOCS_LOGS }, 3))
    expect(error).toBeInstanceOf(MockAssertionError)
    const lines = error.message.split('\n')
    expect(lines[0]).toBe(`Expected 3 requests matching GET ${DOCS_LOGS} in session some-match, found 2.`)
    expect(lines[1]).toBe('Requests that matched:')
    expect(lines[2]).toMatch(new RegExp(`^  #\\d+ GET ${DOCS_LOGS}\\?page=2 → 200 \\[session some-match\\]$`))
    expect(lines[3]).toMatch(new RegExp(`^  #\\d+ GET ${DOCS_LOGS} → 200 \\[session some-match\\]$`))
    expect(lines[4]).toBe('Closest requests in the journal:')
    expect(lines[5]).toMatch(
      /^ {2}#\d+ POST \/api\/v1\/agents\/agent-uuid\/webhooks → 422 \[session some-match\] \(method: wanted GET, was POST; path: wanted .*\)$/,
    )
  })

  it('names the extra requests when more match than expected', async () => {
    const mock = mockClient(server.url, { session: 'too-many' })
    await mock.fetch(DOCS_LOGS, { headers: auth() })
    await mock.fetch(DOCS_LOGS, { headers: auth() })
    const error = await failure(mock.requests.expectCount({ path: DOCS_LOGS }, 1))
    expect(error.message).toMatch(/found 2\.\nRequests that matched:\n {2}#\d+ GET .*\n {2}#\d+ GET /)
  })
})
