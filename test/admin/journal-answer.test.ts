// What the journal keeps of the mock's answer (issue 27, the dashboard's request details): its
// headers and its body, bounded like a request body and redacted by the same helper, in-process
// and for a page the answer cache wrote on a real socket; nothing when a network fault changed
// what the client got.
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { JOURNAL_ANSWER_BYTES, JOURNAL_BODIES_BYTES, JOURNAL_BODY_BYTES, bodyShare } from '../../src/admin/entry-bounds.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, auth, get, send } from '../support/http.js'

const closing: RunningServer[] = []
afterEach(async () => {
  await Promise.all(closing.splice(0).map((s) => s.close()))
})

const list = async (app: ReturnType<typeof createApp>, query = '') =>
  (await expectConforms(await app.request(`/__mock/requests${query}`), 'listMockRequests')).data

describe("what the journal keeps of the mock's answer", () => {
  it('keeps the status, the headers and the whole body of a small answer', async () => {
    const app = createApp()
    const res = await get(app, '/api/v1/agents/agent-uuid/webhooks/webhook-uuid')
    const sent = await res.text()
    const [entry] = await list(app)
    expect(entry.status).toBe(200)
    expect(entry.answer.headers).toMatchObject({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(sent)) })
    expect(JSON.parse(entry.answer.body)).toEqual(JSON.parse(sent))
    expect(entry.answer.body_truncated).toBeUndefined()
  })

  it(`keeps the first ${JOURNAL_BODY_BYTES} bytes of a long answer and marks it truncated`, async () => {
    const app = createApp()
    await get(app, `${DOCS_LOGS}?per_page=50`)
    const [entry] = await list(app)
    expect(entry.answer.body_truncated).toBe(true)
    // The bytes kept, plus at most the marker of a string the bound cut.
    expect(Buffer.byteLength(entry.answer.body)).toBeLessThanOrEqual(JOURNAL_BODY_BYTES + '"[redacted]'.length)
    expect(entry.answer.body.startsWith('{"success":true,"data":[')).toBe(true)
  })

  // Issue 28: a copy of every answer per entry was ~20 MB of the server's RSS under load.
  it(`keeps the bodies of the newest answers only, ${JOURNAL_ANSWER_BYTES / 1024 / 1024} MiB together, and shows an older answer's headers with body_dropped`, async () => {
    const app = createApp()
    const newest = JOURNAL_ANSWER_BYTES / JOURNAL_BODY_BYTES
    for (let i = 0; i < newest + 40; i++) await get(app, `${DOCS_LOGS}?per_page=50`)
    const entries = await list(app, '?limit=1000')
    expect(entries).toHaveLength(newest + 40)
    const kept = entries.filter((e) => e.answer.body !== undefined)
    expect(kept.length).toBeGreaterThanOrEqual(newest - 1)
    expect(kept.length).toBeLessThanOrEqual(newest)
    expect(entries.slice(0, kept.length)).toEqual(kept)
    for (const entry of entries.slice(kept.length)) {
      expect(entry.answer).toEqual({ headers: expect.objectContaining({ 'content-type': 'application/json' }), body_dropped: true })
    }
  })

  it("shows a webhook URL's user info and query values redacted in the answer, whole or cut", async () => {
    const app = createApp()
    const secretUrl = 'http://USERSECRET:PASSSECRET@127.0.0.1:3999/in?api_key=QUERYSECRET'
    const created = await send(app, 'POST', '/api/v1/agents/agent-uuid/webhooks', {
      name: 'x'.repeat(200),
      webhook_url: secretUrl,
      events: ['event_phone_call_ended'],
      custom_headers: [{ key: 'X-Team', value: 'HEADERSECRET' }],
    })
    expect(created.status).toBe(201)
    expect(await created.text()).toContain('QUERYSECRET')
    await get(app, '/api/v1/agents/agent-uuid/webhooks')
    const small = createApp({ journalSize: 100_000 })
    await send(small, 'POST', '/api/v1/agents/agent-uuid/webhooks', {
      name: 'Cut',
      webhook_url: secretUrl,
      events: ['event_phone_call_ended'],
      custom_headers: [{ key: 'X-Team', value: 'HEADERSECRET' }],
    })
    const entries = [...(await list(app)), ...(await list(small))]
    expect(entries.filter((e) => e.answer?.body_truncated)).not.toHaveLength(0)
    for (const entry of entries) {
      expect(entry.answer.body).toBeDefined()
      expect(JSON.stringify(entry.answer)).not.toMatch(/USERSECRET|PASSSECRET|QUERYSECRET|HEADERSECRET/)
    }
  })

  it('shows nothing of a secret whichever byte of it the bound cuts at', async () => {
    const body = { name: 'Cut', webhook_url: 'http://USERSECRET:PASSSECRET@127.0.0.1:3999/in?api_key=QUERYSECRET', events: ['event_phone_call_ended'] }
    const whole = await (await send(createApp(), 'POST', '/api/v1/agents/agent-uuid/webhooks', body)).text()
    for (const secret of ['USERSECRET', 'PASSSECRET', 'QUERYSECRET']) {
      for (const extra of [1, 4, 9]) {
        const share = whole.indexOf(secret) + extra
        const app = createApp({ journalSize: Math.floor(JOURNAL_BODIES_BYTES / share) })
        expect(bodyShare(Math.floor(JOURNAL_BODIES_BYTES / share))).toBeGreaterThanOrEqual(share)
        await send(app, 'POST', '/api/v1/agents/agent-uuid/webhooks', body)
        const [entry] = await list(app)
        expect(entry.answer.body_truncated).toBe(true)
        expect(entry.answer.body).not.toMatch(/USER|PASS|QUERY/)
      }
    }
  })

  it('keeps no answer when a network fault changed what the client got', async () => {
    const app = createApp()
    await get(app, DOCS_LOGS, { 'X-Mock-Fault': 'truncate' }).catch(() => undefined)
    await get(app, DOCS_LOGS, { 'X-Mock-Status': '503' })
    const [status, truncated] = await list(app)
    expect(status.fault).toMatchObject({ kind: 'status', status: 503 })
    expect(status.answer.headers['content-type']).toBe('application/json')
    expect(truncated.fault?.kind).toBe('truncate')
    expect(truncated.answer).toBeUndefined()
  })

  it('keeps the answer of a page the answer cache wrote on a real socket', async () => {
    const server = await startServer()
    closing.push(server)
    const bodies: string[] = []
    for (let i = 0; i < 3; i++) bodies.push(await (await fetch(`${server.url}/api/v1/agents/agent-uuid/webhooks`, { headers: auth() })).text())
    const entries = (await expectConforms(await fetch(`${server.url}/__mock/requests`), 'listMockRequests')).data
    expect(entries).toHaveLength(3)
    for (const entry of entries) expect(JSON.parse(entry.answer.body)).toEqual(JSON.parse(bodies[0]!))
  })
})
