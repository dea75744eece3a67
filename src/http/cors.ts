// CORS for a browser front end on another origin, as constants computed at start-up: the
// Access-Control-* headers of every response, and the answer to OPTIONS (a preflight, or the
// plain OPTIONS Laravel's router answers with the route's methods).
import type { Context } from 'hono'

/** Response headers a browser script may read besides the CORS-safelisted ones. */
const EXPOSED = ['Allow', 'Retry-After', 'X-Mock-Injected', 'X-Mock-Seed', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'].join(', ')
const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE'

export interface Cors {
  /** Headers of every response; empty when CORS is off. */
  always: Readonly<Record<string, string>>
  /**
   * The answer to an OPTIONS request: 204 with the preflight headers when it is a preflight
   * and CORS is on, else 200 with `Allow` for a known path, else undefined (the caller's 404).
   */
  options(c: Context, allowed?: readonly string[]): Response | undefined
}

/**
 * CORS for `origin`: `*`, one origin like `http://localhost:3000`, or undefined for none.
 * @example
 * corsHeaders('*').always['Access-Control-Allow-Origin'] //=> '*'
 */
export function corsHeaders(origin: string | undefined): Cors {
  const always: Record<string, string> = origin === undefined ? {} : { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED }
  // One fixed origin: caches must not serve this answer to another origin.
  if (origin !== undefined && origin !== '*') always.Vary = 'Origin'
  Object.freeze(always)
  const preflight: Record<string, string> = { ...always, 'Access-Control-Allow-Methods': METHODS, 'Access-Control-Max-Age': '600' }
  delete preflight['Access-Control-Expose-Headers']
  return {
    always,
    options(c, allowed) {
      const method = c.req.header('access-control-request-method')
      if (origin !== undefined && method !== undefined) {
        // Any request header is allowed: the asked list is echoed (`*` would not cover Authorization).
        const asked = c.req.header('access-control-request-headers')
        return new Response(null, { status: 204, headers: asked ? { ...preflight, 'Access-Control-Allow-Headers': asked } : preflight })
      }
      if (!allowed) return undefined
      return new Response(null, { status: 200, headers: { ...always, Allow: allowed.join(', ') } })
    },
  }
}
