// Small helpers to drive an app in-process the way a Talkover client would.
import type { Hono } from 'hono'

export const TOKEN = 'talq_test_token'
export const auth = (token = TOKEN): Record<string, string> => ({ Authorization: `Bearer ${token}` })

/** The docs example's list URL. */
export const DOCS_LOGS = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs'

/** GET with a valid token (plus any extra headers). */
export function get(app: Hono, url: string, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(app.request(url, { headers: { ...auth(), ...headers } }))
}

/** Any method with a valid token (plus any extra headers) and, when given, a JSON body. */
export function send(app: Hono, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const init: RequestInit = { method, headers: { ...auth(), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers } }
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body)
  return Promise.resolve(app.request(url, init))
}
