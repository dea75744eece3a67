// The world a request is answered from: seed, anchor time, the declared agents and webhooks (from
// fixtures) and whether undeclared ids get a generated history. It resolves a webhook to its
// profile: every setting its history is generated from. Pure; profiles are memoised per world.
import type { AppSettings } from './config.js'
import { EMPTY_CATALOG, type Catalog, type PinnedRow, type WebhookFixture } from './fixtures.js'
import { Lru } from './lru.js'
import { PageCache } from './page-cache.js'
import { Rng, cumulate, hashKey, mix } from './random.js'
import { drawFailure, errorTexts, failureDuration } from './receiver.js'
import type { Segment } from './segments.js'
import { RETENTION_SECONDS, backoffSeconds, gapAfter } from './time.js'
import { EVENT_NAMES, EVENT_WEIGHT, FAILURE_CUMULATIVE, FAILURES, STACK_CUMULATIVE, STACKS, vocab } from './vocab.js'

export interface World {
  seed: number
  /** Epoch seconds the world is anchored at; the 30-day retention window ends here. */
  now: number
  catalog: Catalog
  /** Memo of profiles, decoded segments and encoded pages, shared by withSeed copies. Never changes an answer. */
  cache: { profiles: Lru<WebhookProfile>; segments: Lru<Segment>; pages: PageCache }
}

/** The last attempts of a pinned delivery that the generated history continues (attempt a-1 … 1). */
export interface ContinuationRow {
  attempt: number
  createdAt: number
  durationMs: number
  httpStatus?: number
  error: string
}

/** Where the generated rows go: after `prefix` pinned/continued rows, inside [start, end]. */
export interface Layout {
  prefix: number
  generated: number
  start: number
  end: number
  /** Rows per segment (the last one may be partial). */
  segmentSize: number
  /** True when the history ends at `now`, so its newest deliveries may still be in flight. */
  inFlight: boolean
}

/** Everything a webhook's history is generated from. */
export interface WebhookProfile {
  agentId: string
  webhookId: string
  total: number
  maxRetries: number
  /** Seconds. */
  timeout: number
  events: string[]
  enabled: boolean
  /** Share of deliveries whose first attempt fails. */
  failureRate: number
  /** For the retry endpoint: how a manual retry of this webhook ends (fixtures only). */
  retryOutcome?: 'success' | 'failed'
  /** True when the webhook is declared in a fixture. */
  declared: boolean
  seed: number
  now: number
  /** hash(seed, agentId, webhookId): keys every random choice of this webhook. */
  key: number
  /** Chance that a retry succeeds after a failure. */
  recoverRate: number
  /** Index into FAILURES of this receiver's characteristic failure. */
  primaryFailure: number
  /** Index into STACKS of this receiver's software. */
  stack: number
  latencyMs: number
  /** Index into REGIONS of the agent's phone numbers. */
  region: number
  host: string
  agentIdJson: string
  agentPhone: string
  eventCumulative: Int32Array
  errorTexts: string[]
  head: readonly PinnedRow[]
  continuation: readonly ContinuationRow[]
  layout: Layout
}

/** Budget of the encoded-page cache: ~150 pages of 100 rows (~600 of 25); RSS grows by this much at most. */
export const PAGE_CACHE_BYTES = 8 * 1024 * 1024

/**
 * Builds the world from validated settings and the loaded fixtures.
 * @example
 * createWorld({ seed: 1, now: 1705320000 }) // open world, nothing declared
 */
export function createWorld(settings: Pick<AppSettings, 'seed' | 'now'>, catalog: Catalog = EMPTY_CATALOG): World {
  vocab()
  const cache = { profiles: new Lru<WebhookProfile>(1024), segments: new Lru<Segment>(512), pages: new PageCache(PAGE_CACHE_BYTES) }
  return Object.freeze({ seed: settings.seed, now: settings.now, catalog, cache })
}

/** The same world with another seed (the X-Mock-Seed header). */
export function withSeed(world: World, seed: number): World {
  return seed === world.seed ? world : Object.freeze({ ...world, seed })
}

/**
 * Resolves a webhook: its profile, or which 404 the real API would answer (open world off).
 * @example
 * lookupWebhook(world, 'agent-uuid', 'webhook-uuid') //=> { total: 247, maxRetries: 2, … }
 */
export function lookupWebhook(world: World, agentId: string, webhookId: string): WebhookProfile | 'agentNotFound' | 'webhookNotFound' {
  const agent = world.catalog.agents.get(agentId)
  const fixture = agent?.get(webhookId)
  if (!fixture && !world.catalog.openWorld) return agent ? 'webhookNotFound' : 'agentNotFound'
  return world.cache.profiles.get(`${world.seed}\u0000${agentId}\u0000${webhookId}`, () => buildProfile(world, agentId, webhookId, fixture))
}

const TIMEOUTS = [5, 10, 15, 20, 45, 60, 90, 120]

function buildProfile(world: World, agentId: string, webhookId: string, fixture: WebhookFixture | undefined): WebhookProfile {
  // Draw every open-world setting in a fixed order, then let the fixture override some of them.
  const key = hashKey(world.seed, agentId, webhookId)
  const rng = new Rng(key)
  const size = rng.int(100)
  const total = size < 10 ? 0 : size < 78 ? 10 + rng.int(390) : size < 95 ? 400 + rng.int(4_600) : 5_000 + rng.int(45_000)
  const maxRetries = rng.chance(0.75) ? 3 : rng.int(11)
  const timeout = rng.chance(0.8) ? 30 : rng.pick(TIMEOUTS)
  const band = rng.int(10)
  const failureRate = band < 6 ? 0.01 + 0.07 * rng.next() : band < 9 ? 0.1 + 0.2 * rng.next() : 0.4 + 0.5 * rng.next()
  const enabled = rng.chance(0.92)
  const events = EVENT_NAMES.filter((_, i) => i < 2 || rng.chance(0.25))
  const recoverRate = 0.3 + 0.5 * rng.next()
  const primaryFailure = rng.weighted(FAILURE_CUMULATIVE)
  const stack = rng.weighted(STACK_CUMULATIVE)
  const [fast, slow] = STACKS[stack].latency
  const latencyMs = fast + rng.int(slow - fast)
  const host = rng.pick(vocab().hosts)
  const disabledAgo = 3_600 + rng.int(10 * 86_400)
  const agentRng = new Rng(hashKey(world.seed, agentId))
  const region = agentRng.chance(0.7) ? 0 : 1
  const phones = vocab().phones[region]
  const head = fixture?.head ?? []
  const declared = fixture !== undefined
  const p: WebhookProfile = {
    agentId,
    webhookId,
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

/** Earlier attempts of the last pinned row's delivery (attempt a-1 … 1), spaced by the backoff. */
function continuation(p: WebhookProfile): ContinuationRow[] {
  const last = p.head[p.head.length - 1]
  if (!last || last.attempt <= 1) return []
  const rng = new Rng(mix(p.key, 0xc0471))
  const count = Math.min(last.attempt - 1, p.total - p.head.length)
  const rows: ContinuationRow[] = []
  let t = last.createdAt
  let kind = -1
  for (let attempt = last.attempt - 1; attempt >= last.attempt - count; attempt--) {
    let row: Omit<ContinuationRow, 'createdAt'>
    if (last.error !== undefined) {
      const durationMs = Math.max(1, Math.floor((last.durationMs ?? 1_000) * (0.8 + 0.4 * rng.next())))
      row = { attempt, durationMs, httpStatus: last.httpStatus, error: last.error }
    } else {
      kind = drawFailure(p, rng, kind)
      row = { attempt, durationMs: failureDuration(p, kind, rng), httpStatus: FAILURES[kind].http, error: p.errorTexts[kind] }
    }
    t -= gapAfter(attempt, row.durationMs, rng.next())
    rows.push({ ...row, createdAt: t })
  }
  return rows
}

function layout(p: WebhookProfile, now: number, disabledAgo: number): Layout {
  const last = p.head[p.head.length - 1]
  const cont = p.continuation
  const prefix = p.head.length + cont.length
  const generated = p.total - prefix
  const end = cont.length > 0 ? cont[cont.length - 1].createdAt - 1 : last ? last.createdAt - 1 : p.enabled ? now : now - disabledAgo
  let start = now - RETENTION_SECONDS
  // Pinned rows so old that the window before them is too short: use the 30 days before them.
  if (end - start + 1 < Math.max(86_400, 2 * generated)) start = end - RETENTION_SECONDS
  // Segments long enough for a few full retry chains, so chains rarely need compressing.
  let chainSeconds = 0
  for (let k = 1; k <= p.maxRetries; k++) chainSeconds += backoffSeconds(k) * 1.2 + p.timeout
  const secondsPerRow = (end - start + 1) / Math.max(1, generated)
  const segmentSize = Math.min(512, Math.max(32, Math.ceil((4 * chainSeconds) / secondsPerRow)))
  return Object.freeze({ prefix, generated, start, end, segmentSize, inFlight: p.head.length === 0 && p.enabled })
}
