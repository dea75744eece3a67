// talkover-mock/testing: the mock from inside a test. mockClient (the typed admin client, over a URL
// or in-process) and useTalkoverMock (one line per test file: a mock on a free port for the file,
// a session of its own for each test). An entry point: it may import server.ts and testing/.
import { startServer, type RunningServer, type ServerOptions } from './server.js'
import { mockClient, type MockClient } from './testing/client.js'

export {
  mockClient,
  MockAssertionError,
  MockClientError,
  type CallOptions,
  type DeliveryMatch,
  type InProcessApp,
  type MockClient,
  type MockClientOptions,
  type MockClock,
  type MockConfig,
  type MockConfigPatch,
  type MockDelivery,
  type MockDeliveryAttempt,
  type MockFailNext,
  type MockOwnerIds,
  type MockRequest,
  type MockWorld,
  type RequestMatch,
  type WaitForOptions,
} from './testing/client.js'
export type { MockClientErrorKind } from './testing/errors.js'

type Hook = (fn: () => unknown, timeout?: number) => unknown

/** The test framework's lifecycle hooks (vitest's or jest's). */
export interface TestHooks {
  beforeAll: Hook
  afterAll: Hook
  beforeEach: Hook
}

export interface UseTalkoverMockOptions extends ServerOptions {
  /**
   * The framework's hooks. Default: the global ones (jest, vitest with `globals: true`); with
   * vitest's default config pass them: `useTalkoverMock({ hooks: { beforeAll, afterAll, beforeEach } })`.
   */
  hooks?: TestHooks
}

/** What useTalkoverMock gives a test file; read its fields inside tests and hooks. */
export interface TalkoverMock {
  /** The mock's base URL, e.g. http://127.0.0.1:41234. */
  readonly url: string
  /** The current test's session id (a new one for each test). */
  readonly session: string
  /** A mockClient scoped to the current test's session. */
  readonly client: MockClient
  /** fetch against the mock (a path or a full URL) with the current test's `X-Mock-Session`. */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>
}

let files = 0

/**
 * Starts one mock for the test file (a real server on a free port, closed after the file) and
 * gives every test its own session, so tests never see each other's faults, clock, writes or journal.
 * @example
 * const mock = useTalkoverMock({ seed: 42, hooks: { beforeAll, afterAll, beforeEach } })
 * it('retries a 503', async () => {
 *   await mock.client.failNext(1, 503)
 *   const res = await mock.fetch('/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs', { headers: { Authorization: 'Bearer talq_x' } })
 * })
 */
export function useTalkoverMock(options: UseTalkoverMockOptions = {}): TalkoverMock {
  const { hooks = globalHooks(), ...serverOptions } = options
  const file = ++files
  let server: RunningServer | undefined
  let session: string | undefined
  let client: MockClient | undefined
  let tests = 0
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useTalkoverMock: ${what} is there only inside tests and their hooks, once the mock has started (beforeAll).`)
    return value
  }
  hooks.beforeAll(async () => {
    server = await startServer({ port: 0, ...serverOptions })
  })
  hooks.afterAll(async () => {
    await server?.close()
    server = undefined
  })
  hooks.beforeEach(() => {
    session = `test-${file}-${++tests}`
    client = mockClient(started(server, 'the mock').url, { adminToken: serverOptions.adminToken, session })
  })
  return {
    get url() {
      return started(server, 'url').url
    },
    get session() {
      return started(session, 'session')
    },
    get client() {
      return started(client, 'client')
    },
    fetch(input, init = {}) {
      const url = new URL(input, started(server, 'fetch').url)
      const headers = new Headers(init.headers)
      if (!headers.has('x-mock-session')) headers.set('x-mock-session', started(session, 'fetch'))
      return fetch(url, { ...init, headers })
    },
  }
}

function globalHooks(): TestHooks {
  const g = globalThis as Partial<TestHooks>
  if (typeof g.beforeAll === 'function' && typeof g.afterAll === 'function' && typeof g.beforeEach === 'function') {
    return { beforeAll: g.beforeAll, afterAll: g.afterAll, beforeEach: g.beforeEach }
  }
  throw new Error(
    "useTalkoverMock needs the test framework's beforeAll, afterAll and beforeEach: pass them (import { afterAll, beforeAll, beforeEach } from 'vitest'; useTalkoverMock({ hooks: { beforeAll, afterAll, beforeEach } })) or turn on vitest's globals: true.",
  )
}
