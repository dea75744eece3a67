// Which custom headers a webhook may carry. A live delivery's framing (Host, Content-Length,
// Transfer-Encoding…), its connection handling (hop-by-hop headers) and its Standard Webhooks
// signature are the mock's to set: a custom header may neither route the request to another
// virtual host nor change where its body ends. Such names are refused when the webhook is
// written, and the sender drops them too. Pure (node:http's header checks only).
import { validateHeaderName, validateHeaderValue } from 'node:http'

/** Header names (lower case) a custom header may never have. */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  // Hop-by-hop (RFC 9110 §7.6.1), plus the proxy ones.
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  // Framing and routing.
  'content-length',
  'host',
  'expect',
  // The body's encoding (the mock sends plain JSON) and what proxies read as the original host,
  // client or method.
  'content-encoding',
  'forwarded',
  'x-forwarded-host',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-http-method-override',
  'x-method-override',
  // Standard Webhooks: the receiver's idempotency key, replay window and signature; and the event's
  // name, which the mock sends beside them (a receiver routes on it).
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'webhook-event',
])

/** Whether a custom header of this name is one the delivery sets itself. */
export const isReservedHeader = (name: string): boolean => RESERVED_HEADERS.has(name.toLowerCase()) || name.toLowerCase().startsWith('proxy-')

/**
 * What is wrong with a webhook's custom headers, keyed by Laravel's dotted field name
 * (`custom_headers.0.key`); empty when all can be sent. A value is never quoted: it may be a secret.
 * @example
 * customHeaderErrors([{ key: 'Host', value: 'x' }]) //=> { 'custom_headers.0.key': ['The custom headers.0.key "Host" is set by … Please remove it.'] }
 */
export function customHeaderErrors(headers: readonly { key: string; value: string }[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {}
  const seen = new Map<string, number>()
  headers.forEach(({ key, value }, i) => {
    const field = `custom_headers.${i}.key`
    const first = seen.get(key.toLowerCase())
    if (first === undefined) seen.set(key.toLowerCase(), i)
    if (!sendableName(key)) {
      errors[field] = [`The custom headers.${i}.key ${JSON.stringify(key)} is not an HTTP header name: use letters, digits and dashes, like X-Team.`]
    } else if (isReservedHeader(key)) {
      errors[field] = [
        `The custom headers.${i}.key ${JSON.stringify(key)} is set by the delivery itself: hop-by-hop, framing (Host, Content-Length, Expect, Content-Encoding), forwarding (Forwarded, X-Forwarded-*), method-override and webhook-* headers (id, timestamp, signature, event) cannot be custom headers. Please remove it.`,
      ]
    } else if (first !== undefined) {
      errors[field] = [
        `The custom headers.${i}.key ${JSON.stringify(key)} repeats custom_headers.${first}.key (header names ignore case): only one value could be sent. Please keep one of them.`,
      ]
    }
    if (!sendableValue(key, value)) {
      errors[`custom_headers.${i}.value`] = [`The custom headers.${i}.value field must not contain line breaks or other control characters.`]
    }
  })
  return errors
}

/**
 * The custom headers a delivery sends, with lower-case names: reserved and unsendable ones left
 * out (the write refuses them; this is the sender's own guard).
 * @example
 * sendableHeaders([{ key: 'X-Team', value: 'payments' }, { key: 'Host', value: 'x' }]) //=> { 'x-team': 'payments' }
 */
export function sendableHeaders(headers: readonly { key: string; value: string }[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const { key, value } of headers) if (sendableName(key) && !isReservedHeader(key) && sendableValue(key, value)) out[key.toLowerCase()] = value
  return out
}

function sendableName(key: string): boolean {
  try {
    validateHeaderName(key)
    return true
  } catch {
    return false
  }
}

function sendableValue(key: string, value: string): boolean {
  try {
    validateHeaderValue(key, value)
    return true
  } catch {
    return false
  }
}
