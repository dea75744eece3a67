// The path of a request as the router matches it. Hono decodes percent-escapes in the path before
// routing (a sequence that is no valid UTF-8 stays as written, `%25` stays `%25`), so `/%61pi/x`
// is routed as `/api/x` and `/__mock/%72eset` as `/__mock/reset`. Whoever decides what a request
// is by its path (which section answers it, what the fleet does with it) asks this, never the
// raw URL. Pure.
import { getPath } from 'hono/utils/url'

/**
 * The routed path of a full request URL (or of a path and query, read against a dummy origin).
 * @example
 * routedPath('http://localhost/%61pi/v1/x?page=2') //=> '/api/v1/x'
 * routedPath('/__mock/%72eset?session=s1') //=> '/__mock/reset'
 */
export function routedPath(url: string): string {
  // getPath reads only the URL, as Hono's dispatch does for the app (new Hono(): strict, default getPath).
  return getPath({ url: url.startsWith('/') ? `http://x${url}` : url } as Request)
}
