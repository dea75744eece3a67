// The retry endpoint end to end through app.request(): retry → list → settle → list. Time runs on
// an injected clock, so "2 seconds later" costs nothing.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createApp, type AppOptions } from '../../src/app.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, auth, get, send } from '../support/http.js'

const DAY = 86_400_000

/** An app on a hand-driven clock: `advance(ms)` moves the retry clock. */
function setup(options: AppOptions = {}) {
  let t = 1_000_000
  const app = createApp({ ...options, faults: { clock: () => t, ...options.faults } })
  const retry = (logId: string, headers: Record<string, string> = {}, base = DOCS_LOGS) =>
    Promise.resolve(app.request(`${base}/${logId}/retry`, { method: 'POST', headers: { ...auth(), ...headers } }))
  const list = async (query = '', headers: Record<string, string> = {}, base = DOCS_LOGS) =>
    expectConforms(await get(app, `${base}${query}`, headers), 'listWebhookLogs')
  return { app, retry, list, advance: (ms: number) => void (t += ms) }
}

describe('retrying a failed delivery', () => {
  it('queues a new pending row on top, which settles after the settle delay', async () => {
    const { retry, list, advance } = setup()
    const before = await list('?per_page=50')
    const original = before.data.find((r: any) => r.id === 'log-uuid-2')
    expect(original).toMatchObject({ status: 'failed', attempt: 3 })

    const res = await retry('log-uuid-2')
    expect(res.status).toBe(200)
    const body = await expectConforms(res, 'retryWebhookLog')
    expect(body).toMatchObject({
      success: true,
      message: 'Webhook retry queued successfully',
      data: { original_log_id: 'log-uuid-2', queued_at: '2024-01-15T12:00:00Z' },
    })

    const after = await list('?per_page=50')
    expect(after.pagination.total).toBe(before.pagination.total + 1)
    const [row] = after.data
    expect(row).toMatchObject({ id: body.data.log_id, status: 'pending', attempt: 4, event: original.event, created_at: body.data.queued_at })
    expect(Object.keys(row).sort()).toEqual(['attempt', 'created_at', 'event', 'id', 'request_payload', 'status', 'webhook_id'])
    expect(after.data.slice(1)).toEqual(before.data.slice(0, 49))
    expect(after.data.find((r: any) => r.id === 'log-uuid-2')).toEqual(original)

    advance(1999)
    expect((await list()).data[0].status).toBe('pending')
    advance(1)
    const settled = (await list()).data[0]
    expect(['success', 'failed']).toContain(settled.status)
    expect(settled).toMatchObject({ id: row.id, attempt: 4, created_at: row.created_at })
  })

  it('shifts every page consistently: the list read in pages is the old list with one row on top', async () => {
    const { retry, list } = setup()
    const pages = async () => {
      const rows = []
      for (let page = 1; page <= 11; page++) rows.push(...(await list(`?per_page=25&page=${page}`)).data)
      return rows
    }
    const before = await pages()
    await retry('log-uuid-2')
    const after = await pages()
    expect(after).toHaveLength(before.length + 1)
    expect(after.slice(1)).toEqual(before)
  })

  it('shares the original delivery payload with the settled success row', async () => {
    const { retry, list, advance } = setup()
    await retry('log-uuid-2', { 'X-Mock-Retry-Outcome': 'success' })
    const pending = (await list()).data[0]
    advance(2000)
    const done = (await list()).data[0]
    expect(done).toMatchObject({ status: 'success', request_payload: pending.request_payload, attempt: 4 })
    expect(done.http_status).toBeGreaterThanOrEqual(200)
    expect(done.delivered_at >= done.created_at).toBe(true)
  })

  it('lets a retry that settled as failed be retried again, with the next attempt number', async () => {
    const { retry, list, advance } = setup({ retrySettleMs: 0 })
    const first = await expectConforms(await retry('log-uuid-2', { 'X-Mock-Retry-Outcome': 'failed' }), 'retryWebhookLog')
    const failed = (await list()).data[0]
    expect(failed).toMatchObject({ id: first.data.log_id, status: 'failed', attempt: 4 })
    expect(failed.error).toBeTruthy()
    advance(5000)
    const second = await expectConforms(await retry(first.data.log_id, { 'X-Mock-Retry-Outcome': 'success' }), 'retryWebhookLog')
    expect(second.data.original_log_id).toBe(first.data.log_id)
    // Stamped with the frozen clock's instant, not the instant plus the real seconds since start.
    expect(second.data.queued_at).toBe('2024-01-15T12:00:00Z')
    const rows = (await list()).data
    expect(rows.slice(0, 2).map((r: any) => [r.attempt, r.status])).toEqual([
      [5, 'success'],
      [4, 'failed'],
    ])
    // A success is final.
    expect((await retry(second.data.log_id)).status).toBe(422)
  })

  it('gives concurrent retries of one log their own rows with consecutive attempts', async () => {
    const { retry, list } = setup()
    const responses = await Promise.all(Array.from({ length: 5 }, () => retry('log-uuid-2')))
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    const ids = await Promise.all(responses.map(async (r) => (await expectConforms(r, 'retryWebhookLog')).data.log_id))
    expect(new Set(ids).size).toBe(5)
    const top = (await list()).data.slice(0, 5)
    expect(top.map((r: any) => r.attempt).sort()).toEqual([4, 5, 6, 7, 8])
    expect(new Set(top.map((r: any) => r.id))).toEqual(new Set(ids))
  })
})

describe('what cannot be retried', () => {
  const notRetriable = { success: false, message: 'Log cannot be retried', code: 'LOG_NOT_RETRIABLE' }

  it.each([
    ['a success row', 'log-uuid-1'],
    ['a retrying row (an earlier attempt of a failed delivery)', 2],
  ])('answers 422 for %s', async (_name, which) => {
    const { retry, list } = setup()
    const id = typeof which === 'string' ? which : (await list()).data[which].id
    if (typeof which === 'number') expect((await list()).data[which].status).toBe('retrying')
    const res = await retry(id)
    expect(res.status).toBe(422)
    expect(await expectConforms(res, 'retryWebhookLog')).toEqual(notRetriable)
  })

  it('answers 422 for a retry that is still pending', async () => {
    const { retry } = setup()
    const { data } = await expectConforms(await retry('log-uuid-2'), 'retryWebhookLog')
    expect(await expectConforms(await retry(data.log_id), 'retryWebhookLog')).toEqual(notRetriable)
  })

  it("answers 404 once the failed row is older than 30 days at the clock's instant: it has left the list", async () => {
    const { app, retry, advance } = setup()
    // Real time alone does not age a row under a frozen clock: the instant served decides.
    advance(31 * DAY)
    expect((await retry('log-uuid-2')).status).toBe(200)
    expect((await send(app, 'POST', '/__mock/clock', { advance: '29d' })).status).toBe(200)
    expect((await retry('log-uuid-2')).status).toBe(200)
    expect((await send(app, 'POST', '/__mock/clock', { advance: '2d' })).status).toBe(200)
    const gone = await retry('log-uuid-2')
    expect(gone.status).toBe(404)
    expect(await expectConforms(gone, 'retryWebhookLog')).toEqual({ success: false, message: 'Log not found.' })
  })

  it('answers 422 on a disabled webhook', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'talkover-retry-'))
    const file = join(dir, 'off.yaml')
    writeFileSync(
      file,
      'agents:\n  - id: agent-off\n    webhooks:\n      - id: wh-off\n        enabled: false\n        total: 400\n        failure_rate: 0.9\n        max_retries: 0\n',
    )
    const base = '/api/v1/agents/agent-off/webhooks/wh-off/logs'
    const { retry, list } = setup({ fixtures: file })
    const failed = (await list('?per_page=100', {}, base)).data.find((r: any) => r.status === 'failed')
    expect(failed).toBeDefined()
    expect(await expectConforms(await retry(failed.id, {}, base), 'retryWebhookLog')).toEqual(notRetriable)
  })

  it.each([
    ['an id that is not in the history', 'no-such-log'],
    ['a well-formed id of another webhook', '3f1e2d4c-5b6a-4789-8abc-def012345678'],
  ])('answers 404 Log not found. for %s', async (_name, id) => {
    const { retry } = setup()
    const res = await retry(id)
    expect(res.status).toBe(404)
    expect(await expectConforms(res, 'retryWebhookLog')).toEqual({ success: false, message: 'Log not found.' })
  })

  it('answers 400 for a bad X-Mock-Retry-Outcome', async () => {
    const { retry } = setup()
    const res = await retry('log-uuid-2', { 'X-Mock-Retry-Outcome': 'maybe' })
    expect(res.status).toBe(400)
    expect((await expectConforms(res, 'retryWebhookLog')).message).toBe('Invalid X-Mock-Retry-Outcome header "maybe": use success or failed.')
  })
})

describe('retry state', () => {
  it('is byte-identical to the stateless world until a retry is made, and again after reset', async () => {
    const { app, retry } = setup()
    const bytes = async () => (await get(app, `${DOCS_LOGS}?per_page=100`)).text()
    const pristine = await (await get(createApp(), `${DOCS_LOGS}?per_page=100`)).text()
    expect(await bytes()).toBe(pristine)
    await retry('log-uuid-2')
    expect(await bytes()).not.toBe(pristine)
    expect((await app.request('/__mock/reset', { method: 'POST' })).status).toBe(200)
    expect(await bytes()).toBe(pristine)
  })

  it('keeps each X-Mock-Session to its own retries', async () => {
    const { list, retry } = setup()
    const pristine = await list()
    await retry('log-uuid-2', { 'X-Mock-Session': 'test-a' })
    expect((await list('', { 'X-Mock-Session': 'test-a' })).pagination.total).toBe(pristine.pagination.total + 1)
    expect(await list('', { 'X-Mock-Session': 'test-b' })).toEqual(pristine)
    expect(await list()).toEqual(pristine)
  })

  it('clears one session with POST /__mock/reset?session=', async () => {
    const { app, list, retry } = setup()
    await retry('log-uuid-2', { 'X-Mock-Session': 'a' })
    await retry('log-uuid-2', { 'X-Mock-Session': 'b' })
    await app.request('/__mock/reset?session=a', { method: 'POST' })
    const total = (await list()).pagination.total
    expect((await list('', { 'X-Mock-Session': 'a' })).pagination.total).toBe(total)
    expect((await list('', { 'X-Mock-Session': 'b' })).pagination.total).toBe(total + 1)
  })

  it('shows the row a retry created in the journal', async () => {
    const { app, retry } = setup()
    const { data } = await expectConforms(await retry('log-uuid-2'), 'retryWebhookLog')
    const journal = await expectConforms(await app.request('/__mock/requests'), 'listMockRequests')
    const entry = journal.data.find((e: any) => e.method === 'POST')
    expect(entry).toMatchObject({ status: 200, retry: { log_id: data.log_id, original_log_id: 'log-uuid-2' } })
  })

  it('is reproducible: the same seed and steps give the same ids and bytes in a fresh app', async () => {
    const run = async () => {
      const { retry, list, advance } = setup({ seed: 42 })
      await retry('log-uuid-2')
      advance(2500)
      return JSON.stringify(await list())
    }
    expect(await run()).toBe(await run())
  })
})

describe('attempt numbers of manual retries', () => {
  const attemptOf = async (res: Response, list: (q?: string, h?: Record<string, string>, b?: string) => Promise<any>, h = {}, base = DOCS_LOGS) => {
    const { data } = await expectConforms(res, 'retryWebhookLog')
    return (await list('?per_page=100', h, base)).data.find((r: any) => r.id === data.log_id).attempt
  }

  it('count per delivery of one world: another X-Mock-Seed starts again from the row', async () => {
    const { retry, list } = setup()
    for (const want of [4, 5, 6]) expect(await attemptOf(await retry('log-uuid-2'), list)).toBe(want)
    const seven = { 'X-Mock-Seed': '7' }
    expect(await attemptOf(await retry('log-uuid-2', seven), list, seven)).toBe(4)
  })

  it('count per webhook: two webhooks that pin the same log id do not share attempts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'talkover-attempts-'))
    const row = (webhook: string) =>
      `          - { id: same-log, webhook_id: ${webhook}, event: event_phone_call_ended, attempt: 4, status: failed, http_status: 500, error: Internal Server Error, duration_ms: 40, created_at: '2024-01-15T11:00:00Z' }\n`
    writeFileSync(
      join(dir, 'two.yaml'),
      `agents:\n  - id: a\n    webhooks:\n      - id: w1\n        total: 3\n        head:\n${row('w1')}      - id: w2\n        total: 3\n        head:\n${row('w2')}`,
    )
    const { retry, list } = setup({ fixtures: dir })
    const w1 = '/api/v1/agents/a/webhooks/w1/logs'
    const w2 = '/api/v1/agents/a/webhooks/w2/logs'
    for (const want of [5, 6, 7]) expect(await attemptOf(await retry('same-log', {}, w1), list, {}, w1)).toBe(want)
    expect(await attemptOf(await retry('same-log', {}, w2), list, {}, w2)).toBe(5)
  })
})
