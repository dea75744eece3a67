// mockClient: a typed client of the mock's admin API (/__mock/*) for tests: faults, the clock,
// reset, request verification and live deliveries, over HTTP (a URL: a container, a CI service)
// or in-process (an app made by createApp, through app.request). Every call is scoped to the
// client's session when it has one, bounded by a timeout and stopped by an AbortSignal. It imports
// only the spec's generated types and its own folder.
import type { components } from '../http/openapi-types.js'
import { isoInstant, sessionId, wholeNumber } from './checks.js'
import { countMessage, describeMatch, type RequestMatch } from './closest.js'
import { type DeliveryMatch, type WaitForOptions, waitForDelivery } from './deliveries.js'
import { MockAssertionError, MockClientError, refusal } from './errors.js'
import { type CallOptions, DEFAULT_TIMEOUT, type InProcessApp, transport } from './transport.js'

type Schemas = components['schemas']
export type MockConfig = Schemas['MockConfig']
export type MockConfigPatch = Schemas['MockConfigPatch']
export type MockClock = Schemas['MockClock']
export type MockRequest = Schemas['MockRequest']
export type MockDelivery = Schemas['MockDelivery']
export type MockDeliveryAttempt = Schemas['MockDeliveryAttempt']
export type MockFailNext = Schemas['MockFailNext']
export type MockWorld = { seed: number; now: string; open_world: boolean; agents: MockOwnerIds[]; campaigns: MockOwnerIds[] }
export type MockOwnerIds = { id: string; webhooks: string[] }
export type { CallOptions, DeliveryMatch, InProcessApp, RequestMatch, WaitForOptions }
export { MockAssertionError, MockClientError }

export interface MockClientOptions extends CallOptions {
  /** The mock's `--admin-token`, sent as `Authorization: Bearer …` on admin calls. */
  adminToken?: string
  /** Scope every call to this `X-Mock-Session` (config, faults, clock, reset, journal, deliveries). */
  session?: string
}

type Query = Record<string, string | number | undefined>
const COUNT = 'a whole number of requests, 1 or more'

/**
 * A typed client of the admin API of a running mock (a URL) or an in-process app. Every call
 * takes a last `{ timeout?, signal? }`; the client's `timeout` (default 10000 ms) and `signal`
 * apply to every call.
 * @example
 * const mock = mockClient('http://127.0.0.1:4010', { session: 'checkout-test' })
 * await mock.failNext(2, 503)
 * await mock.clock.advance('1h')
 * await mock.requests.expectCount({ method: 'GET', path: '/api/v1/agents/a/webhooks/w/logs' }, 3)
 */
export function mockClient(target: string | URL | InProcessApp, options: MockClientOptions = {}) {
  const { adminToken, session } = options
  if (session !== undefined) sessionId(session)
  const send = transport(target, options)
  const app = typeof target === 'object' && 'request' in target
  const where = app ? '' : String(target).replace(/\/+$/, '')

  async function admin<T>(method: string, path: string, query: Query = {}, body?: unknown, call?: CallOptions): Promise<T> {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries({ session, ...query })) if (value !== undefined) params.set(key, String(value))
    const url = `/__mock/${path}${params.size ? `?${params}` : ''}`
    const headers: Record<string, string> = {}
    if (adminToken !== undefined) headers.authorization = `Bearer ${adminToken}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    const { res, text = '' } = await send(method, url, { headers, body: body === undefined ? undefined : JSON.stringify(body) }, call)
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = text
    }
    if (!res.ok) throw new MockClientError(refusal(`${method} ${url}`, res.status, parsed), 'refused', res.status, parsed)
    // Every admin answer is {"success":true,…}: anything else came from a server that is not the mock.
    if (typeof parsed !== 'object' || parsed === null || (parsed as { success?: unknown }).success !== true)
      throw new MockClientError(
        `${where || 'The app given to mockClient'} is not talkover-mock: it answered ${res.status} ${res.headers.get('content-type') ?? 'without a content type'} to ${method} ${url}, not {"success":true,…}. Check the URL given to mockClient.`,
        'not-mock',
        res.status,
        parsed,
      )
    return parsed as T
  }
  const data = async <T>(method: string, path: string, query?: Query, body?: unknown, call?: CallOptions) =>
    (await admin<{ data: T }>(method, path, query, body, call)).data
  const configure = (patch: MockConfigPatch, call?: CallOptions) => data<MockConfig>('PATCH', 'config', {}, patch, call)
  const filterQuery = (match: RequestMatch, where: string) => ({
    method: match.method,
    path: match.path,
    path_prefix: match.path_prefix,
    status: match.status,
    since: match.since === undefined ? undefined : isoInstant(match.since, 'since', where),
    ...(match.session !== undefined && { session: match.session }),
  })
  const limit = (n: number | undefined, where: string) => (n === undefined ? undefined : wholeNumber(n, 1, 'limit', where, 'a whole number from 1'))
  const journal = (match: RequestMatch, call?: CallOptions) =>
    data<MockRequest[]>('GET', 'requests', { limit: 200, ...(match.session !== undefined && { session: match.session }) }, undefined, call)
  const scoped = (match: RequestMatch) => ({ ...(session !== undefined && { session }), ...match })

  const requests = {
    /** Journal entries matching `match`, newest first (the client's session only, when it has one). */
    find: async (match: RequestMatch = {}, max?: number, call?: CallOptions) =>
      data<MockRequest[]>('GET', 'requests', { ...filterQuery(match, 'requests.find'), limit: limit(max, 'requests.find') }, undefined, call),
    /** How many journal entries match. */
    count: async (match: RequestMatch = {}, call?: CallOptions) =>
      (await data<{ count: number }>('GET', 'requests/count', filterQuery(match, 'requests.count'), undefined, call)).count,
    /** Throws a MockAssertionError naming the matching and the closest requests unless exactly `n` entries match. */
    async expectCount(match: RequestMatch, n: number, call?: CallOptions): Promise<void> {
      wholeNumber(n, 0, 'expected count', 'expectCount', 'a whole number of requests, 0 or more')
      filterQuery(match, 'expectCount')
      const found = await requests.count(match, call)
      if (found === n) return
      throw new MockAssertionError(countMessage(scoped(match), n, found, await journal(match, call)), n, found)
    },
    /** Throws a MockAssertionError naming the closest requests unless at least one entry matches. */
    async assertRequested(match: RequestMatch, call?: CallOptions): Promise<void> {
      filterQuery(match, 'assertRequested')
      const found = await requests.count(match, call)
      if (found > 0) return
      const message = countMessage(scoped(match), 1, 0, await journal(match, call)).replace(/^Expected 1 request/, 'Expected at least 1 request')
      throw new MockAssertionError(message, 1, 0)
    },
  }

  const list = (max?: number, call?: CallOptions) => data<MockDelivery[]>('GET', 'deliveries', { limit: limit(max, 'deliveries.list') }, undefined, call)
  const deliveries = {
    /** Recent live deliveries, newest first. */
    list,
    /** Delivers one event for real (`--deliver live`); answers the first attempt's log id. */
    send: (request: Schemas['MockDeliveryRequest'], call?: CallOptions) => admin<Schemas['MockDeliveryQueued']>('POST', 'deliveries', {}, request, call),
    /**
     * Polls until a delivery matches (webhook, event, an attempt with its number and status), or
     * throws after `timeout` ms (default 5000, the whole wait, requests in flight included) listing
     * what was delivered; `signal` stops it sooner.
     */
    waitFor: (match: DeliveryMatch, wait: WaitForOptions = {}) =>
      waitForDelivery((call) => list(1000, call), `GET ${where}/__mock/deliveries`, options.timeout ?? DEFAULT_TIMEOUT, match, wait),
  }

  return {
    /** The session every call is scoped to, if any. */
    session,
    /** The same client scoped to another session. */
    withSession: (id: string) => mockClient(target, { ...options, session: id }),
    /** A fetch to the mock (any path) carrying the client's `X-Mock-Session`; bounded by the client's timeout unless `init.signal` is given. */
    async fetch(path: string, init: RequestInit = {}): Promise<Response> {
      const headers = new Headers(init.headers)
      if (session !== undefined && !headers.has('x-mock-session')) headers.set('x-mock-session', session)
      return (await send(init.method ?? 'GET', path, { ...init, headers }, {}, false)).res
    },
    /** The config in force (of the session). */
    config: (call?: CallOptions) => data<MockConfig>('GET', 'config', {}, undefined, call),
    /** Changes any config key (PATCH /__mock/config): all or nothing. */
    configure,
    /** The next `count` requests fail with `status` (default the configured error status), or as `script` says. */
    failNext: async (count: number, status?: number | Omit<MockFailNext, 'count'>, call?: CallOptions) => {
      wholeNumber(count, 1, 'count', 'failNext', COUNT)
      return configure({ fail_next: { count, ...(typeof status === 'number' ? { status: status as MockFailNext['status'] } : status) } }, call)
    },
    /** Requests n, 2n, 3n … fail (null turns it off). */
    failEvery: async (n: number | null, status?: number, call?: CallOptions) => {
      if (n !== null) wholeNumber(n, 1, 'n', 'failEvery', 'a whole number, 1 or more (null turns it off)')
      return configure({ fail_every: n === null ? null : { n, ...(status !== undefined && { status: status as MockFailNext['status'] }) } }, call)
    },
    /** Latency of every API answer: `250`, `'50-300'`, `'p50=80,p99=400'`; null for none. */
    latency: (spec: number | string | null, call?: CallOptions) => configure({ latency: spec }, call),
    /** A share of API requests (0–1) answers `status` (default the configured error status). */
    errorRate: (rate: number, status?: number, call?: CallOptions) =>
      configure({ error_rate: rate, ...(status !== undefined && { error_status: status as MockConfig['error_status'] }) }, call),
    /** Back to the start-up state: the client's session only, or the whole mock without one. */
    reset: (call?: CallOptions) => admin<{ success: true; message: string }>('POST', 'reset', {}, undefined, call),
    /** The declared agents and campaigns with their webhook ids. */
    world: (call?: CallOptions) => data<MockWorld>('GET', 'world', {}, undefined, call),
    clock: {
      get: (call?: CallOptions) => data<MockClock>('GET', 'clock', {}, undefined, call),
      /** Moves the clock forward: seconds, or a duration like `'1h30m'`. */
      advance: (by: number | string, call?: CallOptions) => data<MockClock>('POST', 'clock', {}, { advance: by }, call),
      /** Moves the clock to an instant (never backwards). */
      set: async (instant: string | Date, call?: CallOptions) =>
        data<MockClock>('POST', 'clock', {}, { set: instant instanceof Date ? isoInstant(instant, 'instant', 'clock.set') : instant }, call),
    },
    requests,
    deliveries,
    /** A filter in words, as assertion messages show it. */
    describe: describeMatch,
  }
}

export type MockClient = ReturnType<typeof mockClient>
