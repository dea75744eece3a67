// Folder api/: the Talkover operations (logs, retries, agent and campaign webhooks), bound by
// operationId. It may import http/, state/, world/ and encode/; never admin/ or faults/.
//
// Handlers of the Talkover operations, bound by operationId. They read validated input, ask the
// pure generators for data and write JSON; they never build error bodies themselves. The logs
// and retry handlers serve agent and campaign webhooks alike, from the OWNERS table.
import { redeliver, redeliveryBlocked, type LiveDeps } from '../delivery/jobs.js'
import { apiError } from '../http/errors.js'
import { encodePage } from '../world/log-json.js'
import { formatTimestamp } from '../world/time.js'
import { OWNERS, type OwnerVariant } from './owners.js'
import { pageKey } from '../encode/page-cache.js'
import { paginate } from '../world/paginate.js'
import { sendError, sendJson } from '../http/respond.js'
import type { RetryDesk } from '../state/retries.js'
import { pageWithRetries, retryLog, totalWithRetries, type RetryOutcome } from '../state/retry.js'
import type { Handler } from '../http/routes.js'
import type { SessionBooks } from '../state/sessions.js'
import type { Spec } from '../http/spec.js'
import type { ValidInput } from '../http/validate.js'
import { resolveWebhook, type WebhookBook } from '../state/webhook-overlay.js'
import { webhookHandlers, type Scope } from './webhooks.js'
import { withSeed } from '../world/world.js'
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
  /** Live delivery (--deliver live): retries and tests reach the receiver for real. */
  live?: LiveDeps
}

/**
 * The handler table for the API and spec operations.
 * @example
 * mountSpec(app, spec, { handlers: operationHandlers({ spec, world, retries }), … })
 */
export function operationHandlers(deps: OperationDeps): Record<string, Handler> {
  const { spec, world, retries, webhooks, live } = deps
  const scope: Scope = (input) => {
    const seed = input.headers['x-mock-seed'] as number | undefined
    return { w: seed === undefined ? world() : withSeed(world(), seed), session: input.headers['x-mock-session'] as string | undefined }
  }
  /** The request's world, the webhook (session writes applied) and the session's retries. */
  const context = (input: ValidInput, variant: OwnerVariant) => {
    const { w, session } = scope(input)
    const found = resolveWebhook(w, webhooks.book(session), variant.owner, input.path[variant.param], input.path.webhook_id)
    return { w, session, book: retries.book(session), found }
  }

  const listLogs =
    (variant: OwnerVariant): Handler =>
    ({ input }) => {
      const { w, book, found } = context(input, variant)
      if (typeof found === 'string') return sendError(apiError(found))
      const { profile } = found
      const total = totalWithRetries(w, profile, book)
      const window = paginate(total, input.query.page as number, input.query.per_page as number)
      const headers = { 'x-mock-seed': String(w.seed) }
      if (variant === OWNERS.agent && total === profile.total && found.current === profile) {
        // The pure world (no retries, no writes in this session): the key holds every input of the
        // page, so its encoded bytes are served again without regenerating them.
        const key = pageKey(w.seed, w.now, profile.agentId, profile.webhookId, window.pagination.current_page, window.pagination.per_page)
        return sendJson(
          200,
          w.cache.pages.get(key, () => encodePage(w, profile, window)),
          headers,
        )
      }
      // Retry rows settle with time and writes are per session: these pages are built each time.
      const rows = pageWithRetries(w, profile, book, retries.atMs(w), window.offset, window.count)
      let data = ''
      for (let i = 0; i < rows.length; i++) data += (i ? ',' : '') + variant.encodeLog(rows[i])
      const body = `{"success":true,"data":[${data}],"pagination":${JSON.stringify(variant.pagination(window.pagination))}}`
      return sendJson(200, body, headers)
    }

  const retryLogs =
    (variant: OwnerVariant): Handler =>
    ({ c, input }) => {
      const { w, session, book, found } = context(input, variant)
      if (typeof found === 'string') return sendError(apiError(found))
      const blocked = live && redeliveryBlocked(live)
      if (blocked) return sendError(blocked)
      const result = retryLog({
        world: w,
        profile: found.profile,
        current: found.current,
        book,
        logId: input.path.log_id,
        session: session ?? '',
        atMs: retries.atMs(w),
        settleMs: retries.settleMs,
        outcome: input.headers['x-mock-retry-outcome'] as RetryOutcome | undefined,
        live: live !== undefined,
      })
      if (typeof result === 'string') return sendError(apiError(result))
      if (live) redeliver(live, { w, session, found, entry: result.entry })
      const { queued } = result.entry
      const data = { log_id: queued.id, original_log_id: input.path.log_id, queued_at: formatTimestamp(queued.createdAt) }
      c.set('retry', { log_id: data.log_id, original_log_id: data.original_log_id })
      return sendJson(200, JSON.stringify(variant.retried(data)), { 'x-mock-seed': String(w.seed) })
    }

  return {
    listWebhookLogs: listLogs(OWNERS.agent),
    retryWebhookLog: retryLogs(OWNERS.agent),
    listCampaignWebhookLogs: listLogs(OWNERS.campaign),
    retryCampaignWebhookLog: retryLogs(OWNERS.campaign),
    ...webhookHandlers({ scope, webhooks, atMs: retries.atMs, live }),
    getOpenApiYaml: () => new Response(spec.yaml, { headers: { 'content-type': 'application/yaml; charset=utf-8' } }),
    getOpenApiJson: () => sendJson(200, spec.json),
  }
}
