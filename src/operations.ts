// Handlers of the Talkover operations, bound by operationId. They read validated input, ask the
// pure generators for data and write JSON; they never build error bodies themselves.
import { apiError } from './errors.js'
import { encodeLog, logsPage } from './logs.js'
import { paginate } from './paginate.js'
import { sendError, sendJson } from './respond.js'
import type { Handler } from './routes.js'
import type { Spec } from './spec.js'
import { lookupWebhook, withSeed, type World } from './world.js'

export interface OperationDeps {
  spec: Spec
  /** The current world: admin PATCH /__mock/config may change its seed and anchor while serving. */
  world: () => World
}

/**
 * The handler table for the API and spec operations.
 * @example
 * mountSpec(app, spec, { handlers: operationHandlers({ spec, world }), … })
 */
export function operationHandlers({ spec, world }: OperationDeps): Record<string, Handler> {
  return {
    listWebhookLogs: ({ input }) => {
      const seed = input.headers['x-mock-seed'] as number | undefined
      const w = seed === undefined ? world() : withSeed(world(), seed)
      const { agent_id: agentId, webhook_id: webhookId } = input.path
      const profile = lookupWebhook(w, agentId, webhookId)
      if (typeof profile === 'string') return sendError(apiError(profile))
      const { offset, count, pagination } = paginate(profile.total, input.query.page as number, input.query.per_page as number)
      // Rows are concatenated JSON text: no JSON.stringify of row objects on the hot path.
      const rows = logsPage(w, profile, offset, count)
      let data = ''
      for (let i = 0; i < rows.length; i++) data += (i ? ',' : '') + encodeLog(rows[i])
      const body = `{"success":true,"data":[${data}],"pagination":${JSON.stringify(pagination)}}`
      return sendJson(200, body, { 'x-mock-seed': String(w.seed) })
    },
    getOpenApiYaml: () => new Response(spec.yaml, { headers: { 'content-type': 'application/yaml; charset=utf-8' } }),
    getOpenApiJson: () => sendJson(200, spec.json),
  }
}
