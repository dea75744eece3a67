// createApp: the whole mock as a Hono app, built from openapi.yaml. It never listens.
import { Hono, type MiddlewareHandler } from 'hono'
import { adminAuth, adminHandlers } from './admin.js'
import { parseSetting, resolveAppSettings } from './config.js'
import { createControl, type JournalEntry, type MockControl } from './control.js'
import { resolveFaultOptions, type FaultOptions } from './fault-options.js'
import { apiError } from './errors.js'
import { faultMiddleware, faultTrace, isEmulatedNetworkFailure, timerSleep } from './fault-middleware.js'
import { describeDecision } from './faults.js'
import { DEFAULT_FIXTURES, loadFixtures } from './fixtures.js'
import { operationHandlers } from './operations.js'
import { createRetryDesk } from './retries.js'
import { createSessionBooks } from './sessions.js'
import { sendError } from './respond.js'
import { mountSpec } from './routes.js'
import { loadSpec } from './spec.js'
import { compileValidators } from './validate.js'
import { createWebhookBook } from './webhook-overlay.js'
import { createWorld } from './world.js'

export interface AppOptions {
  /** Seed of the generated world (0–4294967295). Default 1. */
  seed?: number
  /** Instant the world is anchored at, ISO-8601 or a Date. Default 2024-01-15T12:00:00Z. */
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
  /** When set, /__mock/* (except health and ready) requires `Authorization: Bearer <adminToken>`. */
  adminToken?: string
  /** How long a retried log stays `pending` before it settles, ms (default 2000; 0 settles at once). */
  retrySettleMs?: number
}

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
  const settings = resolveAppSettings(options)
  const spec = loadSpec(options.spec)
  const fixtures = loadFixtures(settings.fixtures ? [DEFAULT_FIXTURES, settings.fixtures] : [DEFAULT_FIXTURES], spec)
  const control = createControl({
    settings,
    faults: resolveFaultOptions(options.faults),
    journalSize: parseSetting('journalSize', options.journalSize, 'journalSize'),
    clock: options.faults?.clock ?? monotonicWallClock,
    makeWorld: (worldSettings) => createWorld(worldSettings, fixtures),
    routes: spec.operations.filter((op) => op.path.startsWith('/api/')).map((op) => op.operationId),
  })
  const retries = createRetryDesk({ clock: control.clock, settleMs: parseSetting('retrySettleMs', options.retrySettleMs, 'retrySettleMs') })
  const webhooks = createSessionBooks(createWebhookBook, control.clock)
  control.onReset((session) => {
    retries.reset(session)
    webhooks.reset(session)
  })
  const adminToken = options.adminToken === undefined ? undefined : parseSetting('adminToken', options.adminToken, 'adminToken')
  const app = new Hono()
  app.use(observe(control, options.log))
  app.use('/__mock/*', adminAuth(adminToken))
  app.use('/api/*', faultMiddleware({ control, spec, sleep: options.faults?.sleep ?? timerSleep }))
  mountSpec(app, spec, {
    handlers: { ...operationHandlers({ spec, world: control.world, retries, webhooks }), ...adminHandlers({ control, spec }) },
    validators: compileValidators(spec),
    auth: { token: settings.token },
  })
  app.notFound((c) => sendError(apiError('routeNotFound', c.req.path)))
  app.onError((error) => {
    // In-process network faults reject app.request() the way fetch rejects: let them through.
    if (isEmulatedNetworkFailure(error)) throw error
    return sendError(apiError('internal'))
  })
  return app
}

/** Writes the journal entry (API and spec routes) and the access-log line of every request. */
function observe(control: MockControl, log: ((line: string) => void) | undefined): MiddlewareHandler {
  return async (c, next) => {
    const started = control.clock()
    let thrown: { error: unknown } | undefined
    try {
      await next()
    } catch (error) {
      thrown = { error }
    }
    const duration = Math.round((control.clock() - started) * 10) / 10
    const trace = faultTrace(c)
    const status = thrown || trace?.noResponse ? undefined : c.res.status
    const url = new URL(c.req.url)
    if (log) {
      const extra = [trace && describeDecision(trace.decision), trace?.session && `session=${trace.session}`, trace?.clientAborted && 'client-aborted']
      log([`${c.req.method} ${url.pathname}${url.search} ${status ?? '-'} ${duration.toFixed(1)}ms`, ...extra].filter(Boolean).join(' '))
    }
    if (!url.pathname.startsWith('/__mock/')) {
      const entry: Omit<JournalEntry, 'seq' | 'time'> = { method: c.req.method, path: url.pathname, query: url.search.slice(1), status, duration_ms: duration }
      if (status === undefined) delete entry.status
      if (trace) {
        const { decision } = trace
        if (trace.session !== undefined) entry.session = trace.session
        entry.k = decision.k
        if (decision.delayMs > 0) entry.latency_ms = decision.delayMs
        const { outcome } = decision
        if (outcome.kind === 'status') entry.fault = { kind: 'status', status: outcome.status, via: decision.source! }
        if (outcome.kind === 'network') entry.fault = { kind: outcome.fault, via: decision.source! }
        if (trace.clientAborted) entry.client_aborted = true
      }
      const retry = c.get('retry')
      if (retry) entry.retry = retry
      const webhook = c.get('webhook')
      if (webhook) entry.webhook = webhook
      control.record(entry, started)
    }
    if (thrown) throw thrown.error
  }
}
