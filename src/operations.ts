// Handlers of the Talkover operations, bound by operationId. They read validated input, ask the
// pure generators for data and write JSON; they never build error bodies themselves.
import { sendJson } from './respond.js'
import { paginate } from './paginate.js'
import { logAt, totalLogs } from './logs.js'
import type { Handler } from './routes.js'
import type { Spec } from './spec.js'
import { withSeed, type World } from './world.js'

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
      const total = totalLogs(w, agentId, webhookId)
      const { offset, count, pagination } = paginate(total, input.query.page as number, input.query.per_page as number)
      const data = Array.from({ length: count }, (_, i) => logAt(w, agentId, webhookId, offset + i))
      return sendJson(200, JSON.stringify({ success: true, data, pagination }), { 'x-mock-seed': String(w.seed) })
    },
    getOpenApiYaml: () => new Response(spec.yaml, { headers: { 'content-type': 'application/yaml; charset=utf-8' } }),
    getOpenApiJson: () => sendJson(200, spec.json),
  }
}
