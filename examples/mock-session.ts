// Test support to copy next to your contract tests: one talkover-mock session per test. A session
// has its own scripted failures, request counter, journal and retried logs, so tests that run in
// parallel against one mock (in-process, on a port, or a CI service container) never see each
// other's faults. The admin calls go through the same typed client as the API (tag Mock in
// openapi.yaml), so a misspelt setting is a type error.
import createClient, { type Middleware } from 'openapi-fetch'
import type { components, paths } from './generated/talkover-api.js'

export type FailNext = components['schemas']['MockFailNext']
export type MockConfigPatch = components['schemas']['MockConfigPatch']
export type JournalEntry = components['schemas']['MockRequest']

export interface MockSessionOptions {
  /** The mock's `--admin-token`, when it runs with one. */
  adminToken?: string
  /** A fetch to reach the mock without a socket, e.g. `(request) => app.fetch(request)`. */
  fetch?: (request: Request) => Promise<Response>
}

export interface MockSession {
  readonly id: string
  /** openapi-fetch middleware that sends `X-Mock-Session`: `client.use(session.middleware)`. */
  readonly middleware: Middleware
  /** Forgets everything the session did (scripts, counters, journal, retried logs). */
  reset(): Promise<void>
  /** Changes settings for this session only, e.g. `{ retry_after: 2 }` or `{ latency: '50-300' }`. */
  configure(patch: MockConfigPatch): Promise<void>
  /** Fails the session's next requests, script by script: `failNext({ count: 2, status: 503 })`. */
  failNext(...scripts: FailNext[]): Promise<void>
  /** The session's API requests as the mock saw them, oldest first. */
  requests(): Promise<JournalEntry[]>
}

/**
 * A talkover-mock session for one test.
 * @example
 * const session = mockSession(mock.url, 'retries-503')
 * await session.reset()
 * client.use(session.middleware)
 * await session.failNext({ count: 2, status: 503 })
 * // … run the code under test with `client` …
 * expect((await session.requests()).map((r) => r.status)).toEqual([503, 503, 200])
 */
export function mockSession(baseUrl: string, id: string, { adminToken, fetch }: MockSessionOptions = {}): MockSession {
  const admin = createClient<paths>({
    baseUrl,
    ...(adminToken ? { headers: { Authorization: `Bearer ${adminToken}` } } : {}),
    ...(fetch ? { fetch } : {}),
  })
  const query = { session: id }
  const ok = <T>({ data, error, response }: { data?: T; error?: unknown; response: Response }): T => {
    if (data === undefined) throw new Error(`talkover-mock admin call failed with ${response.status}: ${JSON.stringify(error)}`)
    return data
  }
  const configure = async (patch: MockConfigPatch) => {
    ok(await admin.PATCH('/__mock/config', { params: { query }, body: patch }))
  }
  return {
    id,
    middleware: {
      onRequest({ request }) {
        request.headers.set('X-Mock-Session', id)
        return request
      },
    },
    reset: async () => void ok(await admin.POST('/__mock/reset', { params: { query } })),
    configure,
    failNext: (...scripts) => configure({ fail_next: scripts }),
    requests: async () => ok(await admin.GET('/__mock/requests', { params: { query } })).data.reverse(),
  }
}
