// What GET /__mock/requests shows of what a client sent, over a real socket: secrets are redacted
// before a body is cut, bodies that are neither JSON nor a form are described, never shown, request
// headers are shown by an allow-list, and each entry's headers are bounded.
import { afterEach, describe, expect, it } from 'vitest'
import { JOURNAL_HEADER_BYTES } from '../../src/admin/entry-bounds.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, auth } from '../support/http.js'

const closing: RunningServer[] = []
afterEach(async () => {
  await Promise.all(closing.splice(0).map((s) => s.close()))
})

async function mock(options: Parameters<typeof startServer>[0] = {}) {
  const server = await startServer(options)
  closing.push(server)
  return server
}

const WEBHOOKS = '/api/v1/agents/agent-uuid/webhooks'

async function post(server: RunningServer, body: string | FormData, contentType?: string, path = WEBHOOKS) {
  const headers: Record<string, string> = { ...auth() }
  if (contentType) headers['content-type'] = contentType
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body })
  await res.arrayBuffer()
  return res.status
}

async function journal(server: RunningServer) {
  const res = await fetch(`${server.url}/__mock/requests`)
  const text = await res.clone().text()
  const entries = (await expectConforms(res, 'listMockRequests')).data
  return { text, entries }
}

const SECRETS = ['WHSEC_plain_123', 'CUSTOM_SECRET_VALUE', 'PASSWORD_S3CR3T', 'APIKEY_S3CR3T', 'TOKEN_S3CR3T', 'SECRET_S3CR3T']
const secretJson = (pad: number) =>
  JSON.stringify({
    name: 'orders',
    webhook_url: 'https://example.com/hook',
    events: ['event_phone_call_ended'],
    webhook_secret: 'WHSEC_plain_123',
    custom_headers: [{ key: 'X-Team', value: 'CUSTOM_SECRET_VALUE' }],
    nested: { password: 'PASSWORD_S3CR3T', api_key: 'APIKEY_S3CR3T', token: 'TOKEN_S3CR3T', secret: 'SECRET_S3CR3T' },
    pad: 'a'.repeat(pad),
  })

describe('a journaled body that is cut', () => {
  it('shows no secret of a JSON body over 8 KiB: it is redacted first, then cut', async () => {
    const server = await mock()
    await post(server, secretJson(9000), 'application/json')
    const { text, entries } = await journal(server)
    for (const secret of SECRETS) expect(text).not.toContain(secret)
    expect(entries[0].body_truncated).toBe(true)
    expect(entries[0].body).toMatch(/^\{"name":"orders",.*"webhook_secret":"\[redacted\]"/)
  })

  it('shows no secret of a 400-byte JSON body cut to its share of a 100000-entry journal', async () => {
    const server = await mock({ journalSize: 100_000 })
    const body = secretJson(0)
    expect(body.length).toBeGreaterThan(167)
    await post(server, body, 'application/json')
    const { text, entries } = await journal(server)
    for (const secret of SECRETS) expect(text).not.toContain(secret)
    expect(entries[0].body_truncated).toBe(true)
    expect(Buffer.byteLength(entries[0].body ?? '')).toBeLessThanOrEqual(167)
  })

  it('shows the start of the redacted JSON when it is not cut', async () => {
    const server = await mock()
    await post(server, secretJson(0), 'application/json')
    const { entries } = await journal(server)
    expect(JSON.parse(entries[0].body ?? '')).toMatchObject({
      webhook_secret: '[redacted]',
      custom_headers: [{ key: 'X-Team', value: '[redacted]' }],
      name: 'orders',
    })
  })
})

describe('a body that is not JSON', () => {
  it('shows a form body with the values of secret-named fields and of custom headers redacted, the rest kept', async () => {
    const server = await mock()
    const form =
      'name=orders&webhook_url=https%3A%2F%2Fhookuser%3AHOOKPASS%40example.com%2Fh&custom_headers[0][key]=X-Team&custom_headers[0][value]=FORMCUSTOMSECRET&webhook_secret=FORMWHSECRET&secret=SECRET_S3CR3T&api_key=APIKEY_S3CR3T'
    await post(server, form, 'application/x-www-form-urlencoded')
    const { text, entries } = await journal(server)
    for (const secret of ['FORMCUSTOMSECRET', 'FORMWHSECRET', 'SECRET_S3CR3T', 'APIKEY_S3CR3T', 'HOOKPASS']) expect(text).not.toContain(secret)
    expect(entries[0].body).toContain('name=orders')
    expect(entries[0].body).toContain('webhook_secret=[redacted]')
    expect(entries[0].body).toContain('custom_headers[0][key]=X-Team')
  })

  it('describes a multipart body by its type and size instead of showing it', async () => {
    const server = await mock()
    const form = new FormData()
    form.set('webhook_secret', 'MULTIPART_S3CR3T')
    await post(server, form)
    const { text, entries } = await journal(server)
    expect(text).not.toContain('MULTIPART_S3CR3T')
    expect(entries[0].body).toMatch(/^\[\d+ bytes of multipart\/form-data, not shown\]$/)
  })

  it.each([
    ['text/plain', 'secret=TEXT_S3CR3T'],
    ['application/xml', '<hook><secret>XML_S3CR3T</secret></hook>'],
    ['application/json', '{"webhook_secret":"BROKEN_S3CR3T", oops'],
    [undefined, 'password: NOTYPE_S3CR3T'],
  ])('describes a %s body that is neither JSON nor a form instead of showing it', async (type, body) => {
    const server = await mock()
    await post(server, body, type)
    const { text, entries } = await journal(server)
    expect(text).not.toMatch(/S3CR3T/)
    expect(entries[0].body).toMatch(/^\[\d+ bytes of [^,]+, not shown\]$/)
  })

  it('survives a deeply nested JSON body and shows its deep parts as [redacted]', async () => {
    const server = await mock()
    const depth = 20_000
    await post(server, `${'['.repeat(depth)}"Bearer abcdefgh12345"${']'.repeat(depth)}`, 'application/json')
    await post(server, `{"a":${'{"b":'.repeat(200)}"DEEP_S3CR3T"${'}'.repeat(200)}}`, 'application/json')
    const res = await fetch(`${server.url}/__mock/requests`)
    expect(res.status).toBe(200)
    const { text, entries } = await journal(server)
    expect(entries).toHaveLength(2)
    expect(text).not.toMatch(/abcdefgh12345|DEEP_S3CR3T/)
  })

  it.each([
    ['an object', { 'X-Team': 'OBJCUSTOMSECRET' }],
    ['a string', 'X-Team: OBJCUSTOMSECRET'],
    ['nested arrays', [[{ key: 'X-Team', value: 'OBJCUSTOMSECRET' }]]],
    ['items with other fields', [{ key: 'X-Team', val: 'OBJCUSTOMSECRET', extra: { deep: 'OBJCUSTOMSECRET' } }]],
  ])('shows custom_headers of the wrong shape (%s) without their values', async (_, customHeaders) => {
    const server = await mock()
    await post(server, JSON.stringify({ webhook_url: 'https://example.com', custom_headers: customHeaders }), 'application/json')
    const { text } = await journal(server)
    expect(text).not.toContain('OBJCUSTOMSECRET')
  })
})

describe('request headers in the journal', () => {
  it('shows only allow-listed header values; every other header keeps its name with [redacted]', async () => {
    const server = await mock()
    const res = await fetch(`${server.url}${DOCS_LOGS}`, {
      headers: {
        ...auth(),
        Cookie: 'sid=COOKIESECRET',
        'X-Auth': 'XAUTHSECRET',
        'X-Access-Key': 'ACCESSKEYSECRET',
        'X-Session-Token': 'SESSIONSECRET',
        'Proxy-Authorization': 'Basic PROXYSECRET',
        'X-Custom': 'CUSTOMSECRET',
        'X-Mock-Session': 's1',
        Accept: 'application/json',
        'User-Agent': 'my-client/1.0',
      },
    })
    await res.arrayBuffer()
    const { text, entries } = await journal(server)
    expect(text).not.toMatch(/COOKIESECRET|XAUTHSECRET|ACCESSKEYSECRET|SESSIONSECRET|PROXYSECRET|CUSTOMSECRET|talq_test_token/)
    expect(entries[0].headers).toMatchObject({
      authorization: '[redacted]',
      cookie: '[redacted]',
      'x-auth': '[redacted]',
      'x-access-key': '[redacted]',
      'x-session-token': '[redacted]',
      'proxy-authorization': '[redacted]',
      'x-custom': '[redacted]',
      'x-mock-session': 's1',
      accept: 'application/json',
      'user-agent': 'my-client/1.0',
    })
  })

  it(`keeps at most ${JOURNAL_HEADER_BYTES} bytes of an entry's headers and says they were cut`, async () => {
    const server = await mock()
    const big: Record<string, string> = {}
    // Values of headers that are not shown are never kept; long names and many headers are cut.
    for (let i = 0; i < 40; i++) big[`x-pad-${i}-`.padEnd(150, 'n')] = 'v'.repeat(40)
    const res = await fetch(`${server.url}${DOCS_LOGS}`, { headers: { ...auth(), 'X-Mock-Session': 's1', ...big } })
    await res.arrayBuffer()
    const { entries } = await journal(server)
    const [entry] = entries
    expect(entry.headers_truncated).toBe(true)
    const kept = Object.entries(entry.headers ?? {}).reduce((n, [k, v]) => n + k.length + v.length, 0)
    expect(kept).toBeLessThanOrEqual(JOURNAL_HEADER_BYTES)
    expect(entry.headers?.['x-mock-session']).toBe('s1')
    expect(JSON.stringify(entry)).not.toContain('v'.repeat(40))
  })

  it('keeps the names of headers whose values are not shown without keeping their values', async () => {
    const server = await mock()
    const res = await fetch(`${server.url}${DOCS_LOGS}`, { headers: { ...auth(), 'X-Pad': 'x'.repeat(12_000) } })
    await res.arrayBuffer()
    const [entry] = (await journal(server)).entries
    expect(entry.headers?.['x-pad']).toBe('[redacted]')
    expect(entry.headers_truncated).toBeUndefined()
  })
})
