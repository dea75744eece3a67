// Writes JSON responses the one way the mock does it: a prebuilt string with Content-Length,
// which @hono/node-server sends without re-encoding.
import type { ApiError } from './errors.js'

const JSON_TYPE = 'application/json'

/**
 * Sends an already-serialised JSON body.
 * @example
 * sendJson(200, '{"success":true}')
 */
export function sendJson(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': JSON_TYPE, 'content-length': String(Buffer.byteLength(body)), ...headers },
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
