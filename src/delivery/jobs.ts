// The deliveries requests start, as jobs for the scheduler: an event triggered through the admin
// API (its payload given or drawn from the seeded generator), a Test Webhook call, and a manual
// retry. Each job reads the webhook's configuration anew before every attempt, as the docs say a
// redelivery uses the current configuration.
import { apiError, type ApiError } from '../http/errors.js'
import { deliveryPayload } from '../world/payloads.js'
import { hashKey } from '../encode/random.js'
import { webhookKey, type RetryDesk, type RetryEntry } from '../state/retries.js'
import type { SessionBooks } from '../state/sessions.js'
import { resolveWebhook, type Resolved, type WebhookBook } from '../state/webhook-overlay.js'
import type { WebhookConfig } from '../world/webhooks.js'
import type { OwnerKind, World } from '../world/model.js'
import type { Target } from './attempt.js'
import { MAX_ACTIVE_DELIVERIES, MAX_ACTIVE_DELIVERY_BYTES, type Deliveries, type DeliveryJob, type FirstAttempt } from './deliveries.js'

/** What a handler needs to start live deliveries; absent when --deliver is off. */
export interface LiveDeps {
  deliveries: Deliveries
  retries: RetryDesk
  webhooks: SessionBooks<WebhookBook>
  /** The instant of a session's clock (epoch ms, whole seconds): the time a delivery is queued at. */
  nowMs: (session: string | undefined) => number
}

/**
 * The sending side of a webhook's settings.
 * @example
 * targetOf(config).method //=> 'POST'
 */
export function targetOf(c: WebhookConfig): Target {
  return {
    owner: c.owner,
    ownerId: c.ownerId,
    webhookId: c.id,
    url: c.webhookUrl,
    method: c.httpMethod,
    secret: c.webhookSecret,
    customHeaders: c.customHeaders,
    timeout: c.timeout,
    maxRetries: c.maxRetries,
    enabled: c.enabled,
  }
}

/** Reads the webhook's settings as the session sees them now; undefined once deleted. */
const currentTarget =
  (deps: LiveDeps, w: World, session: string | undefined, owner: OwnerKind, ownerId: string, webhookId: string) => (): Target | undefined => {
    const found = resolveWebhook(w, deps.webhooks.book(session), owner, ownerId, webhookId)
    return typeof found === 'string' ? undefined : targetOf(found.config)
  }

/** Why no new delivery (of `bytes` of payload) can start now, if so. */
function capacityError(deps: LiveDeps, bytes = 0): ApiError | undefined {
  if (deps.deliveries.canStart(bytes)) return undefined
  if (deps.deliveries.active >= MAX_ACTIVE_DELIVERIES) return apiError('deliveriesBusy', MAX_ACTIVE_DELIVERIES)
  if (deps.deliveries.canStart()) return apiError('deliveryBytesBusy', `${MAX_ACTIVE_DELIVERY_BYTES / 1024 / 1024} MiB`)
  return apiError('deliveriesClosed')
}

export interface DeliverRequest {
  w: World
  session?: string
  owner: OwnerKind
  ownerId: string
  webhookId: string
  /** The event; drawn like the logs' events when absent. Ignored for a test. */
  event?: string
  /** The exact body to send; generated when absent. */
  payloadJson?: string
  /** A Test Webhook call: the documented test payload, even to a disabled webhook. */
  test?: boolean
}

export type Delivered = { ok: true; logId: string; event: string; first: Promise<FirstAttempt> } | { ok: false; error: ApiError }

/**
 * Starts a new delivery: its first row is pending on the webhook's list when this returns.
 * @example
 * deliverEvent(live, { w, owner: 'agent', ownerId: 'agent-uuid', webhookId: 'local', event: 'event_phone_call_ended' })
 * //=> { ok: true, logId: '…', event: 'event_phone_call_ended', first: Promise }
 */
export function deliverEvent(deps: LiveDeps, req: DeliverRequest): Delivered {
  const { w, session, owner, ownerId, webhookId } = req
  const found = resolveWebhook(w, deps.webhooks.book(session), owner, ownerId, webhookId)
  if (typeof found === 'string') return { ok: false, error: apiError(found) }
  const { config } = found
  const path = `/api/v1/${owner}s/${ownerId}/webhooks/${webhookId}`
  if (!req.test && !config.enabled) {
    return {
      ok: false,
      error: apiError('deliveryRefused', `Webhook ${webhookId} is disabled, so it gets no deliveries: enable it with PATCH ${path}/toggle first.`),
    }
  }
  if (!req.test && req.event !== undefined && !config.events.includes(req.event)) {
    const message = `Webhook ${webhookId} is not subscribed to ${req.event}: it receives ${config.events.join(', ')}. Trigger one of those, or add the event with PUT ${path}.`
    return { ok: false, error: apiError('deliveryRefused', message) }
  }
  const busy = capacityError(deps, req.payloadJson === undefined ? 0 : Buffer.byteLength(req.payloadJson))
  if (busy) return { ok: false, error: busy }

  const book = deps.retries.book(session)
  const deliveryKey = deps.deliveries.newKey({ seed: w.seed, owner, ownerId, webhookId, session: session ?? '' })
  // The session's own count of deliveries: a generated payload depends on the session's steps only.
  const steps = String(book.liveSerial++)
  const nowMs = deps.nowMs(session)
  const { event, payloadJson } = req.test ? testPayload(found, owner, nowMs) : eventPayload(found, w.seed, steps, nowMs, req)
  const job: DeliveryJob = {
    session,
    book,
    key: webhookKey(w.seed, found.profile),
    seed: w.seed,
    owner,
    ownerId,
    webhookId,
    deliveryKey,
    event,
    payloadJson,
    target: currentTarget(deps, w, session, owner, ownerId, webhookId),
    firstAttempt: 1,
    automatic: true,
  }
  const started = deps.deliveries.start(job)
  if (!started.ok) return { ok: false, error: capacityError(deps, Buffer.byteLength(payloadJson)) ?? apiError('deliveriesClosed') }
  return { ok: true, logId: started.logId, event, first: started.first }
}

/**
 * The payload of a triggered event: the one given, or the seeded generator's for a new delivery,
 * drawn from the seed and how many deliveries the session started before (`steps`), never from
 * the run id: the same steps give the same payloads in every run.
 */
function eventPayload({ current }: Resolved, seed: number, steps: string, nowMs: number, req: DeliverRequest) {
  const drawn = deliveryPayload(current, hashKey(seed, 'live-payload', steps), Math.floor(nowMs / 1000), req.event)
  return { event: drawn.event, payloadJson: req.payloadJson ?? drawn.payloadJson }
}

/**
 * The Test Webhook payload: the docs' `webhook.test` body for an agent webhook; for a campaign
 * webhook ("a synthetic event matching the subscribed events") its first event, generated.
 */
function testPayload({ config, current }: Resolved, owner: OwnerKind, nowMs: number) {
  if (owner === 'campaign') {
    const drawn = deliveryPayload(current, hashKey(current.seed, 'live-test', config.id), Math.floor(nowMs / 1000), config.events[0])
    return { event: drawn.event, payloadJson: drawn.payloadJson }
  }
  const payload = {
    event: 'webhook.test',
    agent_id: config.ownerId,
    agent_name: `Agent ${config.ownerId}`,
    webhook_id: config.id,
    webhook_name: config.name,
    timestamp: new Date(Math.floor(nowMs / 1000) * 1000).toISOString(),
    test: true,
  }
  return { event: 'webhook.test', payloadJson: JSON.stringify(payload) }
}

/**
 * Starts the real redelivery of a manual retry whose row `entry` was just queued (pending): one
 * attempt, no automatic retries after it.
 * @example
 * redeliver(live, { w, session, found, entry })
 */
export function redeliver(deps: LiveDeps, { w, session, found, entry }: { w: World; session?: string; found: Resolved; entry: RetryEntry }): void {
  const { config } = found
  deps.deliveries.start({
    session,
    book: deps.retries.book(session),
    key: webhookKey(w.seed, found.profile),
    seed: w.seed,
    owner: config.owner,
    ownerId: config.ownerId,
    webhookId: config.id,
    deliveryKey: entry.deliveryKey,
    event: entry.queued.event,
    payloadJson: entry.queued.payloadJson,
    target: currentTarget(deps, w, session, config.owner, config.ownerId, config.id),
    firstAttempt: entry.queued.attempt,
    first: entry,
    automatic: false,
  })
}

/** The 429/503 a retry answers when no redelivery can start now. */
export const redeliveryBlocked = capacityError
