// talkover-mock/msw: MSW request handlers that answer https://app.talkover.ai/api/* (or another
// base URL) from createApp, so a consumer's unmodified client (fetch, axios, a generated SDK) is
// intercepted in Node (msw/node) and in the browser (msw/browser). msw is an optional peer
// dependency: only this entry point imports it. An entry point: it may import app.ts.
// The shipped declarations name Node's types (node:http servers, Buffers): they come with the
// package (@types/node is a dependency), so a strict project that lists no `types` typechecks.
/// <reference types="node" preserve="true" />
import type { Hono } from 'hono'
import { http, type HttpHandler } from 'msw'
import { createApp, type AppOptions } from './app.js'

export interface TalkoverHandlersOptions extends AppOptions {
  /** The app to answer from (share it with `mockClient(app)` to script and verify); default `createApp(options)`. */
  app?: Pick<Hono, 'request'>
  /** Where the intercepted API lives; default `https://app.talkover.ai`. Its path, if any, is a prefix before `/api/`. */
  baseUrl?: string
  /** The `X-Mock-Session` of intercepted requests that carry none (e.g. the current test's), read per request. */
  session?: () => string | undefined
}

/**
 * MSW handlers answering the Talkover API from the mock.
 * @example
 * const app = createApp({ seed: 42 })
 * const server = setupServer(...talkoverHandlers({ app }))
 * server.listen()
 * await fetch('https://app.talkover.ai/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs', { headers: { Authorization: 'Bearer talq_x' } })
 */
export function talkoverHandlers(options: TalkoverHandlersOptions = {}): HttpHandler[] {
  const { app: given, baseUrl = 'https://app.talkover.ai', session, ...appOptions } = options
  const app = given ?? createApp(appOptions)
  let base: URL
  try {
    base = new URL(baseUrl)
  } catch {
    throw new TypeError(`Invalid baseUrl "${baseUrl}": use an absolute URL like https://app.talkover.ai.`)
  }
  const prefix = base.pathname.replace(/\/+$/, '')
  return [
    http.all(`${base.origin}${prefix}/api/*`, async ({ request }) => {
      const url = new URL(request.url)
      const headers = new Headers(request.headers)
      const id = session?.()
      if (id !== undefined && !headers.has('x-mock-session')) headers.set('x-mock-session', id)
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer()
      // The request's signal goes along, so a client that gives up (a timeout, an abort) ends a hang
      // or a latency early and is journaled as client_aborted, as on a real socket.
      try {
        return await app.request(`${url.pathname.slice(prefix.length)}${url.search}`, { method: request.method, headers, body, signal: request.signal })
      } catch {
        // In-process, the app throws where a socket would be cut (a reset, a hang the client left):
        // a network error, as fetch sees over a socket, never MSW's 500 for a failed handler.
        return Response.error()
      }
    }),
  ]
}
