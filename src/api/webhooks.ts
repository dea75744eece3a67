// Handlers of the webhook operations (list, create, get, update, delete, toggle, test) for agent
// and campaign webhooks alike: the OWNERS table says what differs. Writes go to the session's
// overlay and show in the journal; answers come from the same profiles as the logs.
import { customHeaderErrors } from '../delivery/headers.js'
import { deliverEvent, type LiveDeps } from '../delivery/jobs.js'
import { apiError } from '../http/errors.js'
import { OWNERS, replyBody, replyData, type OwnerVariant } from './owners.js'
import type { Responder } from '../http/respond.js'
import type { Handler } from '../http/routes.js'
import type { SessionBooks } from '../state/sessions.js'
import type { ValidInput } from '../http/validate.js'
import { EVENT_DESCRIPTIONS } from '../world/vocab.js'
import { createWebhook, deleteWebhook, listAgentWebhooks, ownerCheck, resolveWebhook, updateWebhook, type WebhookBook } from '../state/webhook-overlay.js'
import type { WebhookConfig, WebhookSettings } from '../world/webhooks.js'
import type { World } from '../world/model.js'

/** What a webhook write (create, update, toggle, delete) did, for the journal. */
export interface WebhookWrite {
  action: 'created' | 'updated' | 'deleted' | 'enabled' | 'disabled'
  webhook_id: string
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by a webhook write, so the journal shows what changed. */
    webhook: WebhookWrite
  }
}

/**
 * The world of a request (X-Mock-Seed, seen at its clock's instant or X-Mock-Now: `w.at`, the time
 * every write is stamped with), its session (X-Mock-Session) and the retry clock (epoch ms, read
 * when needed: the instant plus real time, when a retry row settles).
 */
export type Scope = (input: ValidInput) => { w: World; session?: string; atMs: () => number }

export interface WebhookHandlerDeps {
  scope: Scope
  webhooks: SessionBooks<WebhookBook>
  /** Live delivery (--deliver live): the test endpoints send for real. */
  live?: LiveDeps
}

/** The settings a validated request body gives (campaign-only fields only for campaigns). */
function settingsOf(body: Record<string, unknown>, variant: OwnerVariant): WebhookSettings {
  const settings: WebhookSettings = {
    name: body.name as string | undefined,
    webhookUrl: body.webhook_url as string | undefined,
    events: body.events as string[] | undefined,
    timeout: body.timeout as number | undefined,
    maxRetries: body.max_retries as number | undefined,
    enabled: body.enabled as boolean | undefined,
    includeCallEvents: variant.owner === 'campaign' ? (body.include_call_events as boolean | undefined) : undefined,
    // Never shown, but live delivery signs with the secret and sends the method and headers.
    webhookSecret: body.webhook_secret as string | undefined,
    httpMethod: body.http_method as WebhookSettings['httpMethod'],
    customHeaders: body.custom_headers as WebhookSettings['customHeaders'],
  }
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined))
}

/** Laravel's 422 for custom headers that would frame or route the delivery, or cannot be sent. */
function headerProblem(settings: WebhookSettings, respond: Responder): Response | undefined {
  const errors = customHeaderErrors(settings.customHeaders ?? [])
  return Object.keys(errors).length > 0 ? respond.error(apiError('validation', errors)) : undefined
}

const reply = (respond: Responder, variant: OwnerVariant, kind: 'get' | 'create' | 'update' | 'toggle', config: WebhookConfig) =>
  respond.json(variant.replies[kind].status, JSON.stringify(replyBody(variant, kind, config)))

/**
 * The handler table for the webhook operations.
 * @example
 * const handlers = webhookHandlers({ scope, webhooks })
 */
export function webhookHandlers({ scope, webhooks, live }: WebhookHandlerDeps): Record<string, Handler> {
  /** The request's world and session, the session's book, the write time and the webhook. */
  const context = (input: ValidInput, variant: OwnerVariant) => {
    const { w, session } = scope(input)
    const book = webhooks.book(session)
    const found = resolveWebhook(w, book, variant.owner, input.path[variant.param], input.path.webhook_id)
    return { w, session, book, at: w.at, found }
  }

  const create =
    (variant: OwnerVariant): Handler =>
    ({ c, input, respond }) => {
      // Body rules come first, as Laravel validates a form request before its controller runs.
      const settings = settingsOf(input.body, variant) as Parameters<typeof createWebhook>[2]['settings']
      const refused = headerProblem(settings, respond)
      if (refused) return refused
      const { w, session } = scope(input)
      const ownerId = input.path[variant.param]
      const missing = ownerCheck(w, variant.owner, ownerId)
      if (missing) return respond.error(apiError(missing))
      const config = createWebhook(w, webhooks.book(session), {
        owner: variant.owner,
        ownerId,
        session: session ?? '',
        at: w.at,
        settings,
      })
      c.set('webhook', { action: 'created', webhook_id: config.id })
      return reply(respond, variant, 'create', config)
    }

  const get =
    (variant: OwnerVariant): Handler =>
    ({ input, respond }) => {
      const { found } = context(input, variant)
      return typeof found === 'string' ? respond.error(apiError(found)) : reply(respond, variant, 'get', found.config)
    }

  const update =
    (variant: OwnerVariant): Handler =>
    ({ c, input, respond }) => {
      const settings = settingsOf(input.body, variant)
      const refused = headerProblem(settings, respond)
      if (refused) return refused
      const { w, book, at, found } = context(input, variant)
      if (typeof found === 'string') return respond.error(apiError(found))
      const { config, changed } = updateWebhook(w, book, found, settings, at)
      if (changed) c.set('webhook', { action: 'updated', webhook_id: config.id })
      return reply(respond, variant, 'update', config)
    }

  const toggle =
    (variant: OwnerVariant): Handler =>
    ({ c, input, respond }) => {
      const { w, book, at, found } = context(input, variant)
      if (typeof found === 'string') return respond.error(apiError(found))
      const { config } = updateWebhook(w, book, found, { enabled: !found.config.enabled }, at)
      c.set('webhook', { action: config.enabled ? 'enabled' : 'disabled', webhook_id: config.id })
      return reply(respond, variant, 'toggle', config)
    }

  const test =
    (variant: OwnerVariant): Handler =>
    ({ input, respond }) => {
      const { w, session, found } = context(input, variant)
      if (typeof found === 'string') return respond.error(apiError(found))
      if (!live) return respond.json(200, JSON.stringify(variant.tested(found.current)))
      const ownerId = input.path[variant.param]
      const started = deliverEvent(live, { w, session, owner: variant.owner, ownerId, webhookId: input.path.webhook_id, test: true })
      if (!started.ok) return respond.error(started.error)
      // The campaign page's answer says only "dispatched": it does not wait for the receiver.
      if (variant.owner === 'campaign') return respond.json(200, JSON.stringify(variant.tested(found.current)))
      return started.first.then(({ row }) => {
        if (row.httpStatus === undefined) return respond.error(apiError('testFailed', row.error ?? 'the receiver did not answer.'))
        return respond.json(200, JSON.stringify(variant.testedLive(row.httpStatus, row.durationMs ?? 0)))
      })
    }

  const agent = OWNERS.agent
  const campaign = OWNERS.campaign
  return {
    listAgentWebhooks: ({ input, respond }) => {
      const { w, session } = scope(input)
      const configs = listAgentWebhooks(w, webhooks.book(session), input.path.agent_id)
      if (typeof configs === 'string') return respond.error(apiError(configs))
      const data = { webhooks: configs.map((config) => replyData(agent, 'get', config)), available_events: EVENT_DESCRIPTIONS }
      return respond.json(200, JSON.stringify({ success: true, data }))
    },
    createAgentWebhook: create(agent),
    getAgentWebhook: get(agent),
    updateAgentWebhook: update(agent),
    deleteAgentWebhook: ({ c, input, respond }) => {
      const { w, book, found } = context(input, agent)
      if (typeof found === 'string') return respond.error(apiError(found))
      deleteWebhook(w, book, found)
      c.set('webhook', { action: 'deleted', webhook_id: found.config.id })
      return respond.json(200, JSON.stringify({ success: true, message: 'Webhook deleted successfully' }))
    },
    toggleAgentWebhook: toggle(agent),
    testAgentWebhook: test(agent),
    createCampaignWebhook: create(campaign),
    getCampaignWebhook: get(campaign),
    updateCampaignWebhook: update(campaign),
    toggleCampaignWebhook: toggle(campaign),
    testCampaignWebhook: test(campaign),
  }
}
