// src/record/ owns talking to a real Talkover API and turning what it says into a fixture: the
// polite client (upstream.ts), the exact row texts of a page (page-rows.ts), secrets and the
// anonymiser (secrets.ts, anonymise.ts), the fixture text (fixture-text.ts) and the command
// (command.ts). This file pages through the logs of one owner's webhooks. It may import the
// world's vocabulary (event names) and nothing else of the project; it never touches process.
import { EVENT_NAMES, CAMPAIGN_EVENT_NAMES } from '../world/vocab.js'
import type { Scrubber } from './anonymise.js'
import { dataRows } from './page-rows.js'
import { redactTokens } from './secrets.js'
import type { Upstream, UpstreamResponse } from './upstream.js'

/** The largest page the API serves; a polite client asks for it to make the fewest requests. */
export const PER_PAGE = 100

export type Owner = 'agent' | 'campaign'

/** A recording failed for a reason the person can fix: one sentence, never the token. */
export class RecordError extends Error {
  override name = 'RecordError'
}

export interface Progress {
  /** Rows recorded so far, over every webhook. */
  rows: number
  /** Rows the recording will hold when done (the upstream totals, capped by --max-rows), as far as known. */
  total: number
  requests: number
  elapsedMs: number
}

export interface RecordRequest {
  upstream: Upstream
  owner: Owner
  ownerId: string
  /** Webhooks to record; empty: every webhook of the agent. */
  webhookIds: readonly string[]
  /** Most rows per webhook (the newest ones). */
  maxRows?: number
  scrubber: Scrubber
  clock: () => number
  progress?: (p: Progress) => void
}

/** One recorded webhook: its settings as a fixture declares them, and its rows as JSON lines. */
export interface RecordedWebhook {
  id: string
  settings: Record<string, unknown>
  rows: string[]
  /** The upstream's total when recording started. */
  upstreamTotal: number
  /** Rows seen twice while paging (new deliveries pushed them to the next page), kept once. */
  duplicates: number
}

/**
 * Records the logs and settings of the webhooks of one agent or campaign.
 * @example
 * await recordOwner({ upstream, owner: 'agent', ownerId: 'agent-uuid', webhookIds: [], scrubber, clock: Date.now })
 * //=> [{ id: 'webhook-uuid', settings: { name: 'My Webhook', … }, rows: ['{"id":"log-uuid-1",…}', …] }]
 */
export async function recordOwner(req: RecordRequest): Promise<RecordedWebhook[]> {
  const { upstream, owner, ownerId } = req
  const ownerPath = `/${owner}s/${encodeURIComponent(ownerId)}/webhooks`
  const started = req.clock()
  let webhooks: Record<string, unknown>[]
  if (req.webhookIds.length === 0) {
    const list = (await read(upstream, ownerPath, `${owner} ${ownerId}`)).body
    webhooks = ((list as { data?: { webhooks?: unknown } }).data?.webhooks ?? []) as Record<string, unknown>[]
    if (!Array.isArray(webhooks))
      throw new RecordError(
        `The upstream's list of webhooks of ${owner} ${ownerId} has no data.webhooks array, so there is nothing to record. Please name webhooks with --webhook.`,
      )
  } else {
    webhooks = []
    for (const id of req.webhookIds) {
      const { body: one } = await read(upstream, `${ownerPath}/${encodeURIComponent(id)}`, `webhook ${id} of ${owner} ${ownerId}`)
      webhooks.push(((one as { data?: object }).data ?? { id }) as Record<string, unknown>)
    }
  }
  const out: RecordedWebhook[] = []
  const totals = new Map<string, number>()
  let before = 0
  for (const w of webhooks) {
    const id = String(w.id)
    const settings = settingsOf(owner, w)
    // Anonymised, the webhook's name and URL (host and path: for many hook services the path is the secret) are fakes too.
    req.scrubber.settings(settings as { name?: string; webhook_url?: string })
    const recorded: RecordedWebhook = { id, settings, rows: [], upstreamTotal: 0, duplicates: 0 }
    out.push(recorded)
    const seen = new Set<string>()
    for (let page = 1; ; page++) {
      const answer = await read(upstream, `${ownerPath}/${encodeURIComponent(id)}/logs`, `the logs of webhook ${id}`, { per_page: PER_PAGE, page })
      const body = answer.body as { pagination?: Record<string, number> }
      const rows = dataRows(answer.text)
      const p = body.pagination
      if (!rows || !p || typeof p.total !== 'number')
        throw new RecordError(
          `The upstream's page ${page} of webhook ${id}'s logs has no data array or pagination total, so it cannot be recorded. Please check --upstream points at the Talkover API.`,
        )
      if (page === 1) recorded.upstreamTotal = p.total
      totals.set(id, Math.min(p.total, req.maxRows ?? Infinity))
      for (const text of rows) {
        if (recorded.rows.length >= (req.maxRows ?? Infinity)) break
        const row = JSON.parse(text) as Record<string, unknown>
        if (seen.has(String(row.id))) {
          recorded.duplicates++
          continue
        }
        seen.add(String(row.id))
        // An untouched row keeps its exact bytes (one line: pretty-printed JSON is compacted).
        recorded.rows.push(req.scrubber.row(row) || /[\r\n]/.test(text) ? JSON.stringify(row) : text)
      }
      const total = [...totals.values()].reduce((a, b) => a + b, 0)
      req.progress?.({ rows: before + recorded.rows.length, total, requests: upstream.requests, elapsedMs: req.clock() - started })
      const lastPage = p.last_page ?? Math.max(1, Math.ceil(p.total / (p.per_page || PER_PAGE)))
      if (rows.length === 0 || page >= lastPage || recorded.rows.length >= (req.maxRows ?? Infinity)) break
    }
    before += recorded.rows.length
  }
  return out
}

/** GET a path that must answer 200 with JSON (its text too, for exact row bytes); else a RecordError. */
async function read(upstream: Upstream, path: string, what: string, query?: Record<string, number>): Promise<{ body: unknown; text: string }> {
  const res = await upstream.get(path, query)
  if (res.status !== 200) throw new RecordError(refusal(upstream, res, what))
  try {
    return { body: JSON.parse(res.text), text: res.text }
  } catch {
    throw new RecordError(
      `The upstream answered ${what} with something that is not JSON, so it cannot be recorded. Please check --upstream points at the Talkover API.`,
    )
  }
}

/** Why the upstream said no, in one sentence with its own message. */
function refusal(upstream: Upstream, res: UpstreamResponse, what: string): string {
  let said = ''
  try {
    const message = (JSON.parse(res.text) as { message?: unknown }).message
    if (typeof message === 'string') said = `: "${redactTokens(message.slice(0, 200)).text}"`
  } catch {
    // Not JSON: the status says enough.
  }
  const origin = new URL(upstream.base).origin
  if (res.status === 401 || res.status === 403) return `${origin} refused the token (${res.status})${said}. Please check --token or TALKOVER_TOKEN.`
  if (res.status === 404) return `${origin} has no ${what} (404)${said}. Please check --agent, --campaign and --webhook.`
  return `${origin} answered ${res.status} when asked for ${what}${said}.`
}

/** A webhook's settings as a fixture declares them; events the mock does not know are left out. */
function settingsOf(owner: Owner, w: Record<string, unknown>): Record<string, unknown> {
  const known = new Set<string>(owner === 'agent' ? EVENT_NAMES : CAMPAIGN_EVENT_NAMES)
  const out: Record<string, unknown> = {}
  if (typeof w.name === 'string' && w.name.length > 0 && w.name.length <= 255) out.name = w.name
  const url = typeof w.webhook_url === 'string' && URL.canParse(w.webhook_url) ? new URL(w.webhook_url) : undefined
  // Only scheme, host and path: a query string or user info may carry a secret.
  if (url && /^https?:$/.test(url.protocol)) out.webhook_url = `${url.protocol}//${url.hostname}${url.pathname}`.slice(0, 500)
  if (owner === 'campaign' && typeof w.include_call_events === 'boolean') out.include_call_events = w.include_call_events
  if (Number.isInteger(w.max_retries) && (w.max_retries as number) >= 0 && (w.max_retries as number) <= 10) out.max_retries = w.max_retries
  if (Number.isInteger(w.timeout) && (w.timeout as number) >= 5 && (w.timeout as number) <= 120) out.timeout = w.timeout
  const events = Array.isArray(w.events) ? [...new Set(w.events.filter((e): e is string => typeof e === 'string' && known.has(e)))] : []
  if (events.length > 0) out.events = events
  if (typeof w.enabled === 'boolean') out.enabled = w.enabled
  return out
}
