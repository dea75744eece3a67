// The reference model of the model-based test: what the mock's overlay must hold after any
// sequence of commands, kept as plainly as possible so it is obviously right. Per session (and for
// requests without one): the clock's offset from the anchor, the retry rows made, the webhooks
// written, and when it was last used (in the harness's nominal real time). Nothing here talks HTTP.

/** Every instant the mock serves stays at or before this one (9999-12-31T23:59:59Z, epoch seconds). */
export const MAX_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59) / 1000
/** The default anchor (--now) and seed of the apps under test. */
export const ANCHOR = Date.UTC(2024, 0, 15, 12) / 1000
export const SEED = 1
/** A session idle this long (real ms) is forgotten whole; any request in it keeps all of it. */
export const SESSION_IDLE_MS = 10 * 60 * 1000
/** How long a retry row stays pending (the apps run with --retry-settle-ms 2000). */
export const SETTLE_MS = 2000
/** Logs are kept 30 days: a retry row older than that before the instant served may or may not show. */
export const RETENTION_SECONDS = 30 * 86_400

export type Owner = 'agent' | 'campaign'

/** A webhook the commands may aim at: declared in the fixtures, or created in a session. */
export interface Target {
  owner: Owner
  ownerId: string
  webhookId: string
}

export const DECLARED: readonly Target[] = [
  { owner: 'agent', ownerId: 'agent-uuid', webhookId: 'webhook-uuid' },
  { owner: 'agent', ownerId: 'a', webhookId: 'w' },
  { owner: 'agent', ownerId: 'model-agent', webhookId: 'mostly-fine' },
  { owner: 'campaign', ownerId: 'campaign-uuid', webhookId: 'webhook-uuid-1' },
]

/** Webhooks declared with failure_rate 1: no delivery's first attempt may succeed. */
export const ALWAYS_FAILS = new Set(['a/w'])

export interface RetryRow {
  id: string
  /** created_at of the row (= queued_at), epoch seconds. */
  queuedAt: number
  /** Nominal real ms when it was made. */
  madeAtMs: number
}

export interface Written {
  target: Target
  created: boolean
  deleted: boolean
  /** Known once a write or a read showed it. */
  enabled?: boolean
  /** The last name a rename gave it (`Renamed <n>`). */
  name?: number
}

export interface SessionModel {
  /** Seconds the clock travelled from the anchor. */
  offset: number
  /** Retry rows by webhookKey, oldest first. */
  retries: Map<string, RetryRow[]>
  /** Webhook writes by webhookKey. */
  written: Map<string, Written>
  /** Failed rows seen in a list, by webhookKey: what a retry command may aim at. */
  failed: Map<string, string[]>
  /** Nominal real ms of the session's last request. */
  usedAt: number
}

export interface Model {
  anchor: number
  seed: number
  /** Nominal real time (ms): the sum of the waits; each app adds a small jitter of its own. */
  realMs: number
  global: SessionModel
  sessions: Map<string, SessionModel>
}

export const newSession = (usedAt: number): SessionModel => ({ offset: 0, retries: new Map(), written: new Map(), failed: new Map(), usedAt })

export function newModel(): Model {
  return { anchor: ANCHOR, seed: SEED, realMs: 0, global: newSession(0), sessions: new Map() }
}

/** The key of one webhook's state in one world (seed), as the mock keys it. */
export const webhookKey = (seed: number, t: Target) => JSON.stringify([seed, t.owner, t.ownerId, t.webhookId])

/**
 * The state of a session for a request in it at the model's real time: forgotten whole first when
 * it was idle too long, then marked used. `undefined` is the state of requests without a session.
 */
export function use(model: Model, session: string | undefined): SessionModel {
  expire(model)
  if (session === undefined) return model.global
  let s = model.sessions.get(session)
  if (!s) model.sessions.set(session, (s = newSession(model.realMs)))
  s.usedAt = model.realMs
  return s
}

/** Forgets every session idle for SESSION_IDLE_MS or more. */
export function expire(model: Model): void {
  for (const [id, s] of model.sessions) if (model.realMs - s.usedAt >= SESSION_IDLE_MS) model.sessions.delete(id)
}

/** The instant a session's clock shows, epoch seconds. */
export const clockOf = (model: Model, s: SessionModel) => model.anchor + s.offset

/** Retry rows of a webhook that must show at `instant`, and those that may (older than the retention). */
export function retriesAt(s: SessionModel, key: string, instant: number): { must: RetryRow[]; may: RetryRow[]; never: RetryRow[] } {
  const rows = s.retries.get(key) ?? []
  const shown = rows.filter((r) => r.queuedAt <= instant)
  return {
    must: shown.filter((r) => r.queuedAt >= instant - RETENTION_SECONDS),
    may: shown.filter((r) => r.queuedAt < instant - RETENTION_SECONDS),
    never: rows.filter((r) => r.queuedAt > instant),
  }
}

/** The webhooks a session may aim at: the declared ones and those it created (deleted ones too: they must answer 404). */
export function targetsOf(model: Model, s: SessionModel): Target[] {
  const created = [...s.written.entries()].filter(([key, w]) => w.created && JSON.parse(key)[0] === model.seed).map(([, w]) => w.target)
  return [...DECLARED, ...created]
}

/** Epoch seconds as the mock's Timestamp (`2024-01-15T12:00:00Z`). */
export const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
/** Epoch seconds as a webhook's Laravel timestamp (`2024-01-15T12:00:00.000000Z`). */
export const laravel = (seconds: number) => iso(seconds).replace(/Z$/, '.000000Z')
