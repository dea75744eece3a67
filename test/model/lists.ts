// The invariants of a webhook's log list in the model-based test: read every page of it at one
// instant from both apps and check that every row appears exactly once, newest first, that `total`
// counts them, that the history rows are the pure world's (the oracle's) and the retry rows are the
// model's: those made at or before the instant show, later ones never do.
import { expect } from 'vitest'
import { ALWAYS_FAILS, iso, retriesAt, type SessionModel, type Target } from './model.js'
import { both, toOracle, type Real } from './real.js'

export const logsPath = (t: Target) =>
  t.owner === 'agent' ? `/api/v1/agents/${t.ownerId}/webhooks/${t.webhookId}/logs` : `/api/v1/campaigns/${t.ownerId}/webhooks/${t.webhookId}/logs`
export const listOp = (t: Target) => (t.owner === 'agent' ? 'listWebhookLogs' : 'listCampaignWebhookLogs')

/** The last page of a list (campaign pages have no `last_page`: it follows from `total`). */
const lastPage = (p: { total: number; per_page: number }) => Math.max(1, Math.ceil(p.total / p.per_page))

export interface Row {
  id: string
  status: string
  attempt: number
  created_at: string
}

/** Every page (per_page 100) of a list, from both apps at the same real instant. */
async function allPages(real: Real, t: Target, headers: Record<string, string | undefined>): Promise<{ rows: Row[]; total: number }> {
  const rows: Row[] = []
  let total = -1
  for (let page = 1; page <= 1000; page++) {
    const res = await both(real, 0, { url: `${logsPath(t)}?per_page=100&page=${page}`, headers }, listOp(t))
    expect(res.status).toBe(200)
    if (total >= 0) expect(res.body.pagination.total, 'total is the same on every page').toBe(total)
    total = res.body.pagination.total
    rows.push(...res.body.data)
    if (page >= lastPage(res.body.pagination)) break
  }
  return { rows, total }
}

/** The pure world's list of a declared webhook at `instant` under `seed` (the oracle's, every page). */
export async function historyAt(real: Real, t: Target, instant: number, seed: number): Promise<Row[]> {
  const out: Row[] = []
  for (let page = 1; ; page++) {
    const headers = { 'X-Mock-Now': new Date(instant * 1000).toISOString(), 'X-Mock-Seed': String(seed) }
    const body = await toOracle(real, { url: `${logsPath(t)}?per_page=100&page=${page}`, headers }, listOp(t))
    out.push(...body.data)
    if (page >= lastPage(body.pagination)) return out
  }
}

export interface ListCheck {
  real: Real
  s: SessionModel
  t: Target
  key: string
  /** The instant served, epoch seconds, and the headers that ask for it. */
  instant: number
  headers: Record<string, string | undefined>
  seed: number
  created: boolean
  /** The page the command asked for, already answered: it must be its slice of the whole list. */
  page: { rows: Row[]; page: number; perPage: number; total: number }
}

/** Checks the whole list and returns its rows. */
export async function checkList(c: ListCheck): Promise<Row[]> {
  const { rows, total } = await allPages(c.real, c.t, c.headers)
  const ids = rows.map((r) => r.id)
  expect(new Set(ids).size, `every row once: ${ids.length} rows, ${new Set(ids).size} distinct`).toBe(ids.length)
  expect(rows.length, '`total` counts the rows of all pages').toBe(total)
  expect(c.page.total).toBe(total)
  for (let i = 1; i < rows.length; i++) {
    if (rows[i - 1].created_at < rows[i].created_at)
      throw new Error(`not newest first: row ${i - 1} ${rows[i - 1].created_at} before row ${i} ${rows[i].created_at}`)
  }
  const from = (c.page.page - 1) * c.page.perPage
  expect(c.page.rows, `page ${c.page.page} of ${c.page.perPage} is its slice of the whole list`).toEqual(rows.slice(from, from + c.page.perPage))

  const history: Row[] = c.created ? [] : await historyAt(c.real, c.t, c.instant, c.seed)
  const { must, may, never } = retriesAt(c.s, c.key, c.instant)
  const byId = new Map(rows.map((r) => [r.id, r]))
  for (const h of history) expect(byId.get(h.id), `history row ${h.id} is served as the pure world has it`).toEqual(h)
  for (const r of must) {
    expect(byId.has(r.id), `retry row ${r.id} (queued ${r.queuedAt}) shows at ${c.instant}`).toBe(true)
    expect(byId.get(r.id)?.created_at, `retry row ${r.id} is dated at the instant it was made at, whatever the real time`).toBe(iso(r.queuedAt))
  }
  for (const r of never) expect(byId.has(r.id), `retry row ${r.id} queued at ${r.queuedAt} does not show at the earlier ${c.instant}`).toBe(false)
  const known = new Set([...history.map((h) => h.id), ...must.map((r) => r.id), ...may.map((r) => r.id)])
  for (const id of ids) expect(known.has(id), `row ${id} is a history row or a retry the model made`).toBe(true)
  if (ALWAYS_FAILS.has(`${c.t.ownerId}/${c.t.webhookId}`)) {
    for (const h of history) if (h.attempt === 1) expect(h.status, `failure_rate 1: row ${h.id} at attempt 1`).not.toBe('success')
  }
  return rows
}
