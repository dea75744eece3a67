// talkover-mock/msw/browser: MSW handlers that forward https://app.talkover.ai/api/* (or another base
// URL) to a running mock (`startServer`, `useTalkoverMock`, the container), so a page's unmodified
// client is answered by the same world, faults, clock and deliveries the test scripts over HTTP.
// Browser-safe: it imports msw and nothing else (no Node module, not createApp, which reads
// openapi.yaml from disk). An entry point; nothing imports it. Works under msw/node as well.
import { http, passthrough, type HttpHandler } from 'msw'

const OPTION_KEYS = ['mockUrl', 'baseUrl', 'session']
/** The session ids the mock accepts (X-Mock-Session). */
const SESSION = /^[A-Za-z0-9._:-]{1,128}$/

export interface TalkoverBrowserHandlersOptions {
  /** The running mock to forward to, e.g. `http://127.0.0.1:4010` or `useTalkoverMock().url`. */
  mockUrl: string
  /** Where the intercepted API lives; default `https://app.talkover.ai`. Its path, if any, is a prefix before `/api/`. */
  baseUrl?: string
  /** The `X-Mock-Session` of forwarded requests that carry none: an id, or a function read per request. */
  session?: string | (() => string | undefined)
}

/**
 * MSW handlers forwarding the Talkover API to a running mock: method, path, query, headers, body
 * and the request's signal go there, and its status, headers and body come back. Requests to the
 * mock's own URL pass through untouched.
 * @example
 * const worker = setupWorker(...talkoverBrowserHandlers({ mockUrl: 'http://127.0.0.1:4010', session: 'checkout-test' }))
 * await worker.start()
 * await fetch('https://app.talkover.ai/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs', { headers: { Authorization: 'Bearer talq_x' } })
 */
export function talkoverBrowserHandlers(options: TalkoverBrowserHandlersOptions): HttpHandler[] {
  const { mockUrl, baseUrl = 'https://app.talkover.ai', session } = options ?? ({} as Partial<TalkoverBrowserHandlersOptions>)
  const unknown = Object.keys(options ?? {}).find((key) => !OPTION_KEYS.includes(key))
  if (unknown !== undefined) throw new TypeError(`Unknown option "${unknown}" of talkoverBrowserHandlers: use mockUrl, baseUrl or session.`)
  if (typeof session === 'string' && !SESSION.test(session)) {
    throw new TypeError(`Invalid session "${session}": use 1 to 128 letters, digits, dots, underscores, colons or hyphens, like checkout-test.`)
  }
  const mock = absolute(mockUrl, 'mockUrl', 'http://127.0.0.1:4010')
  // Credentials would end up in console messages (and fetch refuses them); a query would be dropped.
  if (mock.username || mock.password || mock.search || mock.hash) {
    throw new TypeError('Invalid mockUrl: give the base URL of the mock, without credentials, a query or a fragment, like http://127.0.0.1:4010.')
  }
  const base = absolute(baseUrl, 'baseUrl', 'https://app.talkover.ai')
  if (mock.origin === base.origin) {
    throw new TypeError(
      `Invalid mockUrl "${mockUrl}": it is on baseUrl's origin ${base.origin}, whose requests these handlers forward; run the mock on another origin, like http://127.0.0.1:4010.`,
    )
  }
  const prefix = base.pathname.replace(/\/+$/, '')
  const target = `${mock.origin}${mock.pathname.replace(/\/+$/, '')}`
  return [
    http.all(`${base.origin}${prefix}/api/*`, async ({ request }) => {
      const url = new URL(request.url)
      const headers = new Headers(request.headers)
      const id = typeof session === 'function' ? session() : session
      if (id !== undefined && !headers.has('x-mock-session')) headers.set('x-mock-session', id)
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer()
      const forwarded = `${target}${url.pathname.slice(prefix.length)}${url.search}`
      let res: Response
      try {
        // The handler below lets it through to the network.
        res = await fetch(forwarded, { method: request.method, headers, body, signal: request.signal })
      } catch {
        // A client that gave up ends as it would over a socket; anything else gets a sentence,
        // since the page sees only "Failed to fetch".
        if (!request.signal.aborted) console.error(unreachable(request.method, request.url, target))
        return Response.error()
      }
      return answer(res)
    }),
    // Requests to the mock itself (the forwarded ones, a mockClient's) go to the network, never
    // reported as unhandled under onUnhandledRequest: 'error'.
    http.all(`${target}/*`, () => passthrough()),
  ]
}

/** The mock's answer as the page's: fetch has decoded the body, so a coding header would lie. */
function answer(res: Response): Response {
  const headers = new Headers(res.headers)
  if (headers.has('content-encoding')) {
    headers.delete('content-encoding')
    headers.delete('content-length')
  }
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers })
}

function unreachable(method: string, url: string, mockUrl: string): string {
  const origin = typeof location === 'undefined' ? undefined : location.origin
  const cors = origin === undefined ? '' : `, and does its --cors-origin allow this page's origin ${origin}`
  return (
    `talkover-mock did not answer ${method} ${url} forwarded to ${mockUrl}: is the mock running at ${mockUrl}${cors}? ` +
    '(A fault the test scripted that cuts the connection, such as reset, ends the same way.)'
  )
}

function absolute(value: string | undefined, name: string, like: string): URL {
  let url: URL | undefined
  try {
    url = new URL(String(value))
  } catch {}
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`Invalid ${name} "${value}": use an absolute http(s) URL like ${like}.`)
  }
  return url
}
