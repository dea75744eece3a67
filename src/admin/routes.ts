// Folder admin/: the mock's own API under /__mock (config, clock, reset, journal, health, the
// declared world, the dashboard) and the control plane behind it: settings at run time, sessions,
// the journal and what observes each request. It may import faults/, http/, world/, clock/ and the
// settings table, api/ for types only, and ui/ only through a dynamic import (the dashboard loads on demand).
//
// The mock's own endpoints under /__mock: liveness, readiness, the runtime config, reset, the
// request journal, the declared world and the dashboard, plus the optional admin token. Never
// delayed or faulted.
import { timingSafeEqual } from 'node:crypto'
import type { ClockView } from '../clock/clock.js'
import type { Context, MiddlewareHandler } from 'hono'
import { ConfigError } from '../config.js'
import type { ConfigPatch, MockControl } from './control.js'
import { apiError } from '../http/errors.js'
import type { Responder } from '../http/respond.js'
import type { Handler } from '../http/routes.js'
import type { Spec } from '../http/spec.js'
import { bodyChecker } from '../http/body-check.js'
import { FILTER_PARAMS, repeatedFilters, requestFilter } from './requests.js'

const PATCH_SCHEMA = '#/components/schemas/MockConfigPatch'

export interface AdminDeps {
  control: MockControl
  spec: Spec
  /** Shown in the config as `clock`. */
  clockView: (session?: string) => ClockView
}

const ok = (respond: Responder, data: unknown) => respond.json(200, JSON.stringify({ success: true, data }))

/**
 * The handler table for the /__mock operations.
 * @example
 * mountSpec(app, spec, { handlers: { ...operationHandlers(deps), ...adminHandlers({ control, spec }) }, … })
 */
export function adminHandlers({ control, spec, clockView }: AdminDeps): Record<string, Handler> {
  const checkPatch = bodyChecker(spec, PATCH_SCHEMA, '{"error_rate":0.1}', 'setting')
  const view = (session: string | undefined, config: ReturnType<MockControl['view']>) => {
    const { seed, now, ...rest } = config
    return { seed, now, clock: clockView(session), ...rest }
  }
  return {
    getMockHealth: ({ respond }) => respond.json(200, '{"status":"ok"}'),
    // Spec and fixtures are loaded before createApp returns, so an app that answers is ready.
    getMockReady: ({ respond }) => respond.json(200, '{"status":"ready"}'),
    getMockConfig: ({ input, respond }) => {
      const session = input.query.session as string | undefined
      return ok(respond, view(session, control.view(session)))
    },
    updateMockConfig: ({ input, respond, text = '' }) => {
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch (error) {
        return respond.error(apiError('badMockConfig', `The body is not JSON (${(error as Error).message}); send a JSON object like {"error_rate":0.1}.`))
      }
      const problem = checkPatch(body)
      if (problem) return respond.error(apiError('badMockConfig', problem))
      try {
        const session = input.query.session as string | undefined
        return ok(respond, view(session, control.patch(session, body as ConfigPatch)))
      } catch (error) {
        if (error instanceof ConfigError) return respond.error(apiError('badMockConfig', error.message))
        throw error
      }
    },
    resetMock: ({ input, respond }) => {
      const session = input.query.session as string | undefined
      control.reset(session)
      const message = session === undefined ? 'talkover-mock is back to its start-up state.' : `Session ${session} was reset.`
      return respond.json(200, JSON.stringify({ success: true, message }))
    },
    listMockRequests: ({ c, input, respond }) => {
      const repeated = repeatedFilters(c.req.url, [...FILTER_PARAMS, 'limit'])
      if (repeated) return respond.error(apiError('validation', repeated))
      const checked = requestFilter(input.query)
      if ('errors' in checked) return respond.error(apiError('validation', checked.errors))
      return ok(respond, control.requests(checked.filter, input.query.limit as number | undefined))
    },
    countMockRequests: ({ c, input, respond }) => {
      if (control.journalCapacity === 0) return respond.error(apiError('journalOff'))
      const repeated = repeatedFilters(c.req.url)
      if (repeated) return respond.error(apiError('validation', repeated))
      const checked = requestFilter(input.query)
      if ('errors' in checked) return respond.error(apiError('validation', checked.errors))
      return ok(respond, { count: control.countRequests(checked.filter) })
    },
    getMockWorld: ({ respond }) => {
      const { seed, now, catalog } = control.world()
      const owners = (declared: typeof catalog.agents) => [...declared].map(([id, webhooks]) => ({ id, webhooks: [...webhooks.keys()] }))
      const at = new Date(now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
      return ok(respond, { seed, now: at, open_world: catalog.openWorld, agents: owners(catalog.agents), campaigns: owners(catalog.campaigns) })
    },
    // The dashboard is loaded on its first request only: the API never pays for it.
    getMockUi: async ({ respond }) => sendAsset(respond, (await import('../ui/index.js')).uiPage()),
    getMockUiAsset: async ({ c, input, respond }) => sendAsset(respond, (await import('../ui/index.js')).uiAsset(input.path.asset), c.req.path),
  }
}

/** An asset of the dashboard, or the JSON 404 of an unknown route. */
function sendAsset(respond: Responder, asset: { type: string; body: string } | undefined, path = '/__mock/ui'): Response {
  if (!asset) return respond.error(apiError('routeNotFound', path))
  return respond.raw(200, asset.body, { 'content-type': asset.type, 'cache-control': 'no-cache', ...UI_HEADERS })
}

// The page runs only its own script and stylesheet and talks only to this mock.
const UI_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

/**
 * A browser opening the mock's root (GET or HEAD `/` whose Accept includes text/html) is sent to
 * the dashboard; any other request gets undefined, and with it the JSON 404.
 * @example
 * app.notFound((c) => dashboardRedirect(c, respond.headers) ?? respond.error(apiError('routeNotFound', c.req.path)))
 */
export function dashboardRedirect(c: Context, headers: Readonly<Record<string, string>> = {}): Response | undefined {
  if (c.req.path !== '/' || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return undefined
  if (!/(^|,)\s*text\/html\s*(;|,|$)/i.test(c.req.header('accept') ?? '')) return undefined
  return new Response(null, { status: 302, headers: { ...headers, location: '/__mock/ui' } })
}

const OPEN_PATHS = new Set(['/__mock/health', '/__mock/ready', '/__mock/ui'])

/**
 * Middleware requiring `Authorization: Bearer <token>` on /__mock/* except health, ready and the
 * dashboard's page and assets (they hold no data; the page asks for the token itself).
 * Without a token it lets everything through: a local mock's admin API is open by default.
 * @example
 * app.use('/__mock/*', adminAuth('s3cret'))
 */
export function adminAuth(token: string | undefined, respond: Responder): MiddlewareHandler {
  const expected = token === undefined ? undefined : Buffer.from(token)
  return async (c, next) => {
    // A browser's preflight never carries the token: OPTIONS is answered without it.
    if (expected && !OPEN_PATHS.has(c.req.path) && !c.req.path.startsWith('/__mock/ui/') && c.req.method !== 'OPTIONS') {
      const given = Buffer.from(c.req.header('authorization')?.match(/^\s*Bearer\s+(\S+)\s*$/i)?.[1] ?? '')
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return respond.error(apiError('adminUnauthorized'))
    }
    await next()
  }
}

/**
 * Middleware refusing a /__mock/* change whose body is not declared as JSON (415): a web page can
 * send a form or text/plain without a preflight, JSON only with one. A change without a body and
 * without a Content-Type (`curl -X POST …/__mock/reset`) goes on.
 * @example
 * app.use('/__mock/*', jsonBodies(respond))
 */
export function jsonBodies(respond: Responder): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method
    if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
      const type = c.req.header('content-type')
      if (type === undefined ? hasBody(c) : !/^application\/json\s*(;|$)/i.test(type)) return respond.error(apiError('notJson', type))
    }
    await next()
  }
}

/** Whether a request carries a body: declared by its headers; in-process, a Request with one. */
function hasBody(c: Context): boolean {
  const length = c.req.header('content-length')
  if (length !== undefined) return length.trim() !== '0'
  if (c.req.header('transfer-encoding') !== undefined) return true
  // On a socket a request without these headers has no body; @hono/node-server still gives it a stream.
  return (c.env as { incoming?: unknown } | undefined)?.incoming === undefined && c.req.raw.body !== null
}
