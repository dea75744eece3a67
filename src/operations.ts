// Handlers of the Talkover operations, bound by operationId. They read validated input, ask the
// pure generators for data and write JSON; they never build error bodies themselves.
import { apiError } from './errors.js'
import { encodeLog, formatTimestamp } from './logs.js'
import { paginate } from './paginate.js'
import { sendError, sendJson } from './respond.js'
import type { RetryDesk } from './retries.js'
import { pageWithRetries, retryLog, totalWithRetries, type RetryOutcome } from './retry.js'
import type { Handler } from './routes.js'
import type { Spec } from './spec.js'
import type { ValidInput } from './validate.js'
import { lookupWebhook, withSeed, type World } from './world.js'

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
}

/**
 * The handler table for the API and spec operations.
 * @example
 * mountSpec(app, spec, { handlers: operationHandlers({ spec, world, retries }), … })
 */
export function operationHandlers({ spec, world, retries }: OperationDeps): Record<string, Handler> {
  /** The world of this request (X-Mock-Seed), the webhook's profile and the session's retries. */
  const context = (input: ValidInput) => {
    const seed = input.headers['x-mock-seed'] as number | undefined
    const w = seed === undefined ? world() : withSeed(world(), seed)
    const session = input.headers['x-mock-session'] as string | undefined
    return { w, session, book: retries.book(session), profile: lookupWebhook(w, input.path.agent_id, input.path.webhook_id) }
  }

  return {
    listWebhookLogs: ({ input }) => {
      const { w, book, profile } = context(input)
      if (typeof profile === 'string') return sendError(apiError(profile))
      const total = totalWithRetries(w, profile, book)
      const { offset, count, pagination } = paginate(total, input.query.page as number, input.query.per_page as number)
      // Rows are concatenated JSON text: no JSON.stringify of row objects on the hot path.
      const rows = pageWithRetries(w, profile, book, retries.atMs(w), offset, count)
      let data = ''
      for (let i = 0; i < rows.length; i++) data += (i ? ',' : '') + encodeLog(rows[i])
      const body = `{"success":true,"data":[${data}],"pagination":${JSON.stringify(pagination)}}`
      return sendJson(200, body, { 'x-mock-seed': String(w.seed) })
    },
    retryWebhookLog: ({ c, input }) => {
      const { w, session, book, profile } = context(input)
      if (typeof profile === 'string') return sendError(apiError(profile))
      const result = retryLog({
        world: w,
        profile,
        book,
        logId: input.path.log_id,
        session: session ?? '',
        atMs: retries.atMs(w),
        settleMs: retries.settleMs,
        outcome: input.headers['x-mock-retry-outcome'] as RetryOutcome | undefined,
      })
      if (typeof result === 'string') return sendError(apiError(result))
      const { queued } = result.entry
      const data = { log_id: queued.id, original_log_id: input.path.log_id, queued_at: formatTimestamp(queued.createdAt) }
      c.set('retry', { log_id: data.log_id, original_log_id: data.original_log_id })
      const body = JSON.stringify({ success: true, message: 'Webhook retry queued successfully', data })
      return sendJson(200, body, { 'x-mock-seed': String(w.seed) })
    },
    getOpenApiYaml: () => new Response(spec.yaml, { headers: { 'content-type': 'application/yaml; charset=utf-8' } }),
    getOpenApiJson: () => sendJson(200, spec.json),
  }
}
