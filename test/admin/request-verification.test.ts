// Request verification: the journal keeps what a client sent (headers redacted, body bounded) and
// answers filtered lists and counts, in-process and over a real socket (the answer cache too).
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { JOURNAL_BODIES_BYTES, JOURNAL_BODY_BYTES } from '../../src/admin/entry-bounds.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, auth, get, send } from '../support/http.js'

const closing: RunningServer[] = []
afterEach(async () => {
  await Promise.all(closing.splice(0).map((s) => s.close()))
})

const list = async (app: ReturnType<typeof createApp>, query = '') =>
  (await expectConforms(await app.request(`/__mock/requests${query}`), 'listMockRequests')).data
const count = async (app: ReturnType<typeof createApp>, query = '') =>
  (await expectConforms(await app.request(`/__mock/requests/count${query}`), 'countMockRequests')).data.count

describe('what the journal keeps of a request', () => {
  it('keeps the headers, showing only allow-listed values: Authorization, cookies and custom headers redacted', async () => {
    const app = createApp()
    await get(app, `${DOCS_LOGS}?per_page=5`, { Cookie: 'sid=COOKIE-S3CR3T', 'X-Api-Key': 'KEY-S3CR3T', 'X-Team': 'payments', 'X-Mock-Session': 's1' })
    const [entry] = await list(app)
    expect(entry).toMatchObject({ method: 'GET', path: DOCS_LOGS, query: 'per_page=5', status: 200, session: 's1' })
    expect(entry.headers).toMatchObject({
      authorization: '[redacted]',
      cookie: '[redacted]',
      'x-api-key': '[redacted]',
      'x-team': '[redacted]',
      'x-mock-session': 's1',
    })
    expect(JSON.stringify(entry)).not.toMatch(/S3CR3T|talq_test_token|payments/)
  })

  it('keeps a JSON body with secret fields and custom header values redacted', async () => {
    const app = createApp()
    const res = await send(app, 'POST', '/api/v1/agents/agent-uuid/webhooks', {
      name: 'Hook',
      webhook_url: 'https://example.com/hook',
      events: ['event_phone_call_ended'],
      webhook_secret: 'whsec_S3CR3T',
      custom_headers: [{ key: 'X-Team', value: 'HEADER-S3CR3T' }],
    })
    expect(res.status).toBe(201)
    const [entry] = await list(app)
    expect(entry.method).toBe('POST')
    expect(JSON.parse(entry.body)).toMatchObject({ name: 'Hook', webhook_secret: '[redacted]', custom_headers: [{ key: 'X-Team', value: '[redacted]' }] })
    expect(JSON.stringify(entry)).not.toMatch(/S3CR3T/)
  })

  it(`keeps the first ${JOURNAL_BODY_BYTES} bytes of a body and marks it truncated`, async () => {
    const app = createApp()
    const name = 'x'.repeat(JOURNAL_BODY_BYTES * 2)
    await send(app, 'PUT', '/api/v1/agents/agent-uuid/webhooks/webhook-uuid', JSON.stringify({ name }))
    const [entry] = await list(app)
    expect(Buffer.byteLength(entry.body)).toBe(JOURNAL_BODY_BYTES)
    expect(entry.body_truncated).toBe(true)
  })

  it('shares one body budget across the journal: with --journal-size 100000 each entry keeps less', async () => {
    const app = createApp({ journalSize: 100_000 })
    const name = 'x'.repeat(JOURNAL_BODY_BYTES)
    await send(app, 'PUT', '/api/v1/agents/agent-uuid/webhooks/webhook-uuid', JSON.stringify({ name }))
    const [entry] = await list(app)
    expect(Buffer.byteLength(entry.body)).toBe(Math.floor(JOURNAL_BODIES_BYTES / 100_000))
    expect(entry.body_truncated).toBe(true)
  })

  it('keeps the headers of a page the answer cache wrote on a real socket', async () => {
    const server = await startServer()
    closing.push(server)
    for (let i = 0; i < 3; i++)
      await (await fetch(`${server.url}${DOCS_LOGS}`, { headers: { ...auth(), 'X-Team': 'cached', 'User-Agent': 'cached-client' } })).text()
    const res = await fetch(`${server.url}/__mock/requests`)
    const entries = (await expectConforms(res, 'listMockRequests')).data
    expect(entries).toHaveLength(3)
    for (const entry of entries) expect(entry.headers).toMatchObject({ authorization: '[redacted]', 'x-team': '[redacted]', 'user-agent': 'cached-client' })
  })
})

describe('GET /__mock/requests filters and GET /__mock/requests/count', () => {
  async function traffic() {
    const app = createApp()
    await get(app, DOCS_LOGS, { 'X-Mock-Session': 'a' })
    await get(app, `${DOCS_LOGS}?page=2`, { 'X-Mock-Session': 'b' })
    await get(app, '/api/v1/agents/agent-uuid/webhooks/webhook-uuid', { 'X-Mock-Session': 'a' })
    await get(app, DOCS_LOGS, { Authorization: 'Bearer nope' })
    await send(app, 'POST', '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs/log-uuid-2/retry', undefined, { 'X-Mock-Session': 'a' })
    return app
  }

  it.each([
    ['', 5],
    ['?method=get', 4],
    ['?method=POST', 1],
    [`?path=${DOCS_LOGS}`, 3],
    ['?path=/api/v1/agents/agent-uuid/webhooks', 0],
    ['?path_prefix=/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs', 4],
    ['?status=401', 1],
    ['?session=a', 3],
    [`?session=a&path=${DOCS_LOGS}&status=200`, 1],
    ['?status_class=2xx', 4],
    ['?status_class=4xx', 1],
    ['?status_class=5xx', 0],
    ['?path_contains=webhook-uuid/logs', 4],
    ['?path_contains=page=2', 1],
    ['?path_contains=PAGE', 0],
  ])('%s matches %i requests, in the list and the count alike', async (query, n) => {
    const app = await traffic()
    expect(await list(app, query)).toHaveLength(n)
    expect(await count(app, query)).toBe(n)
  })

  it('since keeps the requests that arrived at or after an instant', async () => {
    let now = Date.UTC(2024, 0, 15, 12)
    const app = createApp({ faults: { clock: () => now } })
    await get(app, DOCS_LOGS)
    now += 1000
    await get(app, DOCS_LOGS)
    expect(await count(app, `?since=${new Date(now).toISOString()}`)).toBe(1)
    expect(await count(app, `?since=${new Date(now - 1000).toISOString()}`)).toBe(2)
  })

  it('until keeps the requests that arrived at or before an instant', async () => {
    let now = Date.UTC(2024, 0, 15, 12)
    const app = createApp({ faults: { clock: () => now } })
    await get(app, DOCS_LOGS)
    now += 1000
    await get(app, DOCS_LOGS)
    expect(await count(app, `?until=${new Date(now - 1000).toISOString()}`)).toBe(1)
    expect(await count(app, `?until=${new Date(now).toISOString()}`)).toBe(2)
    expect(await list(app, `?until=${new Date(now - 1).toISOString()}&since=${new Date(now - 1000).toISOString()}`)).toHaveLength(1)
  })

  it('path_contains never finds a query value the journal shows as [redacted]', async () => {
    const app = createApp()
    await get(app, `${DOCS_LOGS}?api_key=REALKEY`)
    expect(await count(app, '?path_contains=REALKEY')).toBe(0)
    expect(await count(app, '?path_contains=api_key=[redacted]')).toBe(1)
  })

  it('answers the count as {"success":true,"data":{"count":N}}', async () => {
    const app = await traffic()
    const res = await app.request('/__mock/requests/count?method=POST')
    expect(await res.json()).toEqual({ success: true, data: { count: 1 } })
  })

  it.each([
    ['?status=200&status=401', 'status'],
    ['?method=GET&path=/x&method=POST', 'method'],
    ['?session=a&session=b', 'session'],
    ['?path_prefix=/api&path%5Fprefix=/x', 'path_prefix'],
  ])('refuses the repeated filter %s with a 422 naming %s instead of keeping the last', async (query, field) => {
    const app = await traffic()
    for (const url of ['/__mock/requests', '/__mock/requests/count']) {
      const res = await app.request(`${url}${query}`)
      expect(res.status).toBe(422)
      const body = await expectConforms(res, url.endsWith('count') ? 'countMockRequests' : 'listMockRequests')
      expect(body.errors).toEqual({ [field]: [expect.stringMatching(new RegExp(`^The ${field} field must be given once, not 2 times; .*ask once per value`))] })
    }
  })

  it('refuses a repeated limit on the list, and ignores it on the count, which takes no limit', async () => {
    const app = await traffic()
    const res = await app.request('/__mock/requests?limit=1&limit=2')
    expect(res.status).toBe(422)
    expect(Object.keys((await expectConforms(res, 'listMockRequests')).errors)).toEqual(['limit'])
    expect(await count(app, '?limit=1&limit=2')).toBe(5)
  })

  it('ignores a parameter it does not know, like every other admin and API route', async () => {
    const app = await traffic()
    expect(await count(app, '?stauts=500')).toBe(5)
  })

  it.each([
    ['?since=yesterday', 'since'],
    ['?status=abc', 'status'],
    ['?path=no-slash', 'path'],
    ['?until=tomorrow', 'until'],
    ['?status_class=4', 'status_class'],
  ])('refuses %s with a 422 naming %s', async (query, field) => {
    const app = createApp()
    for (const url of ['/__mock/requests', '/__mock/requests/count']) {
      const res = await app.request(`${url}${query}`)
      expect(res.status).toBe(422)
      const body = await expectConforms(res, url.endsWith('count') ? 'countMockRequests' : 'listMockRequests')
      expect(Object.keys(body.errors)).toEqual([field])
    }
  })
})

describe('verification with the journal off (--journal-size 0)', () => {
  it('refuses GET /__mock/requests/count with 409 and a sentence naming --journal-size, instead of counting 0', async () => {
    const app = createApp({ seed: 42, journalSize: 0 })
    expect((await get(app, DOCS_LOGS, auth())).status).toBe(200)
    const res = await get(app, '/__mock/requests/count')
    expect(res.status).toBe(409)
    const body = await expectConforms(res, 'countMockRequests')
    expect(body).toEqual({
      success: false,
      message:
        'The request journal is off (--journal-size 0, journalSize: 0 in createApp), so requests cannot be counted: start the mock with a journal size of 1 or more (default 1000).',
    })
  })

  it('makes mockClient.requests.expectCount fail with that sentence, even for a count of 0', async () => {
    const { mockClient } = await import('../../src/testing.js')
    const client = mockClient(createApp({ seed: 42, journalSize: 0 }))
    await expect(client.requests.expectCount({ method: 'GET' }, 0)).rejects.toThrow(
      /The request journal is off \(--journal-size 0, journalSize: 0 in createApp\)/,
    )
  })
})
