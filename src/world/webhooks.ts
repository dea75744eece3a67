// Webhook objects from the same profile the logs come from: a webhook's settings (timeout,
// max_retries, events, enabled), its name and URL (the URL's host is the one its DNS errors name),
// its timestamps, and which webhooks an agent has. Pure: every draw is keyed by the profile's key.
import { Rng, cumulate, hashKey, mix } from '../encode/random.js'
import { errorTexts, successDuration } from './receiver.js'
import { uuid } from './ids.js'
import { formatTimestamp } from './time.js'
import { EVENT_WEIGHT, STACKS, WEBHOOK_NAMES, WEBHOOK_PATHS } from './vocab.js'
import { declaredWebhooks } from './world.js'
import type { OwnerKind, WebhookProfile, World } from './model.js'

/** A webhook's settings as the API shows them. Times are epoch seconds. */
export interface WebhookConfig {
  id: string
  owner: OwnerKind
  ownerId: string
  name: string
  webhookUrl: string
  events: readonly string[]
  timeout: number
  maxRetries: number
  enabled: boolean
  includeCallEvents: boolean
  createdAt: number
  updatedAt: number
  /** Never shown; signs live deliveries (Standard Webhooks). */
  webhookSecret?: string
  /** Never shown; the method of live deliveries. */
  httpMethod: 'POST' | 'PUT' | 'PATCH'
  /** Never shown; sent with every live delivery. */
  customHeaders: readonly { key: string; value: string }[]
}

/** The settings a create or update request may change. */
export type WebhookSettings = Partial<
  Pick<
    WebhookConfig,
    'name' | 'webhookUrl' | 'events' | 'timeout' | 'maxRetries' | 'enabled' | 'includeCallEvents' | 'webhookSecret' | 'httpMethod' | 'customHeaders'
  >
>

const DAY = 86_400

/**
 * The settings of a webhook as its history was generated: fixture values where declared, seeded
 * draws for the rest. It was created before its oldest possible row; a disabled webhook was
 * last updated (disabled) just after its last delivery.
 * @example
 * baseConfig(lookupWebhook(world, 'agent-uuid', 'webhook-uuid')) //=> { name: 'My Webhook', maxRetries: 2, … }
 */
export function baseConfig(p: WebhookProfile): WebhookConfig {
  const rng = new Rng(mix(p.key, 0x3eb400c))
  const name = rng.pick(WEBHOOK_NAMES)
  const path = rng.pick(WEBHOOK_PATHS)
  const createdAt = p.layout.start - DAY - rng.int(365 * DAY)
  const newest = p.head.length > 0 ? p.head[0].createdAt : p.layout.end
  const updatedAt = p.enabled ? createdAt + rng.int(p.layout.start - createdAt + 1) : Math.min(p.now, newest + 1 + p.timeout)
  return {
    id: p.webhookId,
    owner: p.owner,
    ownerId: p.agentId,
    name: p.name ?? name,
    webhookUrl: p.webhookUrl ?? `https://${p.host}${path}`,
    events: p.events,
    timeout: p.timeout,
    maxRetries: p.maxRetries,
    enabled: p.enabled,
    includeCallEvents: p.includeCallEvents ?? false,
    createdAt,
    updatedAt,
    webhookSecret: p.webhookSecret,
    httpMethod: 'POST',
    customHeaders: [],
  }
}

/**
 * The profile as the webhook is configured now: what a redelivery and the retry check use. The
 * history keeps the profile it was generated from (it happened under the old settings).
 * @example
 * withConfig(profile, { ...baseConfig(profile), enabled: false }).enabled //=> false
 */
export function withConfig(p: WebhookProfile, c: WebhookConfig): WebhookProfile {
  const host = new URL(c.webhookUrl).hostname
  const same = c.enabled === p.enabled && c.timeout === p.timeout && c.maxRetries === p.maxRetries && host === p.host && c.events === p.events
  if (same) return p
  return Object.freeze({
    ...p,
    name: c.name,
    webhookUrl: c.webhookUrl,
    enabled: c.enabled,
    timeout: c.timeout,
    maxRetries: c.maxRetries,
    events: [...c.events],
    host,
    errorTexts: errorTexts(c.timeout, host),
    eventCumulative: cumulate(c.events.map((e) => EVENT_WEIGHT.get(e) ?? 1)),
  })
}

/**
 * The ids of an agent's webhooks before any run-time write: the declared ones for an agent a
 * fixture declares, else a seeded set of 0–4 for an open-world agent.
 * @example
 * seededWebhookIds(world, 'agent-uuid') //=> ['webhook-uuid', 'webhook-uuid-1m']
 */
export function seededWebhookIds(world: World, agentId: string): string[] | 'agentNotFound' {
  const declared = declaredWebhooks(world, 'agent', agentId)
  if (declared) return [...declared.keys()]
  if (!world.catalog.openWorld) return 'agentNotFound'
  const rng = new Rng(hashKey(world.seed, 'agent-webhooks', agentId))
  const roll = rng.int(100)
  const count = roll < 10 ? 0 : roll < 60 ? 1 : roll < 85 ? 2 : roll < 95 ? 3 : 4
  return Array.from({ length: count }, () => uuid(rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32()))
}

/**
 * What the receiver answered a test delivery: its success status and typical latency (ms).
 * @example
 * testAnswer(profile) //=> { status_code: 200, response_time: 150 }
 */
export function testAnswer(p: WebhookProfile): { status_code: number; response_time: number } {
  return { status_code: STACKS[p.stack].status, response_time: successDuration(p, new Rng(mix(p.key, 0x7e57))) }
}

/**
 * A webhook timestamp as the docs print it: `2025-09-03T23:19:51.000000Z`.
 * @example
 * formatWebhookTime(1705316400) //=> '2024-01-15T11:00:00.000000Z'
 */
export function formatWebhookTime(epochSeconds: number): string {
  return `${formatTimestamp(epochSeconds).slice(0, -1)}.000000Z`
}

/**
 * Every field a webhook object of its owner kind can show, in the docs' order.
 * @example
 * webhookFields(config).events_count //=> 2
 */
export function webhookFields(c: WebhookConfig): Record<string, unknown> {
  const owner = c.owner === 'agent' ? { agent_id: c.ownerId } : { campaign_id: c.ownerId }
  return {
    id: c.id,
    ...owner,
    name: c.name,
    webhook_url: c.webhookUrl,
    events: c.events,
    timeout: c.timeout,
    max_retries: c.maxRetries,
    enabled: c.enabled,
    include_call_events: c.includeCallEvents,
    created_at: formatWebhookTime(c.createdAt),
    updated_at: formatWebhookTime(c.updatedAt),
    events_count: c.events.length,
    status: c.enabled ? 'active' : 'disabled',
  }
}
