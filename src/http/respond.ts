// Writes JSON responses the one way the mock does it: a prebuilt string or UTF-8 bytes with
// Content-Length and plain-object headers, which @hono/node-server writes straight to the socket
// (its fast path); bytes also skip the UTF-8 encoding a string needs on every send.
// A responder adds its constant headers (CORS, rate limits) to that same object: no per-request
// work beyond copying a few entries, no middleware, no Headers object.
import type { ApiError } from './errors.js'

const JSON_TYPE = 'application/json'

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
export function responder(constant: Record<string, string> = {}): Responder {
  const base = Object.freeze({ ...constant })
  const json = (status: number, body: string | Uint8Array<ArrayBuffer>, headers?: Record<string, string>): Response => {
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength
    return new Response(body, { status, headers: { 'content-type': JSON_TYPE, 'content-length': String(length), ...base, ...headers } })
  }
  return {
    json,
    error: (error) => json(error.status, JSON.stringify(error.body), error.headers),
    raw: (status, body, headers) => new Response(body, { status, headers: { ...base, ...headers } }),
    headers: base,
  }
}
