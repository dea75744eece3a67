// Secrets a webhook carries (its custom header values, its URL's user info and query) reach the
// receiver and nowhere else: not the access log, the journal, the deliveries view, the dashboard's
// data, nor an error. A rejected --token is never echoed either.
import { afterEach, describe, expect, it } from 'vitest'
import { resolveConfig } from '../../src/config.js'
import { redactUrl } from '../../src/http/redact.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { auth } from '../support/http.js'
import { startReceiver, type TestReceiver } from '../support/receiver.js'

const closing: (RunningServer | TestReceiver)[] = []
afterEach(async () => {
  await Promise.all(closing.splice(0).map((c) => c.close()))
})

const SECRETS = ['HEADER-S3CR3T', 'hookpass-S3CR3T', 'QUERY-S3CR3T', 'hookuser', 'REFUSED-S3CR3T']

describe('secrets on display', () => {
  it('reaches the receiver but never the access log, journal, deliveries view or dashboard data', async () => {
    const receiver = await startReceiver([{ status: 500 }, { status: 200 }])
    closing.push(receiver)
    const lines: string[] = []
    const server = await startServer({ deliver: 'live', log: (line) => lines.push(line), deliveryHooks: { sleep: async () => {} } })
    closing.unshift(server)
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { ...auth(), 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return { status: res.status, text: await res.text() }
    }
    const port = new URL(receiver.url).port
    const webhookUrl = `http://hookuser:hookpass-S3CR3T@127.0.0.1:${port}/hook?api_key=QUERY-S3CR3T&team=payments`
    const created = await call('POST', '/api/v1/agents/agent-uuid/webhooks', {
      name: 'Hook',
      webhook_url: webhookUrl,
      events: ['event_phone_call_ended'],
      max_retries: 2,
      custom_headers: [{ key: 'X-Api-Key', value: 'HEADER-S3CR3T' }],
    })
    expect(created.status).toBe(201)
    const id = JSON.parse(created.text).data.id
    expect((await call('POST', '/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: id, event: 'event_phone_call_ended' })).status).toBe(202)
    // A second webhook whose host is refused: its URL lands in the row's error and the log line.
    const refused = await call('PUT', '/api/v1/agents/agent-uuid/webhooks/webhook-uuid', {
      webhook_url: 'http://u:REFUSED-S3CR3T@hooks.invalid/x?k=REFUSED-S3CR3T',
    })
    expect(refused.status).toBe(200)
    expect((await call('POST', '/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: 'webhook-uuid', event: 'event_phone_call_ended' })).status).toBe(202)
    const [first, second] = await receiver.waitFor(2)
    // The receiver gets everything it was configured with.
    expect(first.headers['x-api-key']).toBe('HEADER-S3CR3T')
    expect(second.url).toBe('/hook?api_key=QUERY-S3CR3T&team=payments')
    expect(first.headers.authorization).toBe(`Basic ${Buffer.from('hookuser:hookpass-S3CR3T').toString('base64')}`)
    for (let i = 0; i < 100 && !lines.some((l) => l.includes('attempt=2')); i++) await new Promise((done) => setTimeout(done, 10))

    const shown: Record<string, string> = {
      'access log': lines.join('\n'),
      journal: (await call('GET', '/__mock/requests?limit=1000')).text,
      deliveries: (await call('GET', '/__mock/deliveries')).text,
      'dashboard deliveries': (await call('GET', '/__mock/deliveries?limit=50')).text,
      config: (await call('GET', '/__mock/config')).text,
      world: (await call('GET', '/__mock/world')).text,
      logs: (await call('GET', `/api/v1/agents/agent-uuid/webhooks/${id}/logs`)).text,
      'refused logs': (await call('GET', '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=1')).text,
    }
    for (const [where, text] of Object.entries(shown)) for (const secret of SECRETS) expect(text, `${secret} in ${where}`).not.toContain(secret)
    // What is shown still says where the delivery went and which headers it carried.
    expect(shown['access log']).toContain(`deliver POST http://[redacted]@127.0.0.1:${port}/hook?api_key=[redacted]&team=[redacted] 500`)
    const view = JSON.parse(shown.deliveries).data.find((d: { webhook_id: string }) => d.webhook_id === id)
    expect(view.attempts[0].request_headers['x-api-key']).toBe('[redacted]')
    expect(view.attempts[0].request_headers['webhook-id']).toMatch(/^msg_/)
    const journal = JSON.parse(shown.journal).data.find((e: { delivery?: unknown }) => e.delivery)
    expect(journal).toMatchObject({ path: '/hook', query: 'api_key=[redacted]&team=[redacted]' })
  })
})

describe("a receiver's answer headers", () => {
  it('show only allow-listed values in GET /__mock/deliveries: Set-Cookie and token headers read [redacted]', async () => {
    const receiver = await startReceiver([
      { status: 200, body: '{}', headers: { 'content-type': 'application/json', 'set-cookie': 'sid=RECEIVER-S3CR3T', 'x-receiver-token': 'RECEIVER-T0KEN' } },
    ])
    closing.push(receiver)
    const server = await startServer({ deliver: 'live', deliveryHooks: { sleep: async () => {} } })
    closing.unshift(server)
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const created = await (
      await post('/api/v1/agents/agent-uuid/webhooks', { name: 'Hook', webhook_url: receiver.url, events: ['event_phone_call_ended'] })
    ).json()
    const id = created.data.id
    expect((await post('/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: id, event: 'event_phone_call_ended' })).status).toBe(202)
    let attempt: any
    for (let i = 0; i < 100 && !attempt?.response_headers; i++) {
      await new Promise((done) => setTimeout(done, 20))
      const views = (await (await fetch(`${server.url}/__mock/deliveries`)).json()).data
      attempt = views.find((d: { webhook_id: string }) => d.webhook_id === id)?.attempts[0]
    }
    expect(attempt.response_headers['content-type']).toBe('application/json')
    expect(attempt.response_headers['set-cookie']).toBe('[redacted]')
    expect(attempt.response_headers['x-receiver-token']).toBe('[redacted]')
    expect(JSON.stringify(attempt)).not.toContain('S3CR3T')
  })
})

describe('redactUrl', () => {
  it.each([
    ['http://user:pass@127.0.0.1:3000/hook?api_key=s&x=1#frag', 'http://[redacted]@127.0.0.1:3000/hook?api_key=[redacted]&x=[redacted]#[redacted]'],
    ['https://hooks.example.com/path', 'https://hooks.example.com/path'],
    ['http://token@h/', 'http://[redacted]@h/'],
    ['not a url user:pw@x?sig=abc', 'not a url [redacted]@x?[redacted]'],
  ])('shows %s as %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown)
  })
})

describe('a rejected token', () => {
  it.each([[['--token', 'not-a-token-S3CR3T']], [['--admin-token', 'has space S3CR3T']], [['talq_S3CR3T']], [['--token=talq_S3CR3T', 'talq_S3CR3T2']]])(
    'is not echoed in the error of %j',
    (argv) => {
      let message = ''
      try {
        resolveConfig(argv, {})
      } catch (error) {
        message = (error as Error).message
      }
      expect(message).not.toBe('')
      expect(message).not.toContain('S3CR3T')
    },
  )

  it('is not echoed from the environment either', () => {
    expect(() => resolveConfig([], { TALKOVER_MOCK_TOKEN: 'S3CR3T' })).toThrow(/^Invalid TALKOVER_MOCK_TOKEN: use a token that starts with talq_/)
    expect(() => resolveConfig([], { TALKOVER_MOCK_TOKEN: 'S3CR3T' })).not.toThrow(/S3CR3T/)
  })
})

describe('secrets a client puts in its own request line', () => {
  it('keeps secret-named query values and token-shaped values out of the access log and the journal, on the answer cache path too', async () => {
    const lines: string[] = []
    const server = await startServer({ log: (line) => lines.push(line) })
    closing.push(server)
    const path = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=5&api_key=QUERYSECRET123&token=QTOKEN456'
    // Three times: the second and third are answered by the answer cache, which journals on its own.
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}${path}`, { headers: auth() })).status).toBe(200)
    const journal = await (await fetch(`${server.url}/__mock/requests`)).text()
    for (const shown of [lines.join('\n'), journal]) {
      expect(shown).not.toContain('QUERYSECRET123')
      expect(shown).not.toContain('QTOKEN456')
      // What a test verifies stays: the names, and the values that are not secrets.
      expect(shown).toContain('per_page=5&api_key=[redacted]&token=[redacted]')
    }
  })
})
