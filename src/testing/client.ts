// mockClient: a typed client of the mock's admin API (/__mock/*) for tests: faults, the clock,
// reset, request verification and live deliveries, over HTTP (a URL: a container, a CI service)
// or in-process (an app made by createApp, through app.request). Every call is scoped to the
// client's session when it has one. It imports only the spec's generated types.
import type { components } from '../http/openapi-types.js'
import { countMessage, describeMatch, type RequestMatch } from './closest.js'

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
export type { RequestMatch }

/** Anything with Hono's `request(path, init)`: the app createApp returns. */
export interface InProcessApp {
  request(input: string, init?: RequestInit): Response | Promise<Response>
}

export interface MockClientOptions {
  /** The mock's `--admin-token`, sent as `Authorization: Bearer …` on admin calls. */
  adminToken?: string
  /** Scope every call to this `X-Mock-Session` (config, faults, clock, reset, journal, deliveries). */
  session?: string
}

/** An admin call the mock refused: its status and message. */
export class MockClientError extends Error {
  override name = 'MockClientError'
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    const message = (body as { message?: unknown } | null)?.message
    super(`talkover-mock refused ${what} with ${status}${typeof message === 'string' ? `: ${message}` : ''}`)
  }
}

/** A request-count assertion that failed; its message names the closest requests. */
export class MockAssertionError extends Error {
  override name = 'AssertionError'
  constructor(
    message: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(message)
  }
}

/** What `deliveries.waitFor` looks for: a delivery to `webhook` whose attempt `attempt` ended with `status` (a log status like `success`, or the receiver's HTTP status). */
export interface DeliveryMatch {
  webhook?: string
  event?: string
  attempt?: number
  status?: MockDeliveryAttempt['status'] | number
}

/**
 * A typed client of the admin API of a running mock (a URL) or an in-process app.
 * @example
 * const mock = mockClient('http://127.0.0.1:4010', { session: 'checkout-test' })
 * await mock.failNext(2, 503)
 * await mock.clock.advance('1h')
 * await mock.requests.expectCount({ method: 'GET', path: '/api/v1/agents/a/webhooks/w/logs' }, 3)
 */
export function mockClient(target: string | URL | InProcessApp, options: MockClientOptions = {}) {
  const { adminToken, session } = options
  const base = typeof target === 'object' && 'request' in target ? undefined : String(target).replace(/\/+$/, '')
  const send = (path: string, init: RequestInit = {}): Promise<Response> =>
    base === undefined ? Promise.resolve((target as InProcessApp).request(path, init)) : fetch(`${base}${path}`, init)

  async function admin<T>(method: string, path: string, query: Record<string, string | number | undefined> = {}, body?: unknown): Promise<T> {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries({ session, ...query })) if (value !== undefined) params.set(key, String(value))
    const url = `/__mock/${path}${params.size ? `?${params}` : ''}`
    const headers: Record<string, string> = {}
    if (adminToken !== undefined) headers.authorization = `Bearer ${adminToken}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await send(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.text()
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = text
    }
    if (!res.ok) throw new MockClientError(res.status, parsed, `${method} ${url}`)
    return parsed as T
  }
  const data = async <T>(method: string, path: string, query?: Record<string, string | number | undefined>, body?: unknown) =>
    (await admin<{ data: T }>(method, path, query, body)).data
  const configure = (patch: MockConfigPatch) => data<MockConfig>('PATCH', 'config', {}, patch)
  const filterQuery = (match: RequestMatch = {}) => ({
    method: match.method,
    path: match.path,
    path_prefix: match.path_prefix,
    status: match.status,
    since: match.since === undefined ? undefined : new Date(match.since).toISOString(),
    ...(match.session !== undefined && { session: match.session }),
  })

  const requests = {
    /** Journal entries matching `match`, newest first (the client's session only, when it has one). */
    find: (match: RequestMatch = {}, limit?: number) => data<MockRequest[]>('GET', 'requests', { ...filterQuery(match), limit }),
    /** How many journal entries match. */
    count: async (match: RequestMatch = {}) => (await data<{ count: number }>('GET', 'requests/count', filterQuery(match))).count,
    /** Throws a MockAssertionError naming the closest requests unless exactly `n` entries match. */
    async expectCount(match: RequestMatch, n: number): Promise<void> {
      const found = await requests.count(match)
      if (found === n) return
      const journal = await data<MockRequest[]>('GET', 'requests', { limit: 200, ...(match.session !== undefined && { session: match.session }) })
      throw new MockAssertionError(countMessage({ ...(session !== undefined && { session }), ...match }, n, found, journal), n, found)
    },
    /** Throws a MockAssertionError naming the closest requests unless at least one entry matches. */
    async assertRequested(match: RequestMatch): Promise<void> {
      const found = await requests.count(match)
      if (found > 0) return
      const journal = await data<MockRequest[]>('GET', 'requests', { limit: 200 })
      throw new MockAssertionError(
        countMessage({ ...(session !== undefined && { session }), ...match }, 1, 0, journal).replace(/^Expected 1 request/, 'Expected at least 1 request'),
        1,
        0,
      )
    },
  }

  const deliveries = {
    /** Recent live deliveries, newest first. */
    list: (limit?: number) => data<MockDelivery[]>('GET', 'deliveries', { limit }),
    /** Delivers one event for real (`--deliver live`); answers the first attempt's log id. */
    send: (request: Schemas['MockDeliveryRequest']) => admin<Schemas['MockDeliveryQueued']>('POST', 'deliveries', {}, request),
    /**
     * Polls until a delivery matches (webhook, event, an attempt with its number and status), or
     * throws after `timeout` ms (default 5000) listing what was delivered.
     */
    async waitFor(match: DeliveryMatch, { timeout = 5000, interval = 25 }: { timeout?: number; interval?: number } = {}) {
      const deadline = Date.now() + timeout
      for (;;) {
        const list = await deliveries.list(1000)
        for (const delivery of list) {
          if (match.webhook !== undefined && delivery.webhook_id !== match.webhook) continue
          if (match.event !== undefined && delivery.event !== match.event) continue
          const attempt = delivery.attempts.find(
            (a) =>
              (match.attempt === undefined || a.attempt === match.attempt) &&
              (match.status === undefined || (typeof match.status === 'number' ? a.http_status === match.status : a.status === match.status)),
          )
          if (attempt) return { delivery, attempt }
        }
        if (Date.now() >= deadline) {
          const seen = list.flatMap((d) =>
            d.attempts.map((a) => `  ${d.webhook_id} ${d.event} attempt ${a.attempt}: ${a.status}${a.http_status ? ` (${a.http_status})` : ''}`),
          )
          throw new MockAssertionError(
            `No delivery matched ${JSON.stringify(match)} within ${timeout} ms.${seen.length ? `\nAttempts so far:\n${seen.slice(0, 10).join('\n')}` : ' Nothing was delivered (is the mock running with --deliver live?).'}`,
            1,
            0,
          )
        }
        await new Promise((done) => setTimeout(done, interval))
      }
    },
  }

  return {
    /** The session every call is scoped to, if any. */
    session,
    /** The same client scoped to another session. */
    withSession: (id: string) => mockClient(target, { ...options, session: id }),
    /** A fetch to the mock (any path) carrying the client's `X-Mock-Session`. */
    fetch(path: string, init: RequestInit = {}): Promise<Response> {
      const headers = new Headers(init.headers)
      if (session !== undefined && !headers.has('x-mock-session')) headers.set('x-mock-session', session)
      return send(path, { ...init, headers })
    },
    /** The config in force (of the session). */
    config: () => data<MockConfig>('GET', 'config'),
    /** Changes any config key (PATCH /__mock/config): all or nothing. */
    configure,
    /** The next `count` requests fail with `status` (default the configured error status), or as `script` says. */
    failNext: (count: number, status?: number | Omit<MockFailNext, 'count'>) =>
      configure({ fail_next: { count, ...(typeof status === 'number' ? { status: status as MockFailNext['status'] } : status) } }),
    /** Requests n, 2n, 3n … fail (null turns it off). */
    failEvery: (n: number | null, status?: number) =>
      configure({ fail_every: n === null ? null : { n, ...(status !== undefined && { status: status as MockFailNext['status'] }) } }),
    /** Latency of every API answer: `250`, `'50-300'`, `'p50=80,p99=400'`; null for none. */
    latency: (spec: number | string | null) => configure({ latency: spec }),
    /** A share of API requests (0–1) answers `status` (default the configured error status). */
    errorRate: (rate: number, status?: number) =>
      configure({ error_rate: rate, ...(status !== undefined && { error_status: status as MockConfig['error_status'] }) }),
    /** Back to the start-up state: the client's session only, or the whole mock without one. */
    reset: () => admin<{ success: true; message: string }>('POST', 'reset'),
    /** The declared agents and campaigns with their webhook ids. */
    world: () => data<MockWorld>('GET', 'world'),
    clock: {
      get: () => data<MockClock>('GET', 'clock'),
      /** Moves the clock forward: seconds, or a duration like `'1h30m'`. */
      advance: (by: number | string) => data<MockClock>('POST', 'clock', {}, { advance: by }),
      /** Moves the clock to an instant (never backwards). */
      set: (instant: string | Date) => data<MockClock>('POST', 'clock', {}, { set: instant instanceof Date ? instant.toISOString() : instant }),
    },
    requests,
    deliveries,
    /** A filter in words, as assertion messages show it. */
    describe: describeMatch,
  }
}

export type MockClient = ReturnType<typeof mockClient>
