// createApp: the whole mock as a Hono app, built from openapi.yaml. It never listens. Every option
// is resolved first, once (app-settings.ts); the app is then built downward from that value.
import { randomBytes, randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import { adminAuth, adminHandlers, dashboardRedirect, jsonBodies } from './admin/routes.js'
import { createClocks } from './clock/clock.js'
import { clockHandlers } from './admin/clock.js'
import type { AppOptions } from './app-options.js'
import { resolveCreateAppSettings, type CreateAppSettings } from './app-settings.js'
import { createDeliveries } from './delivery/deliveries.js'
import { send as realSend, type SendRequest } from './delivery/send.js'
import type { LiveDeps } from './delivery/jobs.js'
import { deliveryHandlers } from './delivery/routes.js'
import { receiverCheckHandlers } from './receiver-check/routes.js'
import { createControl } from './admin/control.js'
import { apiError } from './http/errors.js'
import { MAX_BODY_TEXT } from './http/body-limit.js'
import { routedPath } from './http/routed-path.js'
import { faultLayer, isEmulatedNetworkFailure } from './faults/layer.js'
import { CONTROL_HEADER_NAMES, controlsReader } from './faults/overrides.js'
import { cacheJournal, observer, observing } from './admin/observe.js'
import { operationHandlers } from './api/logs.js'
import { createRetryDesk } from './state/retries.js'
import { createSessionBooks, createSessionRegistry } from './state/sessions.js'
import { corsHeaders, reflectingOrigins, type Cors } from './http/cors.js'
import { rateLimitHeaders } from './http/rate-limit.js'
import { createAnswerCache, type AnswerCache } from './http/answer-cache.js'
import { responder } from './http/respond.js'
import { createStateBudget, StateFull } from './state/budget.js'
import { mountSpec, type Runner } from './http/routes.js'
import { compileValidators } from './http/validate.js'
import { createWebhookBook } from './state/webhook-overlay.js'
import { createWorld } from './world/world.js'
import { cacheShares } from './encode/cache-budget.js'
import { createStore, type StateStore } from './fleet/store.js'
import { servedBy, settingsFingerprint } from './fleet-wiring.js'

export { APP_OPTION_KEYS, type AppOptions, type DeliveryHooks } from './app-options.js'

/**
 * Builds the mock as a Hono app, without listening: use `app.request()` in tests or
 * `app.fetch` with any fetch-based server.
 * @example
 * const app = createApp({ seed: 42 })
 * const res = await app.request('/api/v1/agents/a/webhooks/w/logs', { headers: { Authorization: 'Bearer talq_x' } })
 */
export function createApp(options: AppOptions = {}): Hono {
  // Every option is checked here, once, before anything is built: nothing accepted now may fail later.
  return createAppFrom(resolveCreateAppSettings(options))
}

/**
 * Builds the mock from settings already resolved (startServer resolves its own options once).
 * @example
 * const app = createAppFrom(resolveCreateAppSettings({ seed: 42 }))
 */
export function createAppFrom(settings: CreateAppSettings): Hono {
  const { spec, hooks } = settings
  // Where state lives: this process, or a store replicas share (fleet/). State reads the store's clock.
  const store = createStore(settings.state, { wallClock: hooks.wallClock, log: hooks.log })
  // Aborting the app's signal (startServer's close() does) lets go of the store's connections.
  hooks.signal?.addEventListener('abort', () => void store.close(), { once: true })
  const clock = store.clock(hooks.realClock)
  // One byte budget cut into every cache's share; a new world (a reset or a new seed) gets fresh caches of the same shares.
  const caches = cacheShares(settings.cacheMb * 1024 * 1024)
  // Which sessions are alive: each is forgotten whole (retries, webhook writes, clock, fault
  // script), and only when idle; any use of any part keeps all of it.
  const registry = createSessionRegistry({ clock: store.sessionClock(hooks.realClock) })
  const control = createControl({
    registry,
    settings: settings.world,
    faults: settings.faults,
    journalSize: settings.journalSize,
    clock,
    makeWorld: (worldSettings) => createWorld(worldSettings, settings.catalog, caches),
    routes: spec.operations.filter((op) => op.path.startsWith('/api/')).map((op) => op.operationId),
  })
  // One byte budget bounds every session's retries and webhook writes together.
  const budget = createStateBudget(settings.stateBudgetMb * 1024 * 1024)
  const retries = createRetryDesk({ registry, settleMs: settings.retrySettleMs, budget })
  const webhooks = createSessionBooks(createWebhookBook, registry, budget)
  const clocks = createClocks({
    mode: settings.clock,
    rate: settings.clockRate,
    anchor: () => control.world().now,
    realMs: control.clock,
    registry,
  })
  // Live delivery exists only when asked for: with `off` nothing of it runs on any request.
  const { delivery } = settings
  // Randomness at the entry point: the one input of live ids that is not the seed. Replicas adopt the fleet's (the first replica's).
  let runId = hooks.runId ?? randomBytes(8).toString('hex')
  const drawnRunId = runId
  let live: LiveDeps | undefined
  if (delivery.deliver === 'live') {
    // Waits and attempts: with replicas, only the holder of the delivery lease sends (fleet/delivery-gate.ts).
    const io = store.deliveryIo({ sleep: hooks.deliverySleep, send: (req: SendRequest) => realSend(req) })
    const deliveries = createDeliveries({
      allow: delivery.allow,
      backoff: delivery.backoff,
      sleep: io.sleep,
      send: io.send,
      // Rows are stamped with the session's instant (whole seconds): under a frozen clock, never real time.
      now: (session) => clocks.of(session).now() * 1000,
      // The wall clock itself: a monotonic origin stops while a laptop sleeps and then lags real time.
      wallClock: hooks.wallClock,
      runId: () => runId,
      clock: control.clock,
      timeoutMs: hooks.timeoutMs,
      // One replica logs and journals each attempt: the one whose outcome the log holds.
      log: hooks.log && ((line) => store.owns() && hooks.log!(line)),
      journal: (entry, startedAt) => store.owns() && control.record(entry, startedAt),
      hold: (session) => registry.hold(session),
    })
    hooks.signal?.addEventListener('abort', () => void deliveries.close(), { once: true })
    if (hooks.signal?.aborted) void deliveries.close()
    live = { deliveries, retries, webhooks, nowMs: (session) => clocks.of(session).now() * 1000 }
  }
  control.onReset((session) => {
    live?.deliveries.reset(session)
    retries.reset(session)
    webhooks.reset(session)
    clocks.reset(session)
    registry.forget(session)
  })
  // CORS and rate-limit headers are constants of the app, merged into each response's one headers object.
  const cors = corsHeaders(settings.corsOrigin)
  const limits = rateLimitHeaders(settings.rateLimit)
  // A repeated list page nothing can have changed is written again by the socket listener
  // (server.ts) without Hono: open while no fault is configured, the clock stands still and
  // nothing is delivered live. Journaled like every request.
  const answers = createAnswerCache(
    {
      open: () => control.quiet() && settings.clock === 'frozen' && live === undefined,
      // An answer to a page names its origin: requests with Origin always go to the app.
      readHeaders: ['origin', ...CONTROL_HEADER_NAMES, ...spec.operations.flatMap((op) => op.parameters.filter((p) => p.in === 'header').map((p) => p.name))],
      ...cacheJournal(control, hooks.log),
      clock: control.clock,
    },
    caches.answers,
  )
  const plain = responder(cors.always)
  const respondIn: Record<Section, ReturnType<typeof responder>> = { mock: plain, api: responder({ ...cors.always, ...limits.always }, answers), other: plain }
  const app = new Hono()
  // Journal and faults wrap each route instead of being `app.use` middleware, so a synchronous
  // answer stays synchronous. The admin routes keep middleware: their token check is one.
  const observed = observer(control, hooks.log, (session) => registry.refresh(session))
  const faults = faultLayer({ control, spec, sleep: hooks.sleep, respond: respondIn.api, throttled: limits.throttled })
  const layers: Record<Section, (run: Runner) => Runner> = { mock: (run) => run, api: (run) => observed(faults(run)), other: observed }
  const wrap = (path: string, run: Runner): Runner => layers[section(path)](run)
  app.use('/__mock/*', observing(observed))
  app.use('/__mock/*', adminAuth(settings.adminToken, plain))
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
        wallClock: hooks.wallClock,
        // Not an input of generated data: a check's webhook-ids must differ from every earlier run's.
        newId: () => `msg_${randomUUID().replace(/-/g, '')}`,
        timeoutMs: hooks.timeoutMs,
        signal: hooks.signal,
      }),
    },
    validators: compileValidators(spec),
    validationMemoBytes: caches.validation,
    auth: { token: settings.world.token },
    wrap,
    respond: (path) => respondIn[section(path)],
    cors,
  })
  const notFound: Runner = (c) => dashboardRedirect(c, plain.headers) ?? respondIn[section(c.req.path)].error(apiError('routeNotFound', c.req.path))
  const notFoundIn = { mock: layers.mock(notFound), api: layers.api(notFound), other: layers.other(notFound) }
  app.notFound((c) => notFoundIn[section(c.req.path)](c))
  // A preflight to an unknown path still gets its CORS answer; the request itself then gets the 404.
  app.on('OPTIONS', '*', (c) => cors.options(c) ?? notFoundIn[section(c.req.path)](c))
  sockets.set(app, { answers, cors, constant: plain.headers, log: hooks.log, store })
  app.onError((error, c) => {
    // In-process network faults reject app.request() the way fetch rejects: let them through.
    if (isEmulatedNetworkFailure(error)) throw error
    // A write that does not fit the state budget is refused before anything changed.
    if (error instanceof StateFull) return respondIn[section(c.req.path)].error(apiError('stateFull', error.message))
    return respondIn[section(c.req.path)].error(apiError('internal'))
  })
  // An answer to an allowed page names its origin (per request, for a list of origins).
  app.fetch = reflectingOrigins(cors, app.fetch)
  app.fetch = servedBy(store, {
    fetch: app.fetch,
    control,
    rebase: () => clocks.reset(),
    tooLarge: (request) => respondIn[section(routedPath(request.url))].error(apiError('bodyTooLarge', MAX_BODY_TEXT)),
    unavailable: (request, message) => respondIn[section(routedPath(request.url))].error(apiError('storeUnavailable', message)),
    runId: drawnRunId,
    adoptRunId: (run) => {
      runId = run
    },
    credentials: { token: settings.world.token, adminToken: settings.adminToken },
    fingerprint: settingsFingerprint(settings),
    readControls: controlsReader(spec),
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
