import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it, vi } from 'vitest'
import { apiBase, createUpstream, retryAfterMs, timerSleep, UpstreamError } from '../../src/record/upstream.js'

const TOKEN = 'talq_never_shown_123'

/** A scripted upstream: answers in order, records what was asked and when; time moves only by sleep. */
function scripted(answers: (Response | Error)[]) {
  let now = 1_000_000
  const asked: { url: string; at: number; auth: string | null; method: string }[] = []
  const sleeps: number[] = []
  const fetch = (async (url: URL, init: RequestInit) => {
    asked.push({ url: String(url), at: now, auth: new Headers(init.headers).get('authorization'), method: init.method ?? 'GET' })
    const next = answers.shift() ?? new Response('{}')
    if (next instanceof Error) throw next
    return next
  }) as unknown as typeof globalThis.fetch
  const sleep = async (ms: number) => {
    sleeps.push(ms)
    now += ms
  }
  return { asked, sleeps, options: { fetch, sleep, clock: () => now, token: TOKEN, baseUrl: 'http://up.example' } }
}

const status = (code: number, headers: Record<string, string> = {}) => new Response('{"message":"nope"}', { status: code, headers })

describe('the polite upstream client', () => {
  it('sends the token only as a bearer Authorization header, below /api/v1', async () => {
    const s = scripted([new Response('{"ok":true}')])
    const res = await createUpstream(s.options).get('/agents/a/webhooks', { per_page: 100, page: 2 })
    expect(res).toMatchObject({ status: 200, text: '{"ok":true}' })
    expect(s.asked).toEqual([{ url: 'http://up.example/api/v1/agents/a/webhooks?per_page=100&page=2', at: 1_000_000, auth: `Bearer ${TOKEN}`, method: 'GET' }])
  })

  it('honours Retry-After on 429 before asking again', async () => {
    const s = scripted([status(429, { 'retry-after': '7' }), new Response('{}')])
    expect((await createUpstream({ ...s.options, ratePerMinute: 60_000 }).get('/x')).status).toBe(200)
    expect(s.sleeps).toContain(7000)
    expect(s.asked[1].at - s.asked[0].at).toBeGreaterThanOrEqual(7000)
  })

  it('retries 5xx with exponential backoff, then gives up in one sentence', async () => {
    const ok = scripted([status(503), status(502), new Response('{}')])
    expect((await createUpstream({ ...ok.options, ratePerMinute: 60_000 }).get('/x')).status).toBe(200)
    expect(ok.sleeps.filter((ms) => ms >= 1000)).toEqual([1000, 2000])
    const failing = scripted(Array.from({ length: 4 }, () => status(500)))
    const error = await createUpstream({ ...failing.options, ratePerMinute: 60_000, maxRetries: 3 })
      .get('/agents/a/webhooks')
      .catch((e) => e)
    expect(error).toBeInstanceOf(UpstreamError)
    expect(error.message).toBe('http://up.example answered 500 to GET /api/v1/agents/a/webhooks 4 times in a row. Please try again later.')
  })

  it('names an unreachable host without the token', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })
    const s = scripted([refused, refused, refused])
    const error = await createUpstream({ ...s.options, maxRetries: 2 })
      .get('/x')
      .catch((e) => e)
    expect(error.message).toBe('Failed to reach http://up.example (ECONNREFUSED) after 3 tries. Please check --upstream and your network.')
    expect(error.message).not.toContain(TOKEN)
  })

  it('keeps to the request rate, sleeping between requests', async () => {
    const s = scripted([])
    const up = createUpstream({ ...s.options, ratePerMinute: 120 })
    for (let i = 0; i < 5; i++) await up.get('/x')
    const gaps = s.asked.slice(1).map((a, i) => a.at - s.asked[i].at)
    expect(gaps).toEqual([500, 500, 500, 500])
    expect(up.requests).toBe(5)
  })

  it.each([
    ['3', 3000],
    ['Mon, 15 Jan 2024 11:00:10 GMT', 10_000],
    ['soon', undefined],
  ])('reads Retry-After %j', (header, ms) => {
    expect(retryAfterMs(header, Date.parse('2024-01-15T11:00:00Z'))).toBe(ms)
  })

  it.each([
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010/api/v1'],
    ['http://127.0.0.1:4010/', 'http://127.0.0.1:4010/api/v1'],
    ['https://app.talkover.ai/api/v1/', 'https://app.talkover.ai/api/v1'],
  ])('asks %s at %s', (given, base) => {
    expect(apiBase(given)).toBe(base)
  })
})

describe('an upstream that cannot answer', () => {
  const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })

  it('gives up on a refused connection within a few seconds, in one sentence', async () => {
    const s = scripted(Array.from({ length: 10 }, refused))
    const error = await createUpstream(s.options)
      .get('/x')
      .catch((e) => e)
    expect(error).toBeInstanceOf(UpstreamError)
    expect(error.message).toBe('Failed to reach http://up.example (ECONNREFUSED) after 3 tries. Please check --upstream and your network.')
    expect(s.sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(3000)
  })

  it.each(['ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])('gives up as fast on %s: nobody is there either', async (code) => {
    const s = scripted(Array.from({ length: 10 }, () => Object.assign(new TypeError('fetch failed'), { cause: { code } })))
    const error = await createUpstream(s.options)
      .get('/x')
      .catch((e) => e)
    expect(error.message).toBe(`Failed to reach http://up.example (${code}) after 3 tries. Please check --upstream and your network.`)
  })

  it('abandons a try that gets no answer within the timeout, retries once, then gives up naming --timeout', async () => {
    const sockets = new Set<import('node:net').Socket>()
    const silent = createServer(() => {})
    silent.on('connection', (socket) => sockets.add(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const origin = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
    const started = performance.now()
    const sleeps: number[] = []
    const error = await createUpstream({ baseUrl: origin, token: TOKEN, timeoutMs: 200, sleep: async (ms) => void sleeps.push(ms) })
      .get('/agents/a/webhooks')
      .catch((e) => e)
    for (const socket of sockets) socket.destroy()
    silent.close()
    expect(error).toBeInstanceOf(UpstreamError)
    expect(error.message).toBe(
      `${origin} did not answer GET /api/v1/agents/a/webhooks within 0.2 s, 2 times in a row. Please check --upstream, or raise --timeout.`,
    )
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('abandons an answer whose body stops coming within the timeout', async () => {
    const sockets = new Set<import('node:net').Socket>()
    const stalling = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).write('{"data":'))
    stalling.on('connection', (socket) => sockets.add(socket))
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve))
    const origin = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}`
    const error = await createUpstream({ baseUrl: origin, token: TOKEN, timeoutMs: 200, sleep: async () => {} })
      .get('/x')
      .catch((e) => e)
    for (const socket of sockets) socket.destroy()
    stalling.close()
    expect(error.message).toMatch(/did not answer GET \/api\/v1\/x within 0\.2 s/)
  })

  it('honours Retry-After on 503 as on 429', async () => {
    const s = scripted([status(503, { 'retry-after': '7' }), new Response('{}')])
    expect((await createUpstream({ ...s.options, ratePerMinute: 60_000 }).get('/x')).status).toBe(200)
    expect(s.sleeps).toContain(7000)
    expect(s.sleeps).not.toContain(1000)
  })

  it.each([
    ['seconds past the range of setTimeout', '99999999999'],
    ['an HTTP date years ahead', 'Fri, 31 Dec 9999 23:59:59 GMT'],
    ['an hour', '3600'],
  ])('does not wait 1 ms (nor for ever) on a Retry-After of %s: it stops in one sentence', async (_, header) => {
    for (const code of [429, 503]) {
      const s = scripted([status(code, { 'retry-after': header }), new Response('{}')])
      const error = await createUpstream({ ...s.options, ratePerMinute: 60_000 })
        .get('/x')
        .catch((e) => e)
      expect(error).toBeInstanceOf(UpstreamError)
      expect(error.message).toMatch(
        new RegExp(
          `^http://up\\.example answered ${code} to GET /api/v1/x and asked to wait \\d+ s \\(Retry-After\\), longer than the 600 s this command waits\\. Please try again later\\.$`,
        ),
      )
      expect(s.sleeps.filter((ms) => ms > 0 && ms < 1000)).toEqual([])
      expect(s.asked).toHaveLength(1)
    }
  })

  it('waits up to ten minutes when Retry-After asks for it', async () => {
    const s = scripted([status(429, { 'retry-after': '600' }), new Response('{}')])
    expect((await createUpstream({ ...s.options, ratePerMinute: 60_000 }).get('/x')).status).toBe(200)
    expect(s.sleeps).toContain(600_000)
  })

  it('never hands setTimeout a delay it would wrap to 1 ms', async () => {
    vi.useFakeTimers()
    try {
      let done = false
      void timerSleep(2 ** 40).then(() => (done = true))
      await vi.advanceTimersByTimeAsync(10_000)
      expect(done).toBe(false)
    } finally {
      vi.useRealTimers()
    }
  })
})
