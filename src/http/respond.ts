// Writes JSON responses the one way the mock does it: a prebuilt string or UTF-8 bytes with
// Content-Length and plain-object headers, which @hono/node-server writes straight to the socket
// (its fast path); bytes also skip the UTF-8 encoding a string needs on every send.
import type { ApiError } from './errors.js'

const JSON_TYPE = 'application/json'

/**
 * Sends an already-serialised JSON body.
 * @example
 * sendJson(200, '{"success":true}')
 * sendJson(200, encodePage(rows, pagination), { 'x-mock-seed': '42' })
 */
export function sendJson(status: number, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}): Response {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength
  return new Response(body, {
    status,
    headers: { 'content-type': JSON_TYPE, 'content-length': String(length), ...headers },
  })
}

/**
 * Sends an error from the errors table.
 * @example
 * sendError(apiError('webhookNotFound'))
 */
export function sendError(error: ApiError): Response {
  return sendJson(error.status, JSON.stringify(error.body), error.headers)
}
