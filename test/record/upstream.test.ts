import { describe, expect, it } from 'vitest'
import { apiBase, createUpstream, retryAfterMs, UpstreamError } from '../../src/record/upstream.js'

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
