// Writes JSON responses the one way the mock does it: a prebuilt string or UTF-8 bytes with
// Content-Length and plain-object headers, which @hono/node-server writes straight to the socket
// (its fast path); bytes also skip the UTF-8 encoding a string needs on every send.
// A responder adds its constant headers (CORS, rate limits) to that same object: no per-request
// work beyond copying a few entries, no middleware, no Headers object.
import type { Context } from 'hono'
import type { ApiError } from './errors.js'
import type { AnswerCache } from './answer-cache.js'

const JSON_TYPE = 'application/json'

/** Where a response keeps the body and headers it was built from (the journal's view of the answer). */
const ANSWER = Symbol('answer')

/** The body and headers a response of a responder was built from. */
export interface BuiltAnswer {
  headers: Record<string, string>
  body: string | Uint8Array
}

/**
 * The body and headers a responder built a response from, or undefined for a response built
 * elsewhere. A reference, read without consuming the response's stream.
 * @example
 * answerOf(respond.json(200, '{"success":true}'))?.body //=> '{"success":true}'
 */
export function answerOf(res: Response): BuiltAnswer | undefined {
  return (res as Response & { [ANSWER]?: BuiltAnswer })[ANSWER]
}

/** A response that remembers what it was built from (answerOf). */
function built(status: number, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string>): Response {
  const res = new Response(body, { status, headers }) as Response & { [ANSWER]?: BuiltAnswer }
  res[ANSWER] = { headers, body }
  return res
}

/** Node's request on a real socket (@hono/node-server's bindings); absent in app.request(). */
type NodeBindings = { incoming?: import('node:http').IncomingMessage } | undefined

/** Sends responses that all carry the same constant headers. */
export interface Responder {
  /**
   * Sends an already-serialised JSON body.
   * @example
   * respond.json(200, encodePage(rows, pagination), { 'x-mock-seed': '42' })
   */
  json(status: number, body: string | Uint8Array<ArrayBuffer>, headers?: Record<string, string>): Response
  /**
   * Sends an error from the errors table.
   * @example
   * respond.error(apiError('webhookNotFound'))
   */
  error(error: ApiError): Response
  /**
   * json() for an answer that is a pure function of the request line and Authorization (a list
   * page of the untouched world): on a real socket it is offered to the answer cache, which may
   * write the same bytes again for the same request without asking the app.
   * @example
   * respond.pure(c, 200, pageBytes, { 'x-mock-seed': '42' })
   */
  pure(c: Context, status: number, body: Uint8Array<ArrayBuffer>, headers?: Record<string, string>): Response
  /** Sends a body of another type (the YAML spec). */
  raw(status: number, body: string, headers: Record<string, string>): Response
  /** The constant headers, for responses built elsewhere (an empty OPTIONS answer). */
  readonly headers: Readonly<Record<string, string>>
}

/**
 * A responder whose every response carries `constant` (computed once, at start-up). A header
 * given per response with the same name (same spelling) replaces the constant one.
 * @example
 * const respond = responder({ 'Access-Control-Allow-Origin': '*' })
 * respond.json(200, '{"success":true}')
 */
export function responder(constant: Record<string, string> = {}, answers?: AnswerCache): Responder {
  const base = Object.freeze({ ...constant })
  const headersOf = (length: number, headers?: Record<string, string>) => ({ 'content-type': JSON_TYPE, 'content-length': String(length), ...base, ...headers })
  const json = (status: number, body: string | Uint8Array<ArrayBuffer>, headers?: Record<string, string>): Response => {
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength
    return built(status, body, headersOf(length, headers))
  }
  return {
    json,
    pure(c, status, body, headers) {
      const all = headersOf(body.byteLength, headers)
      if (answers) answers.offer((c.env as NodeBindings)?.incoming, { status, headers: all, body })
      return built(status, body, all)
    },
    error: (error) => json(error.status, JSON.stringify(error.body), error.headers),
    raw: (status, body, headers) => built(status, body, { ...base, ...headers }),
    headers: base,
  }
}
