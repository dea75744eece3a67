// Retries made at different instants (X-Mock-Now, a moved anchor, a moved clock): every row of the
// list appears exactly once across its pages, newest first, and a retry row dated after the
// instant being served is not shown.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, auth, get, send } from '../support/http.js'

function setup() {
  let t = 1_000_000
  const app = createApp({ faults: { clock: () => t } })
  const retry = (logId: string, headers: Record<string, string> = {}) =>
    Promise.resolve(app.request(`${DOCS_LOGS}/${logId}/retry`, { method: 'POST', headers: { ...auth(), ...headers } }))
  /** Every page of the list at one instant, per_page rows each. */
  const all = async (headers: Record<string, string>, perPage = 25) => {
    const rows: any[] = []
    let total = 0
    for (let page = 1; ; page++) {
      const body = await expectConforms(await get(app, `${DOCS_LOGS}?per_page=${perPage}&page=${page}`, headers), 'listWebhookLogs')
      total = body.pagination.total
      rows.push(...body.data)
      if (page >= body.pagination.last_page) break
    }
    return { rows, total }
  }
  return { app, retry, all, advance: (ms: number) => void (t += ms) }
}

const ids = (rows: any[]) => rows.map((r) => r.id)
const newestFirst = (rows: any[]) => rows.every((r, i) => i === 0 || rows[i - 1].created_at >= r.created_at)

describe('retries made at different instants', () => {
  it('lists every row once, newest first, after a retry at a later X-Mock-Now then one at the anchor', async () => {
    const { retry, all } = setup()
    const later = await (await retry('log-uuid-2', { 'X-Mock-Now': '2024-01-16T12:00:00Z' })).json()
    const atAnchor = await (await retry('log-uuid-2')).json()
    for (const perPage of [7, 25, 100]) {
      const { rows, total } = await all({ 'X-Mock-Now': '2024-01-17T12:00:00Z' }, perPage)
      expect(rows).toHaveLength(total)
      expect(new Set(ids(rows)).size).toBe(total)
      expect(ids(rows)).toContain(later.data.log_id)
      expect(ids(rows)).toContain(atAnchor.data.log_id)
      expect(newestFirst(rows)).toBe(true)
    }
  })

  it('does not show a retry row dated after the instant being served', async () => {
    const { retry, all } = setup()
    const later = await (await retry('log-uuid-2', { 'X-Mock-Now': '2024-01-16T12:00:00Z' })).json()
    const atAnchor = await all({})
    expect(ids(atAnchor.rows)).not.toContain(later.data.log_id)
    expect(atAnchor.rows).toHaveLength(atAnchor.total)
    const between = await all({ 'X-Mock-Now': '2024-01-16T11:59:59Z' })
    expect(ids(between.rows)).not.toContain(later.data.log_id)
    const at = await all({ 'X-Mock-Now': '2024-01-16T12:00:00Z' })
    expect(ids(at.rows)).toContain(later.data.log_id)
    expect(at.total).toBe(between.total + 1)
  })

  it('lists every row once after retries at a moved clock and a moved anchor (PATCH now)', async () => {
    const { app, retry, all } = setup()
    expect((await send(app, 'POST', '/__mock/clock', { set: '2024-01-16T12:00:00Z' })).status).toBe(200)
    const first = await (await retry('log-uuid-2')).json()
    // A new anchor restarts the clock there, earlier than the first retry.
    expect((await send(app, 'PATCH', '/__mock/config', { now: '2024-01-15T18:00:00Z' })).status).toBe(200)
    const second = await (await retry('log-uuid-2')).json()
    const { rows, total } = await all({ 'X-Mock-Now': '2024-01-17T12:00:00Z' })
    expect(rows).toHaveLength(total)
    expect(new Set(ids(rows)).size).toBe(total)
    expect(ids(rows)).toEqual(expect.arrayContaining([first.data.log_id, second.data.log_id]))
    expect(newestFirst(rows)).toBe(true)
  })

  it('orders many retries made out of order by their instants', async () => {
    const { retry, all } = setup()
    const made: string[] = []
    for (const day of ['16', '15', '17', '15', '16']) {
      const headers = day === '15' ? {} : { 'X-Mock-Now': `2024-01-${day}T09:30:00Z` }
      made.push((await (await retry('log-uuid-2', headers)).json()).data.log_id)
    }
    const { rows, total } = await all({ 'X-Mock-Now': '2024-01-18T00:00:00Z' }, 10)
    expect(new Set(ids(rows)).size).toBe(total)
    expect(ids(rows)).toEqual(expect.arrayContaining(made))
    expect(newestFirst(rows)).toBe(true)
  })
})
