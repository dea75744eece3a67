// Handlers of the Talkover operations, bound by operationId. They read validated input, ask the
// pure generators for data and write JSON; they never build error bodies themselves.
import { apiError } from './errors.js'
import { encodePage } from './log-json.js'
import { pageKey } from './page-cache.js'
import { paginate } from './paginate.js'
import { sendError, sendJson } from './respond.js'
import type { Handler } from './routes.js'
import type { Spec } from './spec.js'
import { lookupWebhook, withSeed, type World } from './world.js'

export interface OperationDeps {
  spec: Spec
  world: World
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
      const w = seed === undefined ? world : withSeed(world, seed)
      const { agent_id: agentId, webhook_id: webhookId } = input.path
      const profile = lookupWebhook(w, agentId, webhookId)
      if (typeof profile === 'string') return sendError(apiError(profile))
      const window = paginate(profile.total, input.query.page as number, input.query.per_page as number)
      // The key holds every input of the page; encoded bytes are served again without regenerating.
      const key = pageKey(w.seed, w.now, agentId, webhookId, window.pagination.current_page, window.pagination.per_page)
      const body = w.cache.pages.get(key, () => encodePage(w, profile, window))
      return sendJson(200, body, { 'x-mock-seed': String(w.seed) })
    },
    getOpenApiYaml: () => new Response(spec.yaml, { headers: { 'content-type': 'application/yaml; charset=utf-8' } }),
    getOpenApiJson: () => sendJson(200, spec.json),
  }
}
