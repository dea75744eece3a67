// The commands of the model-based test: each sends one request (to both apps, see real.ts), checks
// the answer against the reference model (model.ts), then updates the model. `commandArbitraries`
// is what fc.commands draws sequences from.
import fc from 'fast-check'
import { expect } from 'vitest'
import { checkList, historyAt, listOp, logsPath } from './lists.js'
import {
  clockOf,
  iso,
  laravel,
  MAX_INSTANT,
  newModel,
  RETENTION_SECONDS,
  SETTLE_MS,
  targetsOf,
  use,
  webhookKey,
  type Model,
  type SessionModel,
  type Target,
} from './model.js'
import { both, MAX_JITTER_MS, wait, type Real } from './real.js'

type Cmd = fc.AsyncCommand<Model, Real>
const SESSIONS = [undefined, 's1', 's2'] as const
type Session = (typeof SESSIONS)[number]
// Weighted towards few sessions and the docs webhook, so commands meet each other's state often.
const session = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.constant('s1' as const) },
  { weight: 1, arbitrary: fc.constant('s2' as const) },
)
const jitter = fc.integer({ min: 0, max: MAX_JITTER_MS })
const q = (s: Session) => (s === undefined ? '' : `?session=${s}`)

/** X-Mock-Now choices, resolved against the model when the command runs (the anchor moves). */
const PINS = ['clock', 'anchor', 'anchor+1h', 'anchor+1d', 'anchor+2d', 'clock-1h', 'max', 'past-max', 'before-anchor'] as const
type Pin = (typeof PINS)[number]
function pinned(m: Model, s: SessionModel, pin: Pin): { instant: number; header?: string; valid: boolean } {
  const now = clockOf(m, s)
  switch (pin) {
    case 'clock':
      return { instant: now, valid: true }
    case 'anchor':
      return { instant: m.anchor, header: iso(m.anchor), valid: true }
    case 'anchor+1h':
      return { instant: m.anchor + 3600, header: iso(m.anchor + 3600), valid: true }
    case 'anchor+1d':
      return { instant: m.anchor + 86_400, header: iso(m.anchor + 86_400), valid: true }
    case 'anchor+2d':
      return { instant: m.anchor + 172_800, header: iso(m.anchor + 172_800), valid: true }
    case 'clock-1h': {
      const at = Math.max(m.anchor, now - 3600)
      return { instant: at, header: iso(at), valid: true }
    }
    case 'max':
      return { instant: MAX_INSTANT, header: iso(MAX_INSTANT), valid: true }
    case 'past-max':
      return { instant: MAX_INSTANT + 43_200, header: '9999-12-31T23:59:59-12:00', valid: false }
    case 'before-anchor':
      return { instant: m.anchor - 1, header: iso(m.anchor - 1), valid: false }
  }
}

/** The webhook a command aims at (by index among the session's targets) and its state. */
function aim(m: Model, s: SessionModel, index: number, seed = m.seed) {
  const targets = targetsOf(m, s)
  const t = targets[index % targets.length]
  const key = webhookKey(seed, t)
  const written = s.written.get(key)
  const created = s.written.get(webhookKey(m.seed, t))?.created === true
  // A webhook created in another world (seed) does not exist in this one.
  const gone = written ? written.deleted : created && seed !== m.seed
  return { t, key, written, created, gone }
}

export class ListPage implements Cmd {
  constructor(readonly args: { session?: Session; target: number; page: number; perPage: number; pin: Pin; seed?: number; jitter: number }) {}
  check = () => true
  async run(m: Model, r: Real) {
    const { session, page, perPage, jitter } = this.args
    const s = use(m, session)
    const seed = this.args.seed ?? m.seed
    const { t, key, gone, created } = aim(m, s, this.args.target, seed)
    const at = pinned(m, s, this.args.pin)
    const headers = { 'X-Mock-Session': session, 'X-Mock-Now': at.header, 'X-Mock-Seed': this.args.seed?.toString() }
    const res = await both(r, jitter, { url: `${logsPath(t)}?page=${page}&per_page=${perPage}`, headers }, listOp(t))
    if (!at.valid) return void expect(res.status, `X-Mock-Now ${at.header} is refused`).toBe(422)
    if (gone) return void expect(res.status, 'a deleted webhook answers 404').toBe(404)
    expect(res.status, res.text.slice(0, 300)).toBe(200)
    const p = res.body.pagination
    const rows = await checkList({
      real: r,
      s,
      t,
      key,
      instant: at.instant,
      headers,
      seed,
      created,
      page: { rows: res.body.data, page, perPage, total: p.total },
    })
    // Retry rows settle after --retry-settle-ms of real time, seen at the session's clock.
    if (at.header === undefined) {
      for (const retry of s.retries.get(key) ?? []) {
        const row = rows.find((x) => x.id === retry.id)
        if (row && m.realMs - retry.madeAtMs >= SETTLE_MS) expect(row.status, `retry ${retry.id} settled after ${SETTLE_MS} ms`).not.toBe('pending')
      }
    }
    s.failed.set(
      key,
      [
        ...new Set([
          ...rows
            .filter((x) => x.status === 'failed')
            .map((x) => x.id)
            .slice(0, 6),
          ...(s.failed.get(key) ?? []),
        ]),
      ].slice(0, 12),
    )
  }
  toString = () => `ListPage(${JSON.stringify(this.args)})`
}

/**
 * The answer a retry of `logId` must get at `instant`, from the model and the pure world (the
 * docs' "Retrying a failed delivery"): 404 when the id is not in the list at that instant (unknown,
 * or a retry row dated after it); 422 when it is there but not retriable (not `failed`, older than
 * 30 days, webhook disabled); else 200. A retry row's own status depends on the retry clock: a
 * listed one may answer 200 or 422, never 404.
 */
async function expectedRetry(
  r: Real,
  s: SessionModel,
  a: { t: Target; key: string; written?: { enabled?: boolean }; created: boolean },
  logId: string,
  instant: number,
  seed: number,
): Promise<number[]> {
  const enabled = a.written?.enabled !== false
  const own = (s.retries.get(a.key) ?? []).find((x) => x.id === logId)
  if (own) {
    if (own.queuedAt > instant) return [404]
    return own.queuedAt < instant - RETENTION_SECONDS || !enabled ? [422] : [200, 422]
  }
  const history = a.created ? [] : await historyAt(r, a.t, instant, seed)
  const row = history.find((x) => x.id === logId)
  if (!row) return [404]
  const tooOld = Date.parse(row.created_at) / 1000 < instant - RETENTION_SECONDS
  return row.status === 'failed' && !tooOld && enabled ? [200] : [422]
}

export class Retry implements Cmd {
  constructor(readonly args: { session?: Session; target: number; pick: number; log?: string; pin: Pin; seed?: number; jitter: number }) {}
  check = () => true
  async run(m: Model, r: Real) {
    const { session, jitter } = this.args
    const s = use(m, session)
    const seed = this.args.seed ?? m.seed
    const aimed = aim(m, s, this.args.target, seed)
    const { t, key, gone } = aimed
    // The docs' failed row first, so random runs retry one row at several instants often.
    const candidates = ['log-uuid-2', ...(s.failed.get(key) ?? []), ...(s.retries.get(key) ?? []).map((x) => x.id), 'log-uuid-1', 'no-such-log']
    // `log: 'own:<n>'` names the n-th retry row the model made on this webhook.
    const own = this.args.log?.startsWith('own:') ? s.retries.get(key)?.[Number(this.args.log.slice(4))]?.id : undefined
    const logId = own ?? this.args.log ?? candidates[this.args.pick % candidates.length]
    const at = pinned(m, s, this.args.pin)
    const headers = { 'X-Mock-Session': session, 'X-Mock-Now': at.header, 'X-Mock-Seed': this.args.seed?.toString() }
    const op = t.owner === 'agent' ? 'retryWebhookLog' : 'retryCampaignWebhookLog'
    const res = await both(r, jitter, { method: 'POST', url: `${logsPath(t)}/${logId}/retry`, headers }, op)
    if (!at.valid) return void expect(res.status, `X-Mock-Now ${at.header} is refused`).toBe(422)
    if (gone) return void expect(res.status, 'a deleted webhook answers 404').toBe(404)
    const expected = await expectedRetry(r, s, aimed, logId, at.instant, seed)
    expect(expected, `retry of ${logId} at ${iso(at.instant)} answered ${res.status}: ${res.text.slice(0, 300)}`).toContain(res.status)
    if (res.status !== 200) return
    const data = res.body.data
    expect(data.original_log_id).toBe(logId)
    // The campaign API's answer has no queued_at: its row's created_at is checked by every list.
    if (t.owner === 'agent') expect(data.queued_at, 'a retry is queued at the instant it is made at, whatever the real time').toBe(iso(at.instant))
    for (const rows of s.retries.values())
      expect(
        rows.some((x) => x.id === data.log_id),
        `retry id ${data.log_id} is new`,
      ).toBe(false)
    s.retries.set(key, [...(s.retries.get(key) ?? []), { id: data.log_id, queuedAt: at.instant, madeAtMs: m.realMs }])
  }
  toString = () => `Retry(${JSON.stringify(this.args)})`
}

/** Clock moves: advance by seconds or a duration, or set an instant (forward only, never past 9999). */
const MOVES = [
  { advance: 60 },
  { advance: 3600 },
  { advance: '1h30m' },
  { advance: '1d' },
  { advance: '400d' },
  { advance: 3_153_600_000 },
  { set: 'max' },
  { set: 'past-max' },
  { set: '+2h' },
  { set: '-1h' },
] as const
type Move = (typeof MOVES)[number]
const SECONDS: Record<string, number> = { '1h30m': 5400, '1d': 86_400, '400d': 400 * 86_400 }

export class MoveClock implements Cmd {
  constructor(readonly args: { session?: Session; move: Move; jitter: number }) {}
  check = () => true
  async run(m: Model, r: Real) {
    const { session, move, jitter } = this.args
    const s = use(m, session)
    const now = clockOf(m, s)
    let body: unknown
    let to: number
    if ('advance' in move) {
      body = move
      to = now + (typeof move.advance === 'number' ? move.advance : SECONDS[move.advance])
    } else {
      to = move.set === 'max' ? MAX_INSTANT : move.set === 'past-max' ? MAX_INSTANT + 43_200 : now + (move.set === '+2h' ? 7200 : -3600)
      body = { set: move.set === 'past-max' ? '9999-12-31T23:59:59-12:00' : iso(to) }
    }
    const res = await both(r, jitter, { method: 'POST', url: `/__mock/clock${q(session)}`, body }, 'moveMockClock')
    if (to < now || to > MAX_INSTANT) return void expect(res.status, `a move to ${to} (now ${now}) is refused`).toBe(422)
    expect(res.status, res.text).toBe(200)
    s.offset = to - m.anchor
    expect(res.body.data.now).toBe(iso(to))
  }
  toString = () => `MoveClock(${JSON.stringify(this.args)})`
}

export class ReadClock implements Cmd {
  constructor(readonly args: { session?: Session; jitter: number }) {}
  check = () => true
  async run(m: Model, r: Real) {
    const s = use(m, this.args.session)
    const res = await both(r, this.args.jitter, { url: `/__mock/clock${q(this.args.session)}` }, 'getMockClock')
    expect(res.status).toBe(200)
    expect(res.body.data, 'the clock the model expects').toMatchObject({ now: iso(clockOf(m, s)), anchor: iso(m.anchor) })
  }
  toString = () => `ReadClock(${JSON.stringify(this.args)})`
}

export class CreateWebhook implements Cmd {
  constructor(readonly args: { session?: Session; owner: 'agent' | 'campaign'; pin: Pin; jitter: number }) {}
  check = () => true
  async run(m: Model, r: Real) {
    const { session, owner, jitter } = this.args
    const s = use(m, session)
    const at = pinned(m, s, this.args.pin)
    const headers = { 'X-Mock-Session': session, 'X-Mock-Now': at.header }
    const [url, body] =
      owner === 'agent'
        ? ['/api/v1/agents/model-agent/webhooks', { name: 'Made by the model', webhook_url: 'https://example.com/made', events: ['event_phone_call_ended'] }]
        : [
            '/api/v1/campaigns/campaign-uuid/webhooks',
            { name: 'Made by the model', webhook_url: 'https://example.com/made', events: ['campaign_call.completed'] },
          ]
    const res = await both(r, jitter, { method: 'POST', url, headers, body }, owner === 'agent' ? 'createAgentWebhook' : 'createCampaignWebhook')
    if (!at.valid) return void expect(res.status).toBe(422)
    expect(res.status, res.text).toBe(201)
    const data = res.body.data
    expect(data.created_at, 'a webhook is created at the instant it is made at, whatever the real time').toBe(laravel(at.instant))
    const target: Target = { owner, ownerId: owner === 'agent' ? 'model-agent' : 'campaign-uuid', webhookId: data.id }
    const key = webhookKey(m.seed, target)
    expect(s.written.has(key), `webhook id ${data.id} is new`).toBe(false)
    s.written.set(key, { target, created: true, deleted: false, enabled: true })
  }
  toString = () => `CreateWebhook(${JSON.stringify(this.args)})`
}

/** Update (rename), toggle or delete a webhook; the campaign API has no delete. */
export class WriteWebhook implements Cmd {
  constructor(readonly args: { session?: Session; target: number; action: 'update' | 'toggle' | 'delete'; pin: Pin; name: number; jitter: number }) {}
  check = () => true
  async run(m: Model, r: Real) {
    const { session, action, jitter } = this.args
    const s = use(m, session)
    const { t, key, written, gone } = aim(m, s, this.args.target)
    const at = pinned(m, s, this.args.pin)
    const headers = { 'X-Mock-Session': session, 'X-Mock-Now': at.header }
    const base = t.owner === 'agent' ? `/api/v1/agents/${t.ownerId}/webhooks/${t.webhookId}` : `/api/v1/campaigns/${t.ownerId}/webhooks/${t.webhookId}`
    const kind = t.owner === 'agent' ? 'Agent' : 'Campaign'
    const act = action === 'delete' && t.owner === 'campaign' ? 'toggle' : action
    const sent =
      act === 'update'
        ? { method: 'PUT', url: base, headers, body: { name: `Renamed ${this.args.name}` } }
        : act === 'toggle'
          ? { method: 'PATCH', url: `${base}/toggle`, headers }
          : { method: 'DELETE', url: base, headers }
    const res = await both(r, jitter, sent, `${act}${kind}Webhook`)
    if (!at.valid) return void expect(res.status).toBe(422)
    if (gone) return void expect(res.status, 'a deleted webhook answers 404').toBe(404)
    expect(res.status, res.text).toBe(200)
    const w = written ?? { target: t, created: false, deleted: false }
    if (act === 'delete') w.deleted = true
    if (act === 'toggle') {
      if (w.enabled !== undefined) expect(res.body.data.enabled, 'toggle flips enabled').toBe(!w.enabled)
      w.enabled = res.body.data.enabled
    }
    if (act === 'update' && res.body.data.updated_at !== undefined && w.name !== undefined && w.name !== this.args.name) {
      expect(res.body.data.updated_at, 'a webhook is updated at the instant it is written at, whatever the real time').toBe(laravel(at.instant))
    }
    if (act === 'update') w.name = this.args.name
    s.written.set(key, w)
  }
  toString = () => `WriteWebhook(${JSON.stringify(this.args)})`
}

const PATCHES = [{ seed: 7 }, { seed: 1 }, { now: '2024-02-01T00:00:00Z' }, { now: '2024-01-15T12:00:00Z' }, { error_rate: 0 }, { latency: null }] as const

export class PatchConfig implements Cmd {
  constructor(readonly args: { session?: Session; patch: (typeof PATCHES)[number]; jitter: number }) {}
  check = () => true
  async run(m: Model, r: Real) {
    const { session, patch, jitter } = this.args
    if (session !== undefined) use(m, session)
    const res = await both(r, jitter, { method: 'PATCH', url: `/__mock/config${q(session)}`, body: patch }, 'updateMockConfig')
    const global = 'seed' in patch || 'now' in patch
    if (global && session !== undefined) return void expect([400, 422], 'seed and now belong to the whole mock').toContain(res.status)
    expect(res.status, res.text).toBe(200)
    if (!global) return
    await Promise.resolve(r.oracle.request('/__mock/config', { method: 'PATCH', body: JSON.stringify(patch), headers: { 'content-type': 'application/json' } }))
    if ('seed' in patch) m.seed = patch.seed
    if ('now' in patch) {
      const anchor = Date.parse(patch.now) / 1000
      // A new anchor starts every clock afresh at it.
      if (anchor !== m.anchor) for (const s of [m.global, ...m.sessions.values()]) s.offset = 0
      m.anchor = anchor
    }
  }
  toString = () => `PatchConfig(${JSON.stringify(this.args)})`
}

export class Reset implements Cmd {
  constructor(readonly args: { session?: Session | ''; jitter: number }) {}
  check = () => true
  async run(m: Model, r: Real) {
    const { session, jitter } = this.args
    const res = await both(r, jitter, { method: 'POST', url: `/__mock/reset${session === undefined ? '' : `?session=${session}`}` }, 'resetMock')
    // An empty ?session= names no session: it must not reset everything.
    if (session === '') return void expect([400, 422], `an empty ?session= is refused, nothing reset: ${res.text}`).toContain(res.status)
    expect(res.status).toBe(200)
    if (session !== undefined) return void m.sessions.delete(session)
    await Promise.resolve(r.oracle.request('/__mock/reset', { method: 'POST' }))
    Object.assign(m, { ...newModel(), realMs: m.realMs })
  }
  toString = () => `Reset(${JSON.stringify(this.args)})`
}

/**
 * Real time passing with no request: 5 s (retries settle), 4 min (sessions stay), 9m59s (just
 * under the idle limit: sessions stay), 10m1s and 11 min (idle sessions go).
 */
export class Wait implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true
  async run(m: Model, r: Real) {
    m.realMs += this.ms
    wait(r, this.ms)
  }
  toString = () => `Wait(${this.ms})`
}

/**
 * A session kept alive by one kind of request every 4 minutes, three times (12 minutes): any
 * request in a session keeps all of its state (clock, retries, webhooks), so nothing is forgotten.
 */
export class KeepAlive implements Cmd {
  constructor(readonly args: { session: 's1' | 's2'; via: 'clock' | 'config' | 'webhooks' | 'requests' }) {}
  check = () => true
  async run(m: Model, r: Real) {
    const { session, via } = this.args
    for (let i = 0; i < 3; i++) {
      m.realMs += 240_000
      wait(r, 240_000)
      use(m, session)
      const res =
        via === 'clock'
          ? await both(r, 0, { url: `/__mock/clock${q(session)}` }, 'getMockClock')
          : via === 'config'
            ? await both(r, 0, { url: `/__mock/config${q(session)}` }, 'getMockConfig')
            : via === 'requests'
              ? await both(r, 0, { url: `/__mock/requests${q(session)}` }, 'listMockRequests', { sameBytes: false })
              : await both(r, 0, { url: '/api/v1/agents/model-agent/webhooks', headers: { 'X-Mock-Session': session } }, 'listAgentWebhooks')
      expect(res.status).toBe(200)
    }
  }
  toString = () => `KeepAlive(${JSON.stringify(this.args)})`
}

const target = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat({ max: 40 }) })
const pin = fc.constantFrom(...PINS)
const pinMostlyClock = fc.oneof({ weight: 3, arbitrary: fc.constant<Pin>('clock') }, { weight: 1, arbitrary: pin })
const seed = fc.option(fc.constant(7), { nil: undefined, freq: 8 })
/** Mostly the first few candidates (log-uuid-2 first), so one row is retried at several instants. */
const pick = fc.oneof({ weight: 3, arbitrary: fc.nat({ max: 2 }) }, { weight: 1, arbitrary: fc.nat() })

/** What fc.commands draws from: every kind of command, weighted towards lists and retries. */
export const commandArbitraries: fc.Arbitrary<Cmd>[] = [
  fc
    .record({ session, target, page: fc.integer({ min: 1, max: 4 }), perPage: fc.integer({ min: 1, max: 100 }), pin: pinMostlyClock, seed, jitter })
    .map((a) => new ListPage(a)),
  fc
    .record({ session, target, page: fc.integer({ min: 1, max: 300 }), perPage: fc.integer({ min: 1, max: 100 }), pin: fc.constant<Pin>('clock'), jitter })
    .map((a) => new ListPage(a)),
  fc.record({ session, target, pick, pin: pinMostlyClock, seed, jitter }).map((a) => new Retry(a)),
  fc.record({ session, target, pick, pin, jitter }).map((a) => new Retry(a)),
  fc.record({ session, target, pick, pin: fc.constant<Pin>('clock'), jitter }).map((a) => new Retry(a)),
  fc.record({ session, move: fc.constantFrom(...MOVES), jitter }).map((a) => new MoveClock(a)),
  fc.record({ session, jitter }).map((a) => new ReadClock(a)),
  fc.record({ session, owner: fc.constantFrom('agent' as const, 'campaign' as const), pin: pinMostlyClock, jitter }).map((a) => new CreateWebhook(a)),
  fc
    .record({
      session,
      target,
      action: fc.constantFrom('update' as const, 'toggle' as const, 'delete' as const),
      pin: pinMostlyClock,
      name: fc.nat({ max: 3 }),
      jitter,
    })
    .map((a) => new WriteWebhook(a)),
  fc.record({ session, patch: fc.constantFrom(...PATCHES), jitter }).map((a) => new PatchConfig(a)),
  fc.record({ session: fc.constantFrom<Session | ''>(...SESSIONS, ''), jitter }).map((a) => new Reset(a)),
  fc.constantFrom(5_000, 5_000, 240_000, 599_000, 601_000, 660_000).map((ms) => new Wait(ms)),
  fc
    .record({
      session: fc.constantFrom('s1' as const, 's2' as const),
      via: fc.constantFrom('clock' as const, 'config' as const, 'webhooks' as const, 'requests' as const),
    })
    .map((a) => new KeepAlive(a)),
]
