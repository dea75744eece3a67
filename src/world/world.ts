// Folder world/: the pure generated world. It owns seeds, ids, time, the vocabulary, receivers,
// payloads, the layout and segments of a webhook's history, log rows and their JSON, webhook
// settings and fixture loading (its only I/O). It may import encode/ and itself only: no Hono, no
// HTTP, no per-session state, no faults, no settings table. Its types sit at the bottom in model.ts.
//
// The world a request is answered from: seed, anchor time, the declared agents, campaigns and
// webhooks (from fixtures) and whether undeclared ids get a generated history. It resolves a webhook
// to its profile: every setting its history is generated from. Pure; profiles are memoised per world.
import { EMPTY_CATALOG } from './fixtures.js'
import { Lru } from '../encode/lru.js'
import { PageCache, pageKey } from '../encode/page-cache.js'
import { cacheShares, DEFAULT_CACHE_MB, type CacheShares } from '../encode/cache-budget.js'
import { Rng, cumulate, hashKey, hashKeyB } from '../encode/random.js'
import { continuation, layout } from './layout.js'
import { errorTexts } from './receiver.js'
import { CAMPAIGN_EVENT_NAMES, EVENT_NAMES, EVENT_WEIGHT, FAILURE_CUMULATIVE, STACK_CUMULATIVE, STACKS, vocab } from './vocab.js'
import type { Catalog, OwnerKind, OwnerNotFound, PinnedRow, Segment, WebhookFixture, WebhookProfile, World } from './model.js'

/**
 * Builds the world from validated settings and the loaded fixtures. Its caches (profiles, decoded
 * segments, encoded pages) share `cacheBytes`, the world's part of the --cache-mb budget; every
 * withSeed/withInstant copy shares them too, so other seeds never multiply memory.
 * @example
 * createWorld({ seed: 1, now: 1705320000 }) // open world, nothing declared
 */
export function createWorld(
  settings: { seed: number; now: number },
  catalog: Catalog = EMPTY_CATALOG,
  cacheBytes: Pick<CacheShares, 'pages' | 'segments' | 'profiles'> = cacheShares(DEFAULT_CACHE_MB * 1024 * 1024),
): World {
  vocab()
  const cache = {
    profiles: new Lru<WebhookProfile>(cacheBytes.profiles, profileBytes, { admitOnSecondMiss: true }),
    segments: new Lru<Segment>(cacheBytes.segments, segmentBytes, { admitOnSecondMiss: true }),
    pages: new PageCache(cacheBytes.pages),
  }
  return Object.freeze({ seed: settings.seed, now: settings.now, at: settings.now, catalog, cache })
}

/**
 * The same world seen at instant `at` (epoch seconds, never before the anchor): a clock that moved.
 * Pure: the world at `at` depends on `at` alone, never on the instants seen before.
 * @example
 * withInstant(world, world.now + 3600) // the world one hour after the anchor
 */
export function withInstant(world: World, at: number): World {
  if (!(Number.isInteger(at) && at >= world.now))
    throw new RangeError(`The world cannot be seen at ${at}: use whole seconds at or after its anchor ${world.now}.`)
  return at === world.at ? world : Object.freeze({ ...world, at })
}

/**
 * What a profile keeps alive: ~1.4 kB measured for an open-world webhook (its object, layout,
 * events, error texts and continuation), its ids in a few forms, and pinned rows moved by an anchor.
 */
function profileBytes(p: WebhookProfile): number {
  return 1536 + 4 * (p.agentId.length + p.webhookId.length) + 256 * p.head.length
}

/** What a decoded segment keeps alive: 35 bytes a row in eight typed arrays, ~1.9 kB of array objects measured. */
function segmentBytes(seg: Segment): number {
  return 2048 + 35 * seg.size
}

/** The same world with another seed (the X-Mock-Seed header). */
export function withSeed(world: World, seed: number): World {
  return seed === world.seed ? world : Object.freeze({ ...world, seed })
}

/** Which 404 an unknown owner answers. */
export const OWNER_NOT_FOUND: Readonly<Record<OwnerKind, OwnerNotFound>> = { agent: 'agentNotFound', campaign: 'campaignNotFound' }

/** The declared webhooks of an owner, or undefined when no fixture declares it. */
export function declaredWebhooks(world: World, owner: OwnerKind, ownerId: string): ReadonlyMap<string, WebhookFixture> | undefined {
  return (owner === 'agent' ? world.catalog.agents : world.catalog.campaigns).get(ownerId)
}

/**
 * Resolves a webhook: its profile, or which 404 the real API would answer (open world off).
 * @example
 * lookupWebhook(world, 'agent-uuid', 'webhook-uuid') //=> { total: 247, maxRetries: 2, … }
 * lookupWebhook(world, 'campaign-uuid', 'webhook-uuid-1', 'campaign') //=> { total: 47, … }
 */
export function lookupWebhook(
  world: World,
  ownerId: string,
  webhookId: string,
  owner: OwnerKind = 'agent',
): WebhookProfile | OwnerNotFound | 'webhookNotFound' {
  const declared = declaredWebhooks(world, owner, ownerId)
  const fixture = declared?.get(webhookId)
  if (!fixture && !world.catalog.openWorld) return declared ? 'webhookNotFound' : OWNER_NOT_FOUND[owner]
  // Ids are user input (a path may carry any character): the key is length-prefixed, never joined.
  const cacheKey = pageKey(world.seed, owner, ownerId, webhookId)
  return world.cache.profiles.get(cacheKey, () => buildProfile(world, owner, ownerId, webhookId, fixture))
}

/**
 * The profile of a webhook created at run time (never cached: its settings are the caller's).
 * @example
 * createdProfile(world, 'agent', 'a', 'new-id', { id: 'new-id', total: 0, head: [] })
 */
export function createdProfile(world: World, owner: OwnerKind, ownerId: string, webhookId: string, settings: WebhookFixture): WebhookProfile {
  return buildProfile(world, owner, ownerId, webhookId, settings)
}

const TIMEOUTS = [5, 10, 15, 20, 45, 60, 90, 120]

function buildProfile(world: World, owner: OwnerKind, agentId: string, webhookId: string, fixture: WebhookFixture | undefined): WebhookProfile {
  // Draw every open-world setting in a fixed order, then let the fixture override some of them.
  // Agent webhooks keep the key they always had; campaign webhooks get keys of their own.
  const key = owner === 'agent' ? hashKey(world.seed, agentId, webhookId) : hashKey(world.seed, 'campaign', agentId, webhookId)
  const rng = new Rng(key)
  const size = rng.int(100)
  const total = size < 10 ? 0 : size < 78 ? 10 + rng.int(390) : size < 95 ? 400 + rng.int(4_600) : 5_000 + rng.int(45_000)
  const maxRetries = rng.chance(0.75) ? 3 : rng.int(11)
  const timeout = rng.chance(0.8) ? 30 : rng.pick(TIMEOUTS)
  const band = rng.int(10)
  const failureRate = band < 6 ? 0.01 + 0.07 * rng.next() : band < 9 ? 0.1 + 0.2 * rng.next() : 0.4 + 0.5 * rng.next()
  const enabled = rng.chance(0.92)
  const events = (owner === 'agent' ? EVENT_NAMES : CAMPAIGN_EVENT_NAMES).filter((_, i) => i < 2 || rng.chance(0.25))
  const recoverRate = 0.3 + 0.5 * rng.next()
  const primaryFailure = rng.weighted(FAILURE_CUMULATIVE)
  const stack = rng.weighted(STACK_CUMULATIVE)
  const [fast, slow] = STACKS[stack].latency
  const latencyMs = fast + rng.int(slow - fast)
  const drawnHost = rng.pick(vocab().hosts)
  const host = fixture?.webhookUrl ? new URL(fixture.webhookUrl).hostname : drawnHost
  const disabledAgo = 3_600 + rng.int(10 * 86_400)
  const agentRng = new Rng(owner === 'agent' ? hashKey(world.seed, agentId) : hashKey(world.seed, 'campaign', agentId))
  const region = agentRng.chance(0.7) ? 0 : 1
  const phones = vocab().phones[region]
  const head = fixture ? anchoredHead(fixture, world.now) : []
  const declared = fixture !== undefined
  const p: WebhookProfile = {
    owner,
    agentId,
    webhookId,
    name: fixture?.name,
    webhookUrl: fixture?.webhookUrl,
    webhookSecret: fixture?.webhookSecret,
    includeCallEvents: fixture?.includeCallEvents,
    total: Math.max(fixture?.total ?? total, head.length),
    maxRetries: declared ? (fixture.maxRetries ?? 3) : maxRetries,
    timeout: declared ? (fixture.timeout ?? 30) : timeout,
    events: fixture?.events ?? events,
    enabled: declared ? (fixture.enabled ?? true) : enabled,
    failureRate: fixture?.failureRate ?? failureRate,
    retryOutcome: fixture?.retryOutcome,
    declared,
    seed: world.seed,
    now: world.now,
    key,
    idKey: hashKeyB(world.seed, owner, agentId, webhookId),
    recoverRate,
    primaryFailure,
    stack,
    latencyMs,
    region,
    host,
    agentIdJson: JSON.stringify(agentId),
    agentPhone: phones[agentRng.int(phones.length)],
    eventCumulative: new Int32Array(0),
    errorTexts: [],
    head,
    continuation: [],
    layout: { prefix: 0, generated: 0, start: 0, end: 0, segmentSize: 1, inFlight: false },
  }
  p.eventCumulative = cumulate(p.events.map((e) => EVENT_WEIGHT.get(e)!))
  p.errorTexts = errorTexts(p.timeout, host)
  p.continuation = continuation(p)
  p.layout = layout(p, world.now, disabledAgo)
  return Object.freeze(p)
}

/** A fixture's pinned rows at the world's `now`: moved by (now - anchor) when the fixture declares an anchor. */
function anchoredHead(fixture: WebhookFixture, now: number): readonly PinnedRow[] {
  const shift = fixture.anchor === undefined ? 0 : now - fixture.anchor
  if (shift === 0) return fixture.head
  return fixture.head.map((row) =>
    Object.freeze({ ...row, createdAt: row.createdAt + shift, deliveredAt: row.deliveredAt === undefined ? undefined : row.deliveredAt + shift }),
  )
}
