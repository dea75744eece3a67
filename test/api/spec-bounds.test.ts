// Every response validates against openapi.yaml whatever was asked before: attempt numbers stay
// within the spec's maximum however often a row is retried, timestamps keep four-digit years, and
// impossible or out-of-range instants are refused instead of rolled over.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { ConfigError, resolveConfig } from '../../src/config.js'
import { FixtureError } from '../../src/world/fixtures.js'
import { formatTimestamp, parseTimestamp } from '../../src/world/time.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, get, send } from '../support/http.js'

const fixture = (yaml: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'talkover-bounds-')), 'f.yaml')
  writeFileSync(file, yaml)
  return file
}
const patch = (app: ReturnType<typeof createApp>, body: unknown) =>
  app.request('/__mock/config', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('attempt numbers', () => {
  it("stop at the spec's maximum of 1000: the retry after attempt 1000 answers 422", async () => {
    let t = 0
    const app = createApp({ retrySettleMs: 0, faults: { clock: () => t } })
    let last = 0
    for (let i = 0; i < 1000; i++) {
      const res = await send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`)
      if (res.status !== 200) {
        const body = await expectConforms(res, 'retryWebhookLog')
        expect(res.status).toBe(422)
        expect(body).toEqual({ success: false, message: 'Log cannot be retried', code: 'LOG_NOT_RETRIABLE' })
        break
      }
      last = i
      t += 1
    }
    expect(last).toBe(1000 - 3 - 1) // attempts 4 … 1000
    const page = await expectConforms(await get(app, `${DOCS_LOGS}?per_page=100`), 'listWebhookLogs')
    expect(Math.max(...page.data.map((r: any) => r.attempt))).toBe(1000)
  })
})

describe('instants', () => {
  it('refuses impossible dates instead of rolling them over', () => {
    for (const now of [
      '2024-02-30T00:00:00Z',
      '2023-02-29T12:00:00Z',
      '2024-04-31T00:00:00Z',
      '2024-01-15T24:00:00Z',
      '2024-01-15T12:60:00Z',
      '2024-13-01T00:00:00Z',
    ]) {
      expect(() => resolveConfig(['--now', now], {}), now).toThrow(ConfigError)
      expect(() => createApp({ now }), now).toThrow(/Invalid now/)
    }
    expect(resolveConfig(['--now', '2024-02-29T12:00:00Z'], {}).config.now).toBe(1709208000)
  })

  it('refuses a PATCHed now before year 1000 (or outside 1971–9998) with 400, and keeps serving valid bodies', async () => {
    const app = createApp()
    for (const now of ['0999-06-01T00:00:00Z', '1970-06-01T00:00:00Z', '9999-06-01T00:00:00Z', '2024-02-30T00:00:00Z']) {
      const res = await patch(app, { now })
      expect(res.status, now).toBe(400)
      expect((await expectConforms(res, 'updateMockConfig')).message).toMatch(/^Invalid now/)
    }
    const { data } = await expectConforms(await app.request('/__mock/config'), 'getMockConfig')
    expect(data.now).toBe('2024-01-15T12:00:00Z')
    expect((await patch(app, { now: '1971-01-01T00:00:00Z' })).status).toBe(200)
    await expectConforms(await get(app, '/api/v1/agents/a/webhooks/w/logs?per_page=100'), 'listWebhookLogs')
    await expectConforms(await get(app, '/api/v1/agents/a/webhooks/w'), 'getAgentWebhook')
    expect((await patch(app, { now: '9998-12-31T23:59:59Z' })).status).toBe(200)
    await expectConforms(await get(app, '/api/v1/agents/a/webhooks/w/logs?per_page=100'), 'listWebhookLogs')
  })

  it('writes years before 1000 with four digits (a fixture row may hold one)', async () => {
    expect(formatTimestamp(parseTimestamp('0999-05-30T10:15:41Z'))).toBe('0999-05-30T10:15:41Z')
    expect(formatTimestamp(parseTimestamp('0001-01-01T00:00:00Z'))).toBe('0001-01-01T00:00:00Z')
    const file = fixture(
      "agents:\n  - id: old\n    webhooks:\n      - id: w\n        total: 1\n        head:\n          - { id: r, webhook_id: w, event: event_action, attempt: 1, status: pending, request_payload: {}, created_at: '0999-05-30T10:15:41Z' }\n",
    )
    const page = await expectConforms(await get(createApp({ fixtures: file }), '/api/v1/agents/old/webhooks/w/logs'), 'listWebhookLogs')
    expect(page.data[0].created_at).toBe('0999-05-30T10:15:41Z')
  })

  it('refuses a fixture row with an impossible date, naming where', () => {
    const file = fixture(
      "agents:\n  - id: a\n    webhooks:\n      - id: w\n        head:\n          - { id: r, webhook_id: w, event: event_action, attempt: 1, status: pending, request_payload: {}, created_at: '2024-02-30T10:00:00Z' }\n",
    )
    expect(() => createApp({ fixtures: file })).toThrow(FixtureError)
    expect(() => createApp({ fixtures: file })).toThrow(/\/agents\/0\/webhooks\/0\/head\/0\/created_at: must be a real UTC time/)
  })
})
