// The world's vocabulary of types, at the bottom of src/world/ so that no file imports upward:
// what a world, a webhook's profile, a catalog of fixtures, a layout, a segment and a log row are.
// Types only; it imports nothing but the caches' types from encode/.
import type { Lru } from '../encode/lru.js'
import type { PageCache } from '../encode/page-cache.js'

/** Everything about one row, including what its JSON omits (e.g. the payload of a failed attempt). */
export interface LogRecord {
  id: string
  webhookId: string
  event: string
  attempt: number
  status: 'pending' | 'success' | 'failed' | 'retrying'
  /** Epoch seconds. */
  createdAt: number
  /** request_payload as JSON text, ALWAYS set (attempts of a delivery share it). */
  payloadJson: string
  httpStatus?: number
  responseBody?: string
  responseHeadersJson?: string
  durationMs?: number
  error?: string
  deliveredAt?: number
  /** A recorded row's JSON text exactly as the upstream served it: what the list shows, byte for byte. */
  raw?: string
}

/** A pinned row as declared; `payloadJson` is filled in by the generator when the row shows none. */
export type PinnedRow = Omit<LogRecord, 'payloadJson'> & { payloadJson?: string }

/** One declared webhook. Absent settings fall back as docs/fixtures.md says. */
export interface WebhookFixture {
  id: string
  name?: string
  webhookUrl?: string
  webhookSecret?: string
  includeCallEvents?: boolean
  total?: number
  maxRetries?: number
  timeout?: number
  events?: string[]
  enabled?: boolean
  failureRate?: number
  retryOutcome?: 'success' | 'failed'
  /**
   * Epoch seconds of the `now` the file was written for (its top-level `anchor`). When set, the
   * head rows move with the world's `now` by (now - anchor); when absent (a recording of real logs)
   * they keep their instants.
   */
  anchor?: number
  head: PinnedRow[]
  /** True for a recording (`recorded_rows`): its rows are history, served as recorded, and never move with `--now`. */
  recorded?: boolean
}

/** The declared owners of one kind (agents or campaigns): owner id → webhook id → fixture. */
export type Owners = ReadonlyMap<string, ReadonlyMap<string, WebhookFixture>>

/** Every declared agent, campaign and webhook, and whether undeclared ids get a generated history. */
export interface Catalog {
  openWorld: boolean
  agents: Owners
  campaigns: Owners
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

/** One decoded segment: per row, newest first. */
export interface Segment {
  size: number
  time: Float64Array
  /** Time of the first attempt of the row's delivery (its payload's moment). */
  chainStart: Float64Array
  /** Seed of the row's delivery: event and payload derive from it. */
  chainSeed: Uint32Array
  attempt: Uint8Array
  /** The row's status once its attempt is over. */
  status: Uint8Array
  /** Index into FAILURES, or NO_KIND. */
  kind: Uint8Array
  duration: Uint32Array
  /** The row reads `pending` while the clock is before this instant; 0 for rows never pending. */
  pendingUntil: Float64Array
}

export interface World {
  seed: number
  /** Epoch seconds the world is anchored at (t0, --now); the 30-day retention window ends here. */
  now: number
  /**
   * The instant the world is seen at (epoch seconds, ≥ now): equal to `now` unless the clock moved
   * (see withInstant). Rows made since the anchor show on top, the oldest drop off.
   */
  at: number
  catalog: Catalog
  /** Memo of profiles, decoded segments and encoded pages, shared by withSeed copies. Never changes an answer. */
  cache: { profiles: Lru<WebhookProfile>; segments: Lru<Segment>; pages: PageCache }
}

/** Who a webhook belongs to: agent webhooks and campaign webhooks are separate worlds. */
export type OwnerKind = 'agent' | 'campaign'

/** Everything a webhook's history is generated from. */
export interface WebhookProfile {
  owner: OwnerKind
  /** The owner's id: the agent's, or the campaign's for a campaign webhook. */
  agentId: string
  webhookId: string
  /** Settings only a fixture (or a create request) gives; webhooks.ts draws the missing ones. */
  name?: string
  webhookUrl?: string
  /** Signs live deliveries; never shown. */
  webhookSecret?: string
  includeCallEvents?: boolean
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
  /** A second 32-bit hash of (seed, owner, agentId, webhookId): with `key`, the 64 bits log ids are keyed by (ids.ts). */
  idKey: number
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

export type OwnerNotFound = 'agentNotFound' | 'campaignNotFound'
