// Folder api/: the Talkover operations (logs, retries, agent and campaign webhooks), bound by
// operationId. It may import http/, state/, world/, encode/ and clock/; never admin/ or faults/.
//
// Handlers of the Talkover operations, bound by operationId. They read validated input, ask the
// pure generators for data and write JSON; they never build error bodies themselves. The logs
// and retry handlers serve agent and campaign webhooks alike, from the OWNERS table.
import type { Clocks } from '../clock/clock.js'
import { formatInstant, MAX_INSTANT, MAX_INSTANT_TEXT, parseInstant } from '../clock/parse.js'
import { redeliver, redeliveryBlocked, type LiveDeps } from '../delivery/jobs.js'
import { apiError } from '../http/errors.js'
import { encodePage } from '../world/log-json.js'
import { formatTimestamp } from '../world/time.js'
import { OWNERS, type OwnerVariant } from './owners.js'
import { pageKey } from '../encode/page-cache.js'
import { paginate } from '../world/paginate.js'
import type { RetryDesk } from '../state/retries.js'
import { pageWithRetries, retryLog, totalWithRetries, type RetryOutcome } from '../state/retry.js'
import type { Handler } from '../http/routes.js'
import type { SessionBooks } from '../state/sessions.js'
import type { Spec } from '../http/spec.js'
import type { ValidInput } from '../http/validate.js'
import { resolveWebhook, type WebhookBook } from '../state/webhook-overlay.js'
import { webhookHandlers, type Scope } from './webhooks.js'
import { rowCount } from '../world/logs.js'
import { withInstant, withSeed } from '../world/world.js'
import type { World } from '../world/model.js'

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by a successful retry, so the journal shows the row it created. */
    retry: { log_id: string; original_log_id: string }
  }
}

export interface OperationDeps {
  spec: Spec
  /** The current world: admin PATCH /__mock/config may change its seed and anchor while serving. */
  world: () => World
  /** Per-session retry rows and the retry clock. */
  retries: RetryDesk
  /** Per-session webhook writes (create, update, toggle, delete). */
  webhooks: SessionBooks<WebhookBook>
  /** Per-session clocks: the instant each request is answered at. */
  clocks: Clocks
  /** Live delivery (--deliver live): retries and tests reach the receiver for real. */
  live?: LiveDeps
}

/**
 * The handler table for the API and spec operations.
 * @example
 * mountSpec(app, spec, { handlers: operationHandlers({ spec, world, retries }), … })
 */
export function operationHandlers(deps: OperationDeps): Record<string, Handler> {
  const { spec, world, retries, webhooks, clocks, live } = deps
  // The world of a request: its seed (X-Mock-Seed), seen at the session's clock or at X-Mock-Now
  // (checked by withNow below), and the retry clock of its writes.
  const scope: Scope = (input) => {
    const seed = input.headers['x-mock-seed'] as number | undefined
    const session = input.headers['x-mock-session'] as string | undefined
    const pinned = parseInstant(input.headers['x-mock-now'])
    const clock = clocks.of(session)
    const w = withInstant(seed === undefined ? world() : withSeed(world(), seed), pinned ?? clock.now())
    return { w, session, atMs: pinned === undefined ? clock.retryMs : () => pinned * 1000 }
  }
  /** Refuses an X-Mock-Now before the anchor or of a day that does not exist; echoes the instant used. */
  const withNow =
    (handler: Handler): Handler =>
    (request) => {
      const header = request.input.headers['x-mock-now'] as string | undefined
      if (header === undefined) return handler(request)
      const at = parseInstant(header)
      if (at === undefined) {
        // The spec's pattern admits the form; the day itself does not exist (2024-02-30): the hint's sentence.
        const message = `Invalid X-Mock-Now header "${header}": use an ISO-8601 instant with a zone, at or after the anchor, like 2024-01-15T13:00:00Z.`
        return request.respond.error(apiError('badMockHeader', message, 422))
      }
      if (at > MAX_INSTANT) {
        const message = `Invalid X-Mock-Now header "${header}": use an instant at or before ${MAX_INSTANT_TEXT}, the last instant a four-digit-year timestamp can show.`
        return request.respond.error(apiError('badMockHeader', message, 422))
      }
      const anchor = world().now
      if (at < anchor) {
        const message = `Invalid X-Mock-Now header "${header}": use an instant at or after the anchor ${formatInstant(anchor)}; the world has no rows before it.`
        return request.respond.error(apiError('badMockHeader', message, 422))
      }
      const echo = (res: Response) => (res.headers.set('x-mock-now', formatInstant(at)), res)
      const res = handler(request)
      return res instanceof Response ? echo(res) : res.then(echo)
    }
  /** The request's world, the webhook (session writes applied) and the session's retries. */
  const context = (input: ValidInput, variant: OwnerVariant) => {
    const { w, session, atMs } = scope(input)
    const found = resolveWebhook(w, webhooks.book(session), variant.owner, input.path[variant.param], input.path.webhook_id)
    return { w, session, atMs, book: retries.book(session), found }
  }

  const listLogs =
    (variant: OwnerVariant): Handler =>
    ({ c, input, respond }) => {
      const { w, atMs, book, found } = context(input, variant)
      if (typeof found === 'string') return respond.error(apiError(found))
      const { profile } = found
      const total = totalWithRetries(w, profile, book)
      const window = paginate(total, input.query.page as number, input.query.per_page as number)
      const headers = { 'x-mock-seed': String(w.seed) }
      if (variant === OWNERS.agent && total === rowCount(w, profile) && found.current === profile) {
        // The pure world (no retries, no writes in this session): the key holds every input of the
        // page (the instant only when the clock moved), so its bytes are served again as they are.
        const { current_page: page, per_page: perPage } = window.pagination
        const key =
          w.at === w.now
            ? pageKey(w.seed, w.now, profile.agentId, profile.webhookId, page, perPage)
            : pageKey(w.seed, w.now, profile.agentId, profile.webhookId, page, perPage, w.at)
        // A page asked for the second time (the page cache keeps it from then on) is offered to the
        // answer cache: one asked once (a new webhook every request) would only churn it.
        const pages = w.cache.pages
        const body = pages.get(key, () => encodePage(w, profile, window))
        return pages.repeated ? respond.pure(c, 200, body, headers) : respond.json(200, body, headers)
      }
      // Retry rows settle with time and writes are per session: these pages are built each time.
      const rows = pageWithRetries(w, profile, book, atMs(), window.offset, window.count)
      let data = ''
      for (let i = 0; i < rows.length; i++) data += (i ? ',' : '') + variant.encodeLog(rows[i])
      const body = `{"success":true,"data":[${data}],"pagination":${JSON.stringify(variant.pagination(window.pagination))}}`
      return respond.json(200, body, headers)
    }

  const retryLogs =
    (variant: OwnerVariant): Handler =>
    ({ c, input, respond }) => {
      const { w, session, atMs, book, found } = context(input, variant)
      if (typeof found === 'string') return respond.error(apiError(found))
      const blocked = live && redeliveryBlocked(live)
      if (blocked) return respond.error(blocked)
      const logId = canonicalLogId(input.path.log_id)
      const result = retryLog({
        world: w,
        profile: found.profile,
        current: found.current,
        book,
        logId,
        session: session ?? '',
        atMs: atMs(),
        settleMs: retries.settleMs,
        outcome: input.headers['x-mock-retry-outcome'] as RetryOutcome | undefined,
        live: live !== undefined,
      })
      if (typeof result === 'string') return respond.error(apiError(result))
      if (live) redeliver(live, { w, session, found, entry: result.entry })
      const { queued } = result.entry
      const data = { log_id: queued.id, original_log_id: logId, queued_at: formatTimestamp(queued.createdAt) }
      c.set('retry', { log_id: data.log_id, original_log_id: data.original_log_id })
      return respond.json(200, JSON.stringify(variant.retried(data)), { 'x-mock-seed': String(w.seed) })
    }

  const timed: Record<string, Handler> = {
    listWebhookLogs: listLogs(OWNERS.agent),
    retryWebhookLog: retryLogs(OWNERS.agent),
    listCampaignWebhookLogs: listLogs(OWNERS.campaign),
    retryCampaignWebhookLog: retryLogs(OWNERS.campaign),
    ...webhookHandlers({ scope, webhooks, live }),
  }
  return {
    ...Object.fromEntries(Object.entries(timed).map(([id, handler]) => [id, withNow(handler)])),
    getOpenApiYaml: ({ respond }) => respond.raw(200, spec.yaml, { 'content-type': 'application/yaml; charset=utf-8' }),
    getOpenApiJson: ({ respond }) => respond.json(200, spec.json),
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * A log id in UUID form names the same row in any letter case, as a PostgreSQL `uuid` column
 * compares them; the stored (lower-case) form is the one answered. Other ids match exactly.
 * @example
 * canonicalLogId('3F2A0C1E-…') //=> '3f2a0c1e-…'
 */
function canonicalLogId(id: string): string {
  return UUID.test(id) ? id.toLowerCase() : id
}
