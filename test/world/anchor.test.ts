// Pinned fixture rows and --now: a fixture that declares the `anchor` it was written for (the
// default fixtures declare 2024-01-15T12:00:00Z) moves its rows with `now`, keeping their distance
// from it; a fixture without an anchor (e.g. a recording of real logs) keeps its instants. At the
// default anchor the docs example stays byte-exact (its golden page is checked in logs.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { FixtureError } from '../../src/world/fixtures.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, get, send } from '../support/http.js'

const CAMPAIGN_LOGS = '/api/v1/campaigns/campaign-uuid/webhooks/webhook-uuid-1/logs'
const dir = mkdtempSync(join(tmpdir(), 'talkover-anchor-'))
const fixture = (name: string, text: string) => {
  writeFileSync(join(dir, name), text)
  return join(dir, name)
}
const ROW =
  "{ id: r1, webhook_id: w, event: event_action, attempt: 1, status: failed, http_status: 500, error: Internal Server Error, duration_ms: 40, created_at: '2024-01-15T11:00:00Z' }"
const file = (anchor: string) =>
  `${anchor}agents:\n  - id: a\n    webhooks:\n      - id: w\n        total: 5\n        max_retries: 0\n        head:\n          - ${ROW}\n`
const list = async (app: ReturnType<typeof createApp>, url: string) =>
  (await expectConforms(await get(app, `${url}?per_page=100`), url.includes('/campaigns/') ? 'listCampaignWebhookLogs' : 'listWebhookLogs')).data
const at = (iso: string) => Date.parse(iso) / 1000

describe('the default fixtures under another --now', () => {
  it('keep the docs rows one hour before now, and the README retry of log-uuid-2 works under wall time', async () => {
    const wall = Date.parse('2026-11-30T03:00:00Z')
    const app = createApp({ now: 'wall', faults: { clock: () => wall } })
    const rows = await list(app, DOCS_LOGS)
    expect(rows[0]).toMatchObject({ id: 'log-uuid-1', created_at: '2026-11-30T02:00:00Z', delivered_at: '2026-11-30T02:00:01Z' })
    expect(rows[1]).toMatchObject({ id: 'log-uuid-2', created_at: '2026-11-30T01:55:00Z' })
    const res = await send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`)
    expect(res.status).toBe(200)
    expect((await expectConforms(res, 'retryWebhookLog')).data.queued_at).toBe('2026-11-30T03:00:00Z')
  })

  it('never put a row after now (docs and campaign examples, --now 2023-06-01)', async () => {
    const app = createApp({ now: '2023-06-01T00:00:00Z' })
    for (const url of [DOCS_LOGS, CAMPAIGN_LOGS]) {
      const rows = await list(app, url)
      for (const row of rows) expect(at(row.created_at), `${url} ${row.id}`).toBeLessThanOrEqual(at('2023-06-01T00:00:00Z'))
      expect(at(rows[0].created_at)).toBeGreaterThan(at('2023-05-31T00:00:00Z'))
    }
  })

  it('serve the same rows, shifted, as at the default anchor (only times move)', async () => {
    const shift = at('2025-03-01T12:00:00Z') - at('2024-01-15T12:00:00Z')
    const base = await list(createApp(), DOCS_LOGS)
    const moved = await list(createApp({ now: '2025-03-01T12:00:00Z' }), DOCS_LOGS)
    expect(moved.slice(0, 2).map((r: any) => at(r.created_at) - shift)).toEqual(base.slice(0, 2).map((r: any) => at(r.created_at)))
    expect(moved.slice(0, 2).map((r: any) => ({ ...r, created_at: 0, delivered_at: 0 }))).toEqual(
      base.slice(0, 2).map((r: any) => ({ ...r, created_at: 0, delivered_at: 0 })),
    )
  })
})

describe('a hand-written fixture', () => {
  it('that declares an anchor moves with now', async () => {
    const app = createApp({ fixtures: fixture('anchored.yaml', file("anchor: '2024-01-15T12:00:00Z'\n")), now: '2025-01-01T00:00:00Z' })
    expect((await list(app, '/api/v1/agents/a/webhooks/w/logs'))[0]).toMatchObject({ id: 'r1', created_at: '2024-12-31T23:00:00Z' })
  })

  it('that declares no anchor (a recording) keeps its instants under any now', async () => {
    const app = createApp({ fixtures: fixture('recorded.yaml', file('')), now: '2025-01-01T00:00:00Z' })
    expect((await list(app, '/api/v1/agents/a/webhooks/w/logs'))[0]).toMatchObject({ id: 'r1', created_at: '2024-01-15T11:00:00Z' })
  })

  it('is refused when its anchor is not a real time, or a row lies after it', () => {
    expect(() => createApp({ fixtures: fixture('bad.yaml', file("anchor: 'yesterday'\n")) })).toThrow(FixtureError)
    expect(() => createApp({ fixtures: fixture('bad2.yaml', file("anchor: '2024-02-30T00:00:00Z'\n")) })).toThrow(/at \/anchor: must be a real UTC time/)
    expect(() => createApp({ fixtures: fixture('bad3.yaml', file("anchor: '2024-01-15T10:00:00Z'\n")) })).toThrow(
      /head\/0\/created_at: must not be after the fixture's anchor/,
    )
  })
})
