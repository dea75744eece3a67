// createApp: the whole mock as a Hono app, built from openapi.yaml. It never listens.
import { randomBytes, randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import { adminAuth, adminHandlers, dashboardRedirect, jsonBodies } from './admin/routes.js'
import { createClocks } from './clock/clock.js'
import { clockHandlers } from './admin/clock.js'
import { checkOptionShapes, parseSetting, refuseUnknownOptions, resolveAppSettings, resolveDeliverySettings } from './config.js'
import type { AllowedHost } from './delivery/allow.js'
import { createDeliveries, type Sleep } from './delivery/deliveries.js'
import { send as realSend, type SendRequest } from './delivery/send.js'
import type { LiveDeps } from './delivery/jobs.js'
import { deliveryHandlers } from './delivery/routes.js'
import { receiverCheckHandlers } from './receiver-check/routes.js'
import { createControl } from './admin/control.js'
import { resolveFaultOptions, type FaultOptions } from './faults/options.js'
import { apiError } from './http/errors.js'
import { MAX_BODY_TEXT } from './http/body-limit.js'
import { faultLayer, isEmulatedNetworkFailure, timerSleep } from './faults/layer.js'
import { CONTROL_HEADER_NAMES } from './faults/overrides.js'
import { DEFAULT_FIXTURES, loadFixtures } from './world/fixtures.js'
import { cacheJournal, observer, observing } from './admin/observe.js'
import { showEntry } from './admin/requests.js'
import { operationHandlers } from './api/logs.js'
import { createRetryDesk } from './state/retries.js'
import { createSessionBooks, createSessionRegistry } from './state/sessions.js'
import { corsHeaders, reflectingOrigins, type Cors } from './http/cors.js'
import { rateLimitHeaders } from './http/rate-limit.js'
import { createAnswerCache, type AnswerCache } from './http/answer-cache.js'
import { responder } from './http/respond.js'
import { createStateBudget, StateFull } from './state/budget.js'
import { mountSpec, type Runner } from './http/routes.js'
import { loadSpec } from './http/spec.js'
import { compileValidators } from './http/validate.js'
import { createWebhookBook } from './state/webhook-overlay.js'
import { createWorld } from './world/world.js'
import { cacheShares } from './encode/cache-budget.js'
import { createStore, type StateStore } from './fleet/store.js'
import { classifier, journalLine, journalWindow, mirrored, resetScope } from './fleet-wiring.js'

export interface AppOptions {
  /** Seed of the generated world (0–4294967295). Default 1. */
  seed?: number
  /** Instant the world is anchored at, ISO-8601, a Date, or 'wall' (the clock's reading at build time). Default 2024-01-15T12:00:00Z. */
  now?: string | Date
  /** Fixture file or folder (YAML or JSON), added to the default fixtures; same ids override. */
  fixtures?: string
  /** Accept only this bearer token (otherwise any `talq_…` token). */
  token?: string
  /** Path of the OpenAPI document; default the packaged openapi.yaml. */
  spec?: string
  /** Called with one access-log line per request. */
  log?: (line: string) => void
  /** Latency, error rates, network faults and scripts for /api/*, plus test hooks (sleep, clock). */
  faults?: FaultOptions
  /** Requests kept for GET /__mock/requests (default 1000; 0 keeps none). */
  journalSize?: number
  /** When set, /__mock/* (except health, ready and the dashboard's page and assets) requires `Authorization: Bearer <adminToken>`. */
  adminToken?: string
  /** How long a retried log stays `pending` before it settles, ms (default 2000; 0 settles at once). */
  retrySettleMs?: number
  /**
   * `frozen` (default): the world stays at `now` until moved (POST /__mock/clock); `live`: it runs
   * from `now` at `clockRate` clock seconds per real second (real time from `faults.clock`).
   */
  clock?: 'frozen' | 'live'
  /** Clock seconds per real second in live mode (default 1; 60 makes a minute pass per second). */
  clockRate?: number
  /** `live` sends real, signed webhooks to allowed receivers and logs each attempt (docs/receiver.md). Default `off`. */
  deliver?: 'off' | 'live'
  /** Hosts live delivery may reach besides loopback: `'receiver:3000,hooks.internal'` or a list. */
  deliverAllow?: string | readonly (string | AllowedHost)[]
  /** Seconds between live attempts, `'1,2,4'` or `[1, 2, 4]` (the last repeats); default the logs' 10 s, 30 s, 90 s… */
  deliverBackoff?: string | readonly number[]
  /** Aborting it cancels every live delivery (waits and attempts in flight); startServer's close() does. */
  signal?: AbortSignal
  /** Test hooks of live delivery. */
  deliveryHooks?: DeliveryHooks
  /** X-RateLimit-Limit of API responses, requests per minute (default 100; 0 sends no rate-limit headers). */
  rateLimit?: number
  /**
   * Origins whose pages may read answers (Access-Control-Allow-Origin) and, on startServer's socket,
   * change state: `'loopback'` (default: localhost, 127.0.0.1, [::1], *.localhost, any port), a
   * comma list of origins and `loopback`, `'*'`, or `'none'`.
   */
  corsOrigin?: string
  /** Megabytes all sessions' retries and webhook writes may hold together (default 64); a write beyond it is refused (409) and nothing is forgotten to make room. */
  stateBudgetMb?: number
  /** Megabytes every cache shares: encoded pages, history segments, webhook profiles, validation results (default 8). */
  cacheMb?: number
  /**
   * Where state lives: `'memory'` (default: this process), or a Valkey/Redis URL
   * (`'redis://127.0.0.1:6379'`) shared by replicas, which then answer as one mock (docs/scaling.md).
   * With a store, await `readyOf(app)` (startServer does) before the first request, or the first request waits for it.
   */
  state?: string
}

/** In-process hooks of live delivery, so tests neither wait nor depend on the real time. */
export interface DeliveryHooks {
  /** Waits between attempts; default a real timer (cancelled on abort). */
  sleep?: Sleep
  /** Real wall-clock ms, for `webhook-timestamp` of each attempt; default `Date.now`. */
  wallClock?: () => number
  /** Part of every live delivery's `webhook-id` and log id; default random per app, so restarts never reuse an id. Pin it in tests. */
  runId?: string
  /** An attempt's deadline from the webhook's `timeout` (seconds); default seconds × 1000. */
  timeoutMs?: (seconds: number) => number
}

/** Every key of AppOptions: createApp refuses any other (the compiler keeps this list whole). */
export const APP_OPTION_KEYS = Object.keys({
  seed: true,
  now: true,
  fixtures: true,
  token: true,
  spec: true,
  log: true,
  faults: true,
  journalSize: true,
  adminToken: true,
  retrySettleMs: true,
  stateBudgetMb: true,
  cacheMb: true,
  clock: true,
  clockRate: true,
  deliver: true,
  deliverAllow: true,
  deliverBackoff: true,
  signal: true,
  deliveryHooks: true,
  rateLimit: true,
  corsOrigin: true,
  state: true,
} satisfies Record<keyof AppOptions, true>) as readonly (keyof AppOptions)[]

// Journal times, durations and session expiry only: never an input of generated data.
// cli.ts and tests inject their own clock through `faults.clock`.
const monotonicWallClock = () => performance.timeOrigin + performance.now()

/**
 * Builds the mock as a Hono app, without listening: use `app.request()` in tests or
 * `app.fetch` with any fetch-based server.
 * @example
 * const app = createApp({ seed: 42 })
 * const res = await app.request('/api/v1/agents/a/webhooks/w/logs', { headers: { Authorization: 'Bearer talq_x' } })
 */
export function createApp(options: AppOptions = {}): Hono {
  // Every option is checked here, once: nothing accepted now may fail on a request later.
  checkOptionShapes(options, 'createApp')
  refuseUnknownOptions(options, APP_OPTION_KEYS, 'createApp')
  // `now: 'wall'` reads the app's clock (epoch ms), the one PATCH {"now":"wall"} reads too.
  // Where state lives: this process, or a store replicas share (fleet/). State reads the store's clock.
  const store = createStore(parseSetting('state', options.state, 'state'), {
    wallClock: options.deliveryHooks?.wallClock ?? (() => Date.now()),
    log: options.log,
  })
  // Aborting the app's signal (startServer's close() does) lets go of the store's connections.
  options.signal?.addEventListener('abort', () => void store.close(), { once: true })
  const realClock = options.faults?.clock ?? monotonicWallClock
  const clock = store.clock(realClock)
  const settings = resolveAppSettings(options, clock)
  const spec = loadSpec(options.spec)
  const fixtures = loadFixtures(settings.fixtures ? [DEFAULT_FIXTURES, settings.fixtures] : [DEFAULT_FIXTURES], spec)
  // One byte budget cut into every cache's share; a new world (a reset or a new seed) gets fresh caches of the same shares.
  const caches = cacheShares(parseSetting('cacheMb', options.cacheMb, 'cacheMb') * 1024 * 1024)
  // Which sessions are alive: each is forgotten whole (retries, webhook writes, clock, fault
  // script), and only when idle; any use of any part keeps all of it.
  const registry = createSessionRegistry({ clock: store.sessionClock(realClock) })
  const control = createControl({
    registry,
    settings,
    faults: resolveFaultOptions(options.faults),
    journalSize: parseSetting('journalSize', options.journalSize, 'journalSize'),
    clock,
    makeWorld: (worldSettings) => createWorld(worldSettings, fixtures, caches),
    routes: spec.operations.filter((op) => op.path.startsWith('/api/')).map((op) => op.operationId),
  })
  // One byte budget bounds every session's retries and webhook writes together.
  const budget = createStateBudget(parseSetting('stateBudgetMb', options.stateBudgetMb, 'stateBudgetMb') * 1024 * 1024)
  const retries = createRetryDesk({ registry, settleMs: parseSetting('retrySettleMs', options.retrySettleMs, 'retrySettleMs'), budget })
  const webhooks = createSessionBooks(createWebhookBook, registry, budget)
  const clockMode = parseSetting('clock', options.clock, 'clock')
  const clocks = createClocks({
    mode: clockMode,
    rate: parseSetting('clockRate', options.clockRate, 'clockRate'),
    anchor: () => control.world().now,
    realMs: control.clock,
    registry,
  })
  // Live delivery exists only when asked for: with `off` nothing of it runs on any request.
  const delivery = resolveDeliverySettings(options)
  // Randomness at the entry point: the one input of live ids that is not the seed. Replicas adopt the fleet's (the first replica's).
  let runId = options.deliveryHooks?.runId ?? randomBytes(8).toString('hex')
  const drawnRunId = runId
  let live: LiveDeps | undefined
  if (delivery.deliver === 'live') {
    // Waits and attempts: with replicas, only the holder of the delivery lease sends (fleet/delivery-gate.ts).
    const io = store.deliveryIo({ sleep: options.deliveryHooks?.sleep ?? timerSleep, send: (req: SendRequest) => realSend(req) })
    const deliveries = createDeliveries({
      allow: delivery.allow,
      backoff: delivery.backoff,
      sleep: io.sleep,
      send: io.send,
      // Rows are stamped with the session's instant (whole seconds): under a frozen clock, never real time.
      now: (session) => clocks.of(session).now() * 1000,
      // The wall clock itself: a monotonic origin stops while a laptop sleeps and then lags real time.
      wallClock: options.deliveryHooks?.wallClock ?? (() => Date.now()),
      runId: () => runId,
      clock: control.clock,
      timeoutMs: options.deliveryHooks?.timeoutMs,
      // One replica logs and journals each attempt: the one whose outcome the log holds.
      log: options.log && ((line) => store.owns() && options.log!(line)),
      journal: (entry, startedAt) => store.owns() && control.record(entry, startedAt),
      hold: (session) => registry.hold(session),
    })
    options.signal?.addEventListener('abort', () => void deliveries.close(), { once: true })
    if (options.signal?.aborted) void deliveries.close()
    live = { deliveries, retries, webhooks, nowMs: (session) => clocks.of(session).now() * 1000 }
  }
  control.onReset((session) => {
    live?.deliveries.reset(session)
    retries.reset(session)
    webhooks.reset(session)
    clocks.reset(session)
    registry.forget(session)
  })
  const adminToken = options.adminToken === undefined ? undefined : parseSetting('adminToken', options.adminToken, 'adminToken')
  // CORS and rate-limit headers are constants of the app, merged into each response's one headers object.
  const cors = corsHeaders(parseSetting('corsOrigin', options.corsOrigin, 'corsOrigin'))
  const limits = rateLimitHeaders(parseSetting('rateLimit', options.rateLimit, 'rateLimit'))
  // A repeated list page nothing can have changed is written again by the socket listener
  // (server.ts) without Hono: open while no fault is configured, the clock stands still and
  // nothing is delivered live. Journaled like every request.
  const answers = createAnswerCache(
    {
      open: () => control.quiet() && clockMode === 'frozen' && live === undefined,
      // An answer to a page names its origin: requests with Origin always go to the app.
      readHeaders: ['origin', ...CONTROL_HEADER_NAMES, ...spec.operations.flatMap((op) => op.parameters.filter((p) => p.in === 'header').map((p) => p.name))],
      ...cacheJournal(control, options.log),
      clock: control.clock,
    },
    caches.answers,
  )
  const plain = responder(cors.always)
  const respondIn: Record<Section, ReturnType<typeof responder>> = { mock: plain, api: responder({ ...cors.always, ...limits.always }, answers), other: plain }
  const app = new Hono()
  // Journal and faults wrap each route instead of being `app.use` middleware, so a synchronous
  // answer stays synchronous. The admin routes keep middleware: their token check is one.
  const observed = observer(control, options.log, (session) => registry.refresh(session))
  const faults = faultLayer({ control, spec, sleep: options.faults?.sleep ?? timerSleep, respond: respondIn.api, throttled: limits.throttled })
  const layers: Record<Section, (run: Runner) => Runner> = { mock: (run) => run, api: (run) => observed(faults(run)), other: observed }
  const wrap = (path: string, run: Runner): Runner => layers[section(path)](run)
  app.use('/__mock/*', observing(observed))
  app.use('/__mock/*', adminAuth(adminToken, plain))
  app.use('/__mock/*', jsonBodies(plain))
  mountSpec(app, spec, {
    handlers: {
      ...operationHandlers({ spec, world: control.world, retries, webhooks, clocks, live }),
      ...adminHandlers({ control, spec, clockView: (session) => clocks.of(session).view() }),
      ...clockHandlers({ clocks, spec }),
      ...deliveryHandlers({ spec, world: control.world, live }),
      ...receiverCheckHandlers({
        spec,
        world: control.world,
        live,
        allow: delivery.allow,
        // The wall clock, as live delivery's webhook-timestamp: receivers compare it with theirs.
        wallClock: options.deliveryHooks?.wallClock ?? (() => Date.now()),
        // Not an input of generated data: a check's webhook-ids must differ from every earlier run's.
        newId: () => `msg_${randomUUID().replace(/-/g, '')}`,
        timeoutMs: options.deliveryHooks?.timeoutMs,
        signal: options.signal,
      }),
    },
    validators: compileValidators(spec),
    validationMemoBytes: caches.validation,
    auth: { token: settings.token },
    wrap,
    respond: (path) => respondIn[section(path)],
    cors,
  })
  const notFound: Runner = (c) => dashboardRedirect(c, plain.headers) ?? respondIn[section(c.req.path)].error(apiError('routeNotFound', c.req.path))
  const notFoundIn = { mock: layers.mock(notFound), api: layers.api(notFound), other: layers.other(notFound) }
  app.notFound((c) => notFoundIn[section(c.req.path)](c))
  // A preflight to an unknown path still gets its CORS answer; the request itself then gets the 404.
  app.on('OPTIONS', '*', (c) => cors.options(c) ?? notFoundIn[section(c.req.path)](c))
  sockets.set(app, { answers, cors, constant: plain.headers, log: options.log, store })
  app.onError((error, c) => {
    // In-process network faults reject app.request() the way fetch rejects: let them through.
    if (isEmulatedNetworkFailure(error)) throw error
    // A write that does not fit the state budget is refused before anything changed.
    if (error instanceof StateFull) return respondIn[section(c.req.path)].error(apiError('stateFull', error.message))
    return respondIn[section(c.req.path)].error(apiError('internal'))
  })
  // An answer to an allowed page names its origin (per request, for a list of origins).
  app.fetch = reflectingOrigins(cors, app.fetch)
  // With a store replicas share, writes go through the fleet's log (fleet/replicate.ts).
  if (store.share) control.shareJournal(store.share)
  app.fetch = store.serve({
    fetch: app.fetch,
    classify: classifier(control),
    beforeApply: (k0) => control.syncCount(k0),
    rebase: () => clocks.reset(),
    mirror: mirrored(control),
    journalWindow,
    tooLarge: (request) => respondIn[section(new URL(request.url).pathname)].error(apiError('bodyTooLarge', MAX_BODY_TEXT)),
    unavailable: (request, message) => respondIn[section(new URL(request.url).pathname)].error(apiError('storeUnavailable', message)),
    resetSession: resetScope,
    runId: drawnRunId,
    adoptRunId: (run) => {
      runId = run
    },
    credentials: { token: settings.token, adminToken },
    journalCapacity: control.journalCapacity,
    show: journalLine(showEntry),
    quiet: () => control.quiet(),
  }) as typeof app.fetch
  return app
}

/**
 * Resolves once the app can serve: at once in memory; with a Valkey/Redis store once it is
 * connected and has applied every write so far (rejects with a StoreUnavailable naming it).
 * startServer awaits it before listening.
 */
export function readyOf(app: Hono): Promise<void> {
  return sockets.get(app)?.store.ready() ?? Promise.resolve()
}

/** What startServer puts in front of an app on its socket: the guards' policy and the answer cache. */
export interface SocketParts {
  answers: AnswerCache
  cors: Cors
  /** Headers of every answer outside /api/* (the CORS constants), for the guards' refusals. */
  constant: Readonly<Record<string, string>>
  log?: (line: string) => void
  /** Where state lives (fleet/store.ts): startServer waits for it before listening and closes it. */
  store: StateStore
}

const sockets = new WeakMap<Hono, SocketParts>()

/**
 * The socket parts of an app made by createApp, for a node:http listener to run before the app
 * (startServer does). Undefined for any other Hono app.
 * @example
 * http.createServer((req, res) => socketPartsOf(app)?.answers.serve(req, res) || listener(req, res))
 */
export function socketPartsOf(app: Hono): SocketParts | undefined {
  return sockets.get(app)
}

type Section = 'mock' | 'api' | 'other'

/** Which part of the mock a path belongs to: the admin API, the Talkover API, or the rest. */
function section(path: string): Section {
  return path === '/__mock' || path.startsWith('/__mock/') ? 'mock' : path.startsWith('/api/') ? 'api' : 'other'
}
