// Run-time webhook writes (create, update, toggle, delete) as a per-session overlay on the pure
// world, like retries: the world never changes; a book holds the settings written since start-up
// or reset, bounded in size. Resolving a webhook applies the overlay, so logs, retries and the
// webhook endpoints agree. Pure: the write time comes in as an argument.
import { hashKey, mix } from '../encode/random.js'
import { uuid } from '../world/ids.js'
import { webhookKey } from './retries.js'
import { pageKey } from '../encode/page-cache.js'
import { stringBytes } from './budget.js'
import type { BudgetedBook } from './sessions.js'
import { baseConfig, seededWebhookIds, withConfig, type WebhookConfig, type WebhookSettings } from '../world/webhooks.js'
import { createdProfile, declaredWebhooks, lookupWebhook, OWNER_NOT_FOUND } from '../world/world.js'
import type { OwnerKind, OwnerNotFound, WebhookProfile, World } from '../world/model.js'

/** One written webhook: its settings now (null once deleted), whether it was created at run time, and whose it is. */
interface Written {
  config: WebhookConfig | null
  created: boolean
  /** ownerKeyOf(world, owner, ownerId): lists find an owner's created webhooks by it, never by a key prefix. */
  ownerKey: string
  webhookId: string
}

/** One session's webhook writes, keyed like retries (webhookKey: length-prefixed seed, owner, ids), oldest write first. */
export interface WebhookBook extends BudgetedBook {
  written: Map<string, Written>
  /** Webhooks created so far: part of the next new id (kept when the budget forgets the writes, so ids never repeat). */
  serial: number
}

/** An empty book. Its writes are bounded by the state budget, which forgets a session whole, never one write of it. */
export function createWebhookBook(): WebhookBook {
  const book: WebhookBook = { written: new Map(), serial: 0, charge: () => {}, forget: () => book.written.clear() }
  return book
}

/**
 * What a written webhook costs, roughly: its key, settings and map entry (calibrated on a measured
 * ~1.3 kB, issue 13), and every string it keeps: custom header keys and values and the secret too.
 */
export function writtenBytes(key: string, w: Written): number {
  const c = w.config
  const headers = c ? c.customHeaders.reduce((sum, h) => sum + stringBytes(h.key) + stringBytes(h.value) + 40, 0) : 0
  const settings = c
    ? stringBytes(c.id) +
      stringBytes(c.ownerId) +
      stringBytes(c.name) +
      stringBytes(c.webhookUrl) +
      stringBytes(c.webhookSecret ?? '') +
      c.events.join('').length * 2 +
      40 * c.events.length +
      headers
    : 0
  return 900 + stringBytes(key) + stringBytes(w.ownerKey) + stringBytes(w.webhookId) + settings
}

/** The last 8 hex digits of a created webhook's id: a keyed check of its first 28 characters. */
const createdTag = (head: string) => hashKey(0xc7ea7ed, head)

/**
 * Whether an id is one createWebhook made (its last 8 hex digits check the rest; a random UUID
 * passes with odds of 1 in 2^32). Such an id is only ever a created webhook, never an open-world one.
 * @example
 * isCreatedId(createWebhook(world, book, …).id) //=> true
 */
export function isCreatedId(id: string): boolean {
  return id.length === 36 && id[8] === '-' && parseInt(id.slice(28), 16) === createdTag(id.slice(0, 28)) && /^[0-9a-f]{8}$/.test(id.slice(28))
}

/** A webhook as a request sees it: the profile of its history, its settings now, and its profile now. */
export interface Resolved {
  profile: WebhookProfile
  config: WebhookConfig
  current: WebhookProfile
}

export type NotFound = OwnerNotFound | 'webhookNotFound'

const keyOf = (world: World, owner: OwnerKind, ownerId: string, webhookId: string) => webhookKey(world.seed, { owner, agentId: ownerId, webhookId })
const ownerKeyOf = (world: World, owner: OwnerKind, ownerId: string) => pageKey(world.seed, owner, ownerId)

/**
 * Resolves a webhook with the session's writes applied. With no writes it is `lookupWebhook`'s
 * profile itself, so the stateless output stays byte-identical.
 * @example
 * resolveWebhook(world, book, 'agent', 'agent-uuid', 'webhook-uuid') //=> { profile, config, current }
 */
export function resolveWebhook(world: World, book: WebhookBook, owner: OwnerKind, ownerId: string, webhookId: string): Resolved | NotFound {
  // Most requests come from sessions that never wrote: skip building the key.
  const written = book.written.size === 0 ? undefined : book.written.get(keyOf(world, owner, ownerId, webhookId))
  if (written?.created && written.config) {
    const c = written.config
    const profile = createdProfile(world, owner, ownerId, webhookId, {
      id: webhookId,
      total: 0,
      head: [],
      maxRetries: c.maxRetries,
      timeout: c.timeout,
      events: [...c.events],
      enabled: c.enabled,
    })
    return { profile, config: c, current: withConfig(profile, c) }
  }
  const profile = lookupWebhook(world, ownerId, webhookId, owner)
  if (typeof profile === 'string') return profile
  // A created webhook whose session was forgotten is gone: never an open-world webhook of that id.
  if (!written && !profile.declared && isCreatedId(webhookId)) return 'webhookNotFound'
  if (written && !written.config) return 'webhookNotFound'
  const config = written?.config ?? baseConfig(profile)
  return { profile, config, current: written ? withConfig(profile, config) : profile }
}

/** Whether an owner exists: declared in a fixture, or any id while the open world is on. */
export function ownerCheck(world: World, owner: OwnerKind, ownerId: string): OwnerNotFound | undefined {
  return declaredWebhooks(world, owner, ownerId) || world.catalog.openWorld ? undefined : OWNER_NOT_FOUND[owner]
}

/**
 * An agent's webhooks with the session's writes applied, oldest first (then by id).
 * @example
 * listAgentWebhooks(world, book, 'agent-uuid').map((c) => c.id) //=> ['webhook-uuid', 'webhook-uuid-1m']
 */
export function listAgentWebhooks(world: World, book: WebhookBook, agentId: string): WebhookConfig[] | 'agentNotFound' {
  const ids = seededWebhookIds(world, agentId)
  if (typeof ids === 'string') return ids
  const ownerKey = ownerKeyOf(world, 'agent', agentId)
  for (const written of book.written.values()) if (written.created && written.ownerKey === ownerKey) ids.push(written.webhookId)
  const configs: WebhookConfig[] = []
  for (const id of new Set(ids)) {
    const found = resolveWebhook(world, book, 'agent', agentId, id)
    if (typeof found !== 'string') configs.push(found.config)
  }
  return configs.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/**
 * Creates a webhook at `at` (epoch seconds). Its id is a UUID drawn from the seed, the session
 * and how many webhooks the session created before, so the same steps give the same ids.
 * @example
 * createWebhook(world, book, { owner: 'agent', ownerId: 'a', session: '', at, settings: { name: 'CRM', … } }).id
 */
export function createWebhook(
  world: World,
  book: WebhookBook,
  {
    owner,
    ownerId,
    session,
    at,
    settings,
  }: { owner: OwnerKind; ownerId: string; session: string; at: number; settings: WebhookSettings & Pick<WebhookConfig, 'name' | 'webhookUrl' | 'events'> },
): WebhookConfig {
  // The serial moves only once the write is made: a refused write (StateFull) changes nothing.
  const key = hashKey(world.seed, 'created', owner, ownerId, session, String(book.serial))
  const head = uuid(key, mix(key, 1), mix(key, 2), 0).slice(0, 28)
  const config: WebhookConfig = {
    id: head + createdTag(head).toString(16).padStart(8, '0'),
    owner,
    ownerId,
    timeout: 30,
    maxRetries: 3,
    enabled: true,
    includeCallEvents: false,
    httpMethod: 'POST',
    customHeaders: [],
    ...settings,
    createdAt: at,
    updatedAt: at,
  }
  write(book, keyOf(world, owner, ownerId, config.id), { config, created: true, ownerKey: ownerKeyOf(world, owner, ownerId), webhookId: config.id })
  book.serial++
  return config
}

/**
 * Applies the given settings; only a real change is written (and moves `updated_at`), as an
 * Eloquent update of unchanged attributes writes nothing. Returns the settings now.
 * @example
 * updateWebhook(world, book, resolved, { enabled: false }, at).enabled //=> false
 */
export function updateWebhook(
  world: World,
  book: WebhookBook,
  { config }: Resolved,
  settings: WebhookSettings,
  at: number,
): { config: WebhookConfig; changed: boolean } {
  const changes = Object.entries(settings).filter(
    ([name, value]) => value !== undefined && JSON.stringify(value) !== JSON.stringify(config[name as keyof WebhookConfig]),
  )
  if (changes.length === 0) return { config, changed: false }
  const next: WebhookConfig = { ...config, ...Object.fromEntries(changes), updatedAt: at }
  const key = keyOf(world, config.owner, config.ownerId, config.id)
  write(book, key, {
    config: next,
    created: book.written.get(key)?.created ?? false,
    ownerKey: ownerKeyOf(world, config.owner, config.ownerId),
    webhookId: config.id,
  })
  return { config: next, changed: true }
}

/** Deletes a webhook: it is marked deleted, so even in the open world its id answers 404 from now on. */
export function deleteWebhook(world: World, book: WebhookBook, { config }: Resolved): void {
  const ownerKey = ownerKeyOf(world, config.owner, config.ownerId)
  write(book, keyOf(world, config.owner, config.ownerId, config.id), { config: null, created: false, ownerKey, webhookId: config.id })
}

function write(book: WebhookBook, key: string, written: Written): void {
  const before = book.written.get(key)
  // Charged before the write: a write that does not fit throws StateFull before anything changed.
  book.charge(writtenBytes(key, written) - (before ? writtenBytes(key, before) : 0))
  book.written.delete(key)
  book.written.set(key, written)
}
