// Record from a mock (in process) and replay the recording: same bytes with anonymisation off,
// consistent fakes with it on, and the rest of the mock (retries, sessions, --now) on top.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { loadSpec } from '../../src/http/spec.js'
import { FixtureError, loadFixtures } from '../../src/world/fixtures.js'
import { runRecord, type RecordSettings } from '../../src/record/command.js'
import { expectConforms } from '../support/contract.js'
import { auth, get, send } from '../support/http.js'

const dir = mkdtempSync(join(tmpdir(), 'talkover-replay-'))
const TOKEN = 'talq_recording_secret_42'
const AT = Date.parse('2026-11-30T03:00:00Z')
let n = 0

/** Records from `upstream` (an app answering in process) into a new file; returns its path and summary. */
async function record(upstream: Hono, over: Partial<RecordSettings> = {}) {
  const out = join(dir, `r${n++}.yaml`)
  const settings: RecordSettings = {
    upstream: 'http://upstream.test',
    token: TOKEN,
    owner: 'agent',
    ownerId: 'agent-uuid',
    webhookIds: ['webhook-uuid'],
    out,
    anonymise: false,
    seed: 1,
    rate: 60_000,
    ...over,
  }
  const fetch = ((url: URL, init: RequestInit) => upstream.request(url, init)) as unknown as typeof globalThis.fetch
  const summary = await runRecord(settings, { clock: () => AT, fetch, sleep: async () => {} })
  return { out, summary, text: readFileSync(out, 'utf8') }
}

const bytes = async (app: Hono, url: string, headers: Record<string, string> = {}) => Buffer.from(await (await get(app, url, headers)).arrayBuffer())

describe('record, then replay', () => {
  const upstream = createApp()

  it('serves every page of the recording byte for byte as the upstream served it (anonymisation off)', async () => {
    // All the agent's webhooks; the million-row one capped, so the docs webhook is whole.
    const { out, summary, text } = await record(upstream, { webhookIds: [], maxRows: 300 })
    expect(summary).toMatch(/^Recorded 547 rows of 2 webhooks into .* \(not anonymised; 0 secrets removed\)\.$/)
    expect(text).not.toContain(TOKEN)
    const replay = createApp({ fixtures: out })
    const path = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs'
    for (const perPage of [100, 25, 7]) {
      const last = Math.ceil(247 / perPage)
      for (let page = 1; page <= last + 1; page++) {
        const url = `${path}?per_page=${perPage}&page=${page}`
        expect((await bytes(replay, url)).equals(await bytes(upstream, url)), url).toBe(true)
      }
    }
    await expectConforms(await get(replay, `${path}?per_page=100`), 'listWebhookLogs')
  })

  it('records a campaign webhook too', async () => {
    const { out } = await record(upstream, { owner: 'campaign', ownerId: 'campaign-uuid', webhookIds: ['webhook-uuid-1'] })
    const replay = createApp({ fixtures: out })
    for (const q of ['per_page=100', 'per_page=10&page=5', 'per_page=10&page=6']) {
      const url = `/api/v1/campaigns/campaign-uuid/webhooks/webhook-uuid-1/logs?${q}`
      expect((await bytes(replay, url)).equals(await bytes(upstream, url)), url).toBe(true)
    }
  })

  it('caps a recording at --max-rows, keeping the newest rows', async () => {
    const { out, text } = await record(upstream, { maxRows: 150 })
    expect(text).toContain('max_rows: 150')
    const replay = await (await get(createApp({ fixtures: out }), '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=100&page=2')).json()
    const original = await (await get(upstream, '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=100&page=2')).json()
    expect(replay.pagination).toEqual({ current_page: 2, per_page: 100, total: 150, last_page: 2 })
    expect(replay.data).toEqual(original.data.slice(0, 50))
  })

  it('is history: the same bytes whatever --now the replay runs at', async () => {
    const { out } = await record(upstream)
    const url = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=100&page=2'
    const at2030 = await bytes(createApp({ fixtures: out, now: '2030-06-01T00:00:00Z' }), url)
    expect(at2030.equals(await bytes(upstream, url))).toBe(true)
  })

  it('keeps retries, sessions and faults working on top of the recording', async () => {
    const { out } = await record(upstream)
    const replay = createApp({ fixtures: out, retrySettleMs: 0 })
    const path = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs'
    const session = { 'x-mock-session': 'incident' }
    const retried = await send(replay, 'POST', `${path}/log-uuid-2/retry`, undefined, session)
    const queued = await expectConforms(retried, 'retryWebhookLog')
    const page = await expectConforms(await get(replay, `${path}?per_page=100`, session), 'listWebhookLogs')
    expect(page.pagination.total).toBe(248)
    expect(page.data[0]).toMatchObject({ id: queued.data.log_id, event: 'event_phone_call_started', attempt: 4 })
    // The recorded failed attempt shows no payload, so its redelivery sends none it could invent.
    if (page.data[0].status === 'success') expect(page.data[0].request_payload).toEqual({})
    const original = await (await get(upstream, `${path}?per_page=100`)).json()
    expect(page.data.slice(1)).toEqual(original.data.slice(0, 99))
    // Faults apply to a recorded webhook like to any other.
    expect((await get(replay, `${path}?per_page=100`, { 'x-mock-status': '503' })).status).toBe(503)
    // Another session still sees the recording untouched.
    expect((await bytes(replay, `${path}?per_page=100`)).equals(await bytes(upstream, `${path}?per_page=100`))).toBe(true)
  })

  it('is history for a moving clock too: two days on, the recording reads the same (no rows invented on top)', async () => {
    const { out } = await record(upstream)
    const replay = createApp({ fixtures: out })
    const path = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=100'
    const before = await (await get(replay, path)).json()
    const moved = await replay.request('/__mock/clock', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance: '2d' }),
    })
    expect(moved.status).toBe(200)
    const after = await expectConforms(await get(replay, path), 'listWebhookLogs')
    expect(after.data).toEqual(before.data)
    for (const page of [2, 3]) {
      const url = `${path}&page=${page}`
      expect((await bytes(replay, url)).equals(await bytes(upstream, url)), url).toBe(true)
    }
  })

  it('anonymises consistently: attempts of one delivery keep sharing a payload, and the same seed gives the same file', async () => {
    const a = await record(upstream, { anonymise: true, seed: 42 })
    const b = await record(upstream, { anonymise: true, seed: 42 })
    expect(b.text).toBe(a.text)
    expect(a.text).toMatch(/anonymised: true\n {2}seed: 42\n {2}replaced:\n {4}phone_numbers: [1-9]\d*\n {4}emails: 0\n {4}names: 0\n {4}ids: [1-9]\d*/)
    const path = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=100'
    const before = (await (await get(upstream, path)).json()).data
    const after = (await (await get(createApp({ fixtures: a.out }), path)).json()).data
    expect(after.map((r: any) => [r.id, r.status, r.attempt, r.created_at, r.duration_ms])).toEqual(
      before.map((r: any) => [r.id, r.status, r.attempt, r.created_at, r.duration_ms]),
    )
    // Same original payload <=> same fake payload, over the whole page.
    const fakeOf = new Map<string, string>()
    for (const [i, row] of before.entries()) {
      if (!row.request_payload) continue
      const original = JSON.stringify(row.request_payload)
      const fake = JSON.stringify(after[i].request_payload)
      expect(fake).not.toBe(original)
      expect(fakeOf.get(original) ?? fake).toBe(fake)
      fakeOf.set(original, fake)
    }
    expect(new Set(fakeOf.values()).size).toBe(fakeOf.size)
  })
})

describe('invalid recordings', () => {
  const webhook = (lines: string) => `agents:\n  - id: a\n    webhooks:\n      - id: w\n${lines.replace(/^/gm, '        ')}\n`
  const rowText = (id: string) => JSON.stringify({ id, webhook_id: 'w', event: 'e', attempt: 1, status: 'success', created_at: '2024-01-15T11:00:00Z' })
  it.each([
    [
      'a line that is not JSON',
      webhook(`recorded_rows: |\n  ${rowText('r1')}\n  {"id":`),
      'at /agents/0/webhooks/0/recorded_rows/line 2: must be one JSON object',
    ],
    [
      'a row id used twice',
      webhook(`recorded_rows: |\n  ${rowText('r1')}\n  ${rowText('r1')}`),
      'at /agents/0/webhooks/0/recorded_rows/line 2/id: must be unique, but "r1" is used twice',
    ],
    [
      'a row without created_at',
      webhook(`recorded_rows: |\n  {"id":"r1","event":"e","attempt":1,"status":"success"}`),
      'line 1/created_at: must be a time like 2024-01-15T11:00:00Z',
    ],
    [
      'head rows next to recorded rows',
      webhook(`total: 3\nrecorded_rows: |\n  ${rowText('r1')}`),
      'at /agents/0/webhooks/0/total: must not be present on a recorded webhook',
    ],
  ])('stop start-up with one sentence: %s', (_, text, message) => {
    const file = join(dir, `bad${n++}.yaml`)
    writeFileSync(file, text)
    expect(() => createApp({ fixtures: file })).toThrow(FixtureError)
    expect(() => createApp({ fixtures: file })).toThrow(message)
  })

  it('keeps fields and statuses the spec does not know (a recording of a drifted upstream still replays)', async () => {
    const drifted = JSON.stringify({ id: 'r1', webhook_id: 'w', event: 'e', attempt: 1, status: 'bounced', colour: 'red', created_at: '2024-01-15T11:00:00Z' })
    const file = join(dir, `drifted${n++}.yaml`)
    writeFileSync(file, webhook(`recorded_rows: |\n  ${drifted}`))
    // Marked as a recording in the catalog: history, which nothing may move with --now.
    expect(loadFixtures([file], loadSpec()).agents.get('a')?.get('w')).toMatchObject({ recorded: true, total: 1 })
    const res = await createApp({ fixtures: file }).request('/api/v1/agents/a/webhooks/w/logs', { headers: auth() })
    expect(await res.text()).toBe(`{"success":true,"data":[${drifted}],"pagination":{"current_page":1,"per_page":25,"total":1,"last_page":1}}`)
  })
})
