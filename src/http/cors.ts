// CORS for a browser front end on another origin. By default only loopback origins
// (http(s)://localhost, 127.0.0.1, [::1], *.localhost, any port) may read answers, each reflected per
// request with `Vary: Origin`; `--cors-origin '*'` or a list opts other origins in, `none` sends
// nothing. The same policy says which origins may change state on the socket (http/socket-guard.ts).
// The answer to OPTIONS: a preflight of an allowed origin, or the plain OPTIONS Laravel's router
// answers with the route's methods.
import type { Context } from 'hono'

/** Response headers a browser script may read besides the CORS-safelisted ones. */
const EXPOSED = [
  'Allow',
  'Retry-After',
  'X-Mock-Injected',
  'X-Mock-Now',
  'X-Mock-Seed',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
].join(', ')
const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE'

/** The default --cors-origin: loopback origins, any port. */
export const LOOPBACK = 'loopback'

export interface Cors {
  /** Headers of every response: `*` and the exposed names, `Vary: Origin` for a list, nothing for none. */
  always: Readonly<Record<string, string>>
  /** Whether a page on `origin` may read answers and change state (its own origin aside). */
  allows(origin: string): boolean
  /** The headers an answer to `origin` gets on top of `always`, when they depend on it (a list); else undefined. */
  reflect(origin: string | undefined): Record<string, string> | undefined
  /**
   * The answer to an OPTIONS request: 204 with the preflight headers when it is a preflight of an
   * allowed origin, else 200 with `Allow` for a known path, else undefined (the caller's 404).
   * `base` are the route's constant headers (the API's rate-limit headers too).
   */
  options(c: Context, allowed?: readonly string[], base?: Readonly<Record<string, string>>): Response | undefined
}

/**
 * Checks a --cors-origin value and writes it back in one form: `*`, `none`, or a comma list of
 * origins (scheme, host, port) and `loopback`; returns a phrase saying what is wrong otherwise.
 * @example
 * parseCorsOrigin('loopback, http://app.test:3000') //=> { origins: 'loopback,http://app.test:3000' }
 * parseCorsOrigin('localhost:3000/app') //=> { problem: '"localhost:3000/app" is not an origin' }
 */
export function parseCorsOrigin(raw: string): { origins: string } | { problem: string } {
  if (raw === '*' || raw === 'none') return { origins: raw }
  const items = raw.split(',').map((item) => item.trim())
  for (const item of items) {
    if (item !== LOOPBACK && !ORIGIN.test(item)) return { problem: `"${item}" is not an origin` }
  }
  return { origins: items.map((item) => item.replace(/\/$/, '').toLowerCase()).join(',') }
}

const ORIGIN = /^https?:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?\/?$/i

/**
 * A loopback origin: http(s) on localhost, *.localhost, 127.0.0.1 or [::1], any port.
 * @example
 * isLoopbackOrigin('http://app.localhost:5173') //=> true
 * isLoopbackOrigin('http://localhost.evil.example') //=> false
 */
export function isLoopbackOrigin(origin: string): boolean {
  return /^https?:\/\/(([a-z0-9-]+\.)*localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i.test(origin)
}

/**
 * CORS for a parsed --cors-origin: `*`, `none`, or a list of origins and `loopback`.
 * @example
 * corsHeaders('*').always['Access-Control-Allow-Origin'] //=> '*'
 * corsHeaders('loopback').reflect('http://localhost:3000') //=> { 'Access-Control-Allow-Origin': 'http://localhost:3000', … }
 */
export function corsHeaders(setting: string): Cors {
  const star = setting === '*'
  const none = setting === 'none'
  const listed = new Set(star || none ? [] : setting.split(','))
  const loopback = listed.delete(LOOPBACK)
  const allows = (origin: string) => star || (!none && (listed.has(origin.toLowerCase()) || (loopback && isLoopbackOrigin(origin))))
  // Per-origin answers: caches must not serve one origin's answer to another.
  const always = Object.freeze<Record<string, string>>(
    star ? { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': EXPOSED } : none ? {} : { Vary: 'Origin' },
  )
  return {
    always,
    allows,
    reflect: (origin) =>
      star || none || origin === undefined || !allows(origin) ? undefined : { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED },
    options(c, allowed, base = always) {
      const method = c.req.header('access-control-request-method')
      const origin = c.req.header('origin')
      if (method !== undefined && origin !== undefined && allows(origin)) {
        const headers: Record<string, string> = {
          ...base,
          'Access-Control-Allow-Origin': star ? '*' : origin,
          'Access-Control-Allow-Methods': METHODS,
          'Access-Control-Max-Age': '600',
        }
        delete headers['Access-Control-Expose-Headers']
        // Any request header is allowed: the asked list is echoed (`*` would not cover Authorization).
        const asked = c.req.header('access-control-request-headers')
        if (asked) headers['Access-Control-Allow-Headers'] = asked
        return new Response(null, { status: 204, headers })
      }
      if (!allowed) return undefined
      return new Response(null, { status: 200, headers: { ...base, Allow: allowed.join(', ') } })
    },
  }
}

/** Node's request on a real socket (@hono/node-server's bindings); absent in app.request(). */
type NodeBindings = { incoming?: { headers: Record<string, string | string[] | undefined> } } | undefined

type Fetch = (request: Request, env?: unknown, ctx?: never) => Response | Promise<Response>

/**
 * Wraps an app's fetch so an answer to an allowed origin names it (a list policy only; `*` and
 * none are constants of every answer). Requests without Origin cost one property read.
 * @example
 * app.fetch = reflectingOrigins(corsHeaders('loopback'), app.fetch)
 */
export function reflectingOrigins<F extends Fetch>(cors: Cors, fetch: F): F {
  // `*` and none: nothing depends on the origin.
  if (cors.always.Vary === undefined) return fetch
  return ((request: Request, env?: unknown, ctx?: never) => {
    const incoming = (env as NodeBindings)?.incoming
    const value = incoming ? incoming.headers.origin : request.headers.get('origin')
    const extra = cors.reflect(typeof value === 'string' ? value : undefined)
    const res = fetch(request, env, ctx)
    if (extra === undefined) return res
    return res instanceof Promise ? res.then((r) => withHeaders(r, extra)) : withHeaders(res, extra)
  }) as F
}

/** `res` with `extra` added, unless it already names an origin (a preflight's answer). */
function withHeaders(res: Response, extra: Record<string, string>): Response {
  if (res.headers.has('access-control-allow-origin')) return res
  try {
    for (const [name, value] of Object.entries(extra)) res.headers.set(name, value)
    return res
  } catch {
    // Immutable headers (a fetched response): copy them.
    const headers = new Headers(res.headers)
    for (const [name, value] of Object.entries(extra)) headers.set(name, value)
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers })
  }
}
