// talkover-mock/testing: the mock from inside a test. mockClient (the typed admin client, over a URL
// or in-process) and useTalkoverMock (one line per test file: a mock on a free port for the file,
// a session of its own for each test). An entry point: it may import server.ts and testing/.
// The shipped declarations name Node's types (node:http servers, Buffers): they come with the
// package (@types/node is a dependency), so a strict project that lists no `types` typechecks.
/// <reference types="node" preserve="true" />
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

/** One test's view of the mock: its session, a client and a fetch bound to it. */
export interface TalkoverMockTest {
  /** The test's session id (a new one for each test). */
  readonly session: string
  /** A mockClient scoped to the test's session. */
  readonly client: MockClient
  /** fetch against the mock (a path or a full URL) with the test's `X-Mock-Session`. */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>
}

/** What useTalkoverMock gives a test file; read its fields inside tests and hooks. */
export interface TalkoverMock extends TalkoverMockTest {
  /** The mock's base URL, e.g. http://127.0.0.1:41234. */
  readonly url: string
  /**
   * The view of the test whose vitest `context` this is: what concurrent tests (`it.concurrent`)
   * use, since `session`, `client` and `fetch` cannot tell which of several running tests asks.
   */
  for(context: object): TalkoverMockTest
}

/** What the framework passes to beforeEach: vitest's test context (jest passes nothing). */
interface HookContext {
  task?: { concurrent?: boolean }
  onTestFinished?: (fn: () => void) => void
}

let files = 0

/**
 * Starts one mock for the test file (a real server on a free port, closed after the file) and
 * gives every test its own session, so tests never see each other's faults, clock, writes or journal.
 * Concurrent tests take theirs with `mock.for(context)`.
 * @example
 * const mock = useTalkoverMock({ seed: 42, hooks: { beforeAll, afterAll, beforeEach } })
 * it('retries a 503', async () => {
 *   await mock.client.failNext(1, 503)
 *   const res = await mock.fetch('/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs', { headers: { Authorization: 'Bearer talq_x' } })
 * })
 * it.concurrent('runs beside others', async (context) => {
 *   const { client, fetch } = mock.for(context)
 * })
 */
export function useTalkoverMock(options: UseTalkoverMockOptions = {}): TalkoverMock {
  const { hooks = globalHooks(), ...serverOptions } = options
  const file = ++files
  let server: RunningServer | undefined
  let tests = 0
  type Scope = TalkoverMockTest & { concurrent: boolean }
  const byContext = new WeakMap<object, Scope>()
  // The tests between their beforeEach and their end (vitest's onTestFinished); without that
  // signal (jest), the last test that started.
  const running = new Set<Scope>()
  let latest: Scope | undefined
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useTalkoverMock: ${what} is there only inside tests and their hooks, once the mock has started (beforeAll).`)
    return value
  }
  const current = (what: string): Scope => {
    if (running.size > 1 || [...running].some((scope) => scope.concurrent))
      throw new Error(
        `useTalkoverMock: ${what} cannot tell which of the tests running at once (it.concurrent) is asking. Take the test's own: it.concurrent('…', async (context) => { const { session, client, fetch } = mock.for(context) }).`,
      )
    return started([...running][0] ?? latest, what)
  }
  const scopeOf = (session: string, concurrent: boolean): Scope => {
    const url = started(server, 'the mock').url
    const client = mockClient(url, { adminToken: serverOptions.adminToken, session })
    return {
      session,
      client,
      concurrent,
      fetch(input, init = {}) {
        const headers = new Headers(init.headers)
        if (!headers.has('x-mock-session')) headers.set('x-mock-session', session)
        return fetch(new URL(input, url), { ...init, headers })
      },
    }
  }
  hooks.beforeAll(async () => {
    server = await startServer({ port: 0, ...serverOptions })
  })
  hooks.afterAll(async () => {
    await server?.close()
    server = undefined
  })
  // Rest parameters: jest hands a done callback to a hook that declares a parameter.
  hooks.beforeEach((...args: unknown[]) => {
    const context = (typeof args[0] === 'object' && args[0] !== null) || typeof args[0] === 'function' ? (args[0] as HookContext) : undefined
    const scope = scopeOf(`test-${file}-${++tests}`, context?.task?.concurrent === true)
    latest = scope
    if (context === undefined) return
    byContext.set(context, scope)
    if (typeof context.onTestFinished !== 'function') return
    running.add(scope)
    context.onTestFinished(() => running.delete(scope))
  })
  return {
    get url() {
      return started(server, 'url').url
    },
    get session() {
      return current('mock.session').session
    },
    get client() {
      return current('mock.client').client
    },
    fetch(input, init) {
      started(server, 'fetch')
      return current('mock.fetch').fetch(input, init)
    },
    for(context) {
      const scope = byContext.get(context)
      if (scope === undefined)
        throw new Error(
          "useTalkoverMock: mock.for(context) needs the context vitest passes to the test (it('…', (context) => …)); this one belongs to no test of this file.",
        )
      return scope
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
