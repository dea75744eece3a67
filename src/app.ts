// createApp: the whole mock as a Hono app, built from openapi.yaml. It never listens.
import { Hono } from 'hono'
import { adminHandlers } from './admin.js'
import { resolveAppSettings } from './config.js'
import { apiError } from './errors.js'
import { DEFAULT_FIXTURES, loadFixtures } from './fixtures.js'
import { operationHandlers } from './operations.js'
import { sendError } from './respond.js'
import { mountSpec } from './routes.js'
import { loadSpec } from './spec.js'
import { compileValidators } from './validate.js'
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
}

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
  const world = createWorld(settings, fixtures)
  const app = new Hono()
  if (options.log) {
    const log = options.log
    app.use(async (c, next) => {
      const started = performance.now()
      await next()
      const url = new URL(c.req.url)
      log(`${c.req.method} ${url.pathname}${url.search} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms`)
    })
  }
  mountSpec(app, spec, {
    handlers: { ...operationHandlers({ spec, world }), ...adminHandlers() },
    validators: compileValidators(spec),
    auth: { token: settings.token },
  })
  app.notFound((c) => sendError(apiError('routeNotFound', c.req.path)))
  app.onError(() => sendError(apiError('internal')))
  return app
}
