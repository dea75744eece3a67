// useTalkoverMock: one mock per file on a free port, a session of its own per test, closed after the file.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { useTalkoverMock } from '../../src/testing.js'
import { DOCS_LOGS, auth } from '../support/http.js'

const mock = useTalkoverMock({ seed: 42, hooks: { beforeAll, afterAll, beforeEach } })
const seen: { url: string; session: string }[] = []

describe('useTalkoverMock', () => {
  it('gives the first test a running mock, a session and a client scoped to it', async () => {
    seen.push({ url: mock.url, session: mock.session })
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect((await mock.client.config()).seed).toBe(42)
    // A fault left pending at the end of this test must not reach the next one.
    await mock.client.failNext(5, 503)
    expect((await mock.fetch(DOCS_LOGS, { headers: auth() })).status).toBe(503)
    await mock.client.requests.expectCount({ path: DOCS_LOGS, status: 503 }, 1)
  })

  it('gives the next test a fresh session on the same mock: no faults, no journal of the last test', async () => {
    seen.push({ url: mock.url, session: mock.session })
    expect(seen[0].url).toBe(seen[1].url)
    expect(seen[0].session).not.toBe(seen[1].session)
    expect((await mock.fetch(DOCS_LOGS, { headers: auth() })).status).toBe(200)
    await mock.client.requests.expectCount({}, 1)
    expect((await mock.client.config()).fail_next).toEqual([])
  })

  it('binds the session to fetch with a full URL too, unless the test sets its own', async () => {
    await mock.fetch(new URL(DOCS_LOGS, mock.url), { headers: auth() })
    await mock.fetch(DOCS_LOGS, { headers: { ...auth(), 'X-Mock-Session': 'mine' } })
    expect(await mock.client.requests.count()).toBe(1)
    expect(await mock.client.withSession('mine').requests.count()).toBe(1)
  })
})

describe('useTalkoverMock with it.concurrent', () => {
  const sessions = new Set<string>()
  const pause = (ms: number) => new Promise((done) => setTimeout(done, ms))
  for (const name of ['a', 'b', 'c']) {
    it.concurrent(`gives concurrent test ${name} a session of its own through mock.for(context)`, async (context) => {
      const mine = mock.for(context)
      await pause(30)
      await mine.client.failNext(1, 503)
      await pause(30)
      expect((await mine.fetch(DOCS_LOGS, { headers: auth() })).status).toBe(503)
      expect((await mine.fetch(DOCS_LOGS, { headers: auth() })).status).toBe(200)
      await mine.client.requests.expectCount({ path: DOCS_LOGS }, 2)
      expect(mine.client.session).toBe(mine.session)
      expect(mock.for(context).session).toBe(mine.session)
      sessions.add(mine.session)
    })
  }

  it.concurrent('refuses mock.session, mock.client and mock.fetch inside a concurrent test, naming mock.for(context)', async () => {
    const sentence =
      "useTalkoverMock: mock.session cannot tell which of the tests running at once (it.concurrent) is asking. Take the test's own: it.concurrent('…', async (context) => { const { session, client, fetch } = mock.for(context) })."
    expect(() => mock.session).toThrow(sentence)
    expect(() => mock.client).toThrow(sentence.replace('mock.session', 'mock.client'))
    expect(() => mock.fetch(DOCS_LOGS)).toThrow(sentence.replace('mock.session', 'mock.fetch'))
  })

  it('gave the three concurrent tests three sessions, and the next test its own again', (context) => {
    expect(sessions.size).toBe(3)
    expect(sessions.has(mock.session)).toBe(false)
    expect(mock.for(context).session).toBe(mock.session)
  })

  it('refuses mock.for with a context of no test of this file', () => {
    expect(() => mock.for({} as never)).toThrow(
      "useTalkoverMock: mock.for(context) needs the context vitest passes to the test (it('…', (context) => …)); this one belongs to no test of this file.",
    )
  })
})

describe('useTalkoverMock without hooks', () => {
  it('says how to pass them when the framework has no globals', () => {
    expect(() => useTalkoverMock()).toThrow(/pass them \(import \{ afterAll, beforeAll, beforeEach \} from 'vitest'/)
  })
})

describe('useTalkoverMock closing', () => {
  it('closes the mock after the file: its port refuses connections', async () => {
    const hooks: Record<string, () => unknown> = {}
    const inner = useTalkoverMock({
      hooks: { beforeAll: (f) => (hooks.beforeAll = f), afterAll: (f) => (hooks.afterAll = f), beforeEach: (f) => (hooks.beforeEach = f) },
    })
    await hooks.beforeAll()
    hooks.beforeEach()
    const url = inner.url
    expect((await fetch(`${url}/__mock/health`)).status).toBe(200)
    await hooks.afterAll()
    await expect(fetch(`${url}/__mock/health`)).rejects.toThrow()
    expect(() => inner.url).toThrow(/only inside tests/)
  })
})
