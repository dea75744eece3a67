// verify against a mock (no drift), a tiny drifted upstream made here, and upstreams it cannot check.
import type { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { runVerify, type VerifySettings } from '../../src/verify/command.js'

const TOKEN = 'talq_verify_secret_9'
const settings: VerifySettings = {
  upstream: 'http://upstream.test',
  token: TOKEN,
  owner: 'agent',
  ownerId: 'agent-uuid',
  webhookIds: [],
  format: 'table',
  rate: 60_000,
  timeout: 30,
}

/** An upstream answering through `app`, each body passed through `rewrite`. */
function upstream(app: Hono, rewrite: (url: URL, body: string, status: number) => [string, number] = (_, b, s) => [b, s]) {
  return (async (url: URL, init: RequestInit) => {
    const res = await app.request(url, init)
    const [body, status] = rewrite(new URL(url), await res.text(), res.status)
    return new Response(body, { status, headers: { 'content-type': 'application/json' } })
  }) as unknown as typeof fetch
}

const verify = (fetch: typeof globalThis.fetch, over: Partial<VerifySettings> = {}) =>
  runVerify({ ...settings, ...over }, { clock: Date.now, fetch, sleep: async () => {} })

/** Talkover tomorrow: logs grow a field, learn a status and rename a key; validation errors change shape. */
const drifted = upstream(createApp(), (url, body, status) => {
  if (!url.pathname.endsWith('/logs')) return [body, status]
  const page = JSON.parse(body)
  if (status === 422) return [JSON.stringify({ error: { code: 'VALIDATION', fields: Object.keys(page.errors) } }), 422]
  page.data = page.data.map((row: any, i: number) => {
    const { created_at, ...rest } = row
    return { ...rest, status: i === 0 ? 'bounced' : row.status, colour: 'red', createdAt: created_at }
  })
  return [JSON.stringify(page), status]
})

describe('talkover-mock verify', () => {
  it('passes on the mock itself', async () => {
    const { status, report } = await verify(upstream(createApp()))
    expect(status).toBe(0)
    expect(report).toMatch(/^No drift: 11 answers of http:\/\/upstream\.test\/api\/v1 match openapi\.yaml\.$/)
  })

  it('finds an extra field, a new status, a renamed key and an error body of another shape', async () => {
    const { status, report } = await verify(drifted)
    expect(status).toBe(1)
    const lines = report.split('\n')
    const line = (kind: string, where: string) => lines.find((l) => l.startsWith(kind) && l.includes(where))
    expect(line('unknown field', '/data/*/colour')).toContain('"colour" is not in openapi.yaml')
    expect(line('unknown field', '/data/*/createdAt')).toBeDefined()
    expect(line('missing required field', '/data/*/created_at')).toContain('"created_at" is required by openapi.yaml but absent')
    expect(line('value outside enum', '/data/*/status')).toContain('"bounced" is not one of "pending", "success", "failed", "retrying"')
    expect(line('error body of another shape', 'listWebhookLogs')).toContain('"VALIDATION"')
    // The same drift in every row is one line, counted: pages 1, 2 and 10,000 of the million-row
    // webhook (3 × 100 rows) and the 247 rows of the docs webhook.
    expect(line('unknown field', '/data/*/colour')).toMatch(/\s547\s/)
    expect(report).not.toContain(TOKEN)
  })

  it('reports drift as JUnit for CI: one test case per call, failures carrying the drift', async () => {
    const { status, report } = await verify(drifted, { format: 'junit' })
    expect(status).toBe(1)
    expect(report).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="talkover-mock verify" tests="11" failures="\d+" errors="0">/)
    expect(report).toContain('<testcase classname="talkover-mock.verify" name="GET /agents/agent-uuid/webhooks (listAgentWebhooks)"/>')
    expect(report).toMatch(
      /<failure message="\d+ drift findings" type="drift">unknown field at \/data\/\*\/colour: &quot;colour&quot; is not in openapi.yaml \(×\d+\)/,
    )
  })

  it('exits 2 when it could not check: the token refused, the agent unknown, the host unreachable', async () => {
    const guarded = await verify(upstream(createApp({ token: 'talq_the_right_one' })))
    expect(guarded.status).toBe(2)
    expect(guarded.report).toBe(
      'Could not check: http://upstream.test refused the token (401), so nothing could be checked. Please check --token or TALKOVER_TOKEN.',
    )
    const closed = createApp({ fixtures: 'test/verify/closed-world.yaml' })
    const unknown = await verify(upstream(closed), { ownerId: 'nobody' })
    expect(unknown).toMatchObject({ status: 2 })
    // One sentence: the 404 itself is no checked answer.
    expect(unknown.report).toBe('Could not check: http://upstream.test has no agent nobody (404), so nothing could be checked. Please check --agent.')
    const down = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })
    }) as unknown as typeof fetch
    const unreachable = await verify(down, { format: 'junit' })
    expect(unreachable.status).toBe(2)
    expect(unreachable.report).toContain(
      '<error message="Failed to reach http://upstream.test (ECONNREFUSED) after 3 tries. Please check --upstream and your network." type="could-not-check"/>',
    )
  })

  it('exits 2 when a webhook it was told to check answers 404: nothing of it was checked', async () => {
    const closed = upstream(createApp({ fixtures: 'test/verify/closed-world.yaml' }))
    const campaign = await verify(closed, { owner: 'campaign', ownerId: 'nobody', webhookIds: ['w'] })
    expect(campaign.status).toBe(2)
    expect(campaign.report).toMatch(
      /^Could not check: http:\/\/upstream\.test has no webhook w of campaign nobody \(404\), so it could not be checked\. Please check --campaign and --webhook\b/,
    )
    const gone = await verify(closed, { ownerId: 'someone', webhookIds: ['gone'] })
    expect(gone.status).toBe(2)
    expect(gone.report).toContain('has no webhook gone of agent someone (404)')
    const junit = await verify(closed, { owner: 'campaign', ownerId: 'nobody', webhookIds: ['w'], format: 'junit' })
    expect(junit.status).toBe(2)
    expect(junit.report).toContain('type="could-not-check"')
  })
})
