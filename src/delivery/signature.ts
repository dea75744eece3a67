// Standard Webhooks signatures (https://www.standardwebhooks.com): the headers a signed delivery
// carries. Pure; node:crypto only, so the package needs no runtime dependency for it.
import { createHmac } from 'node:crypto'

const PREFIX = 'whsec_'

/**
 * The HMAC key of a webhook secret: with the `whsec_` prefix, the base64 after it decoded;
 * otherwise the secret's own UTF-8 bytes (Talkover's docs do not say how secrets look).
 * @example
 * signingKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').length //=> 24
 * signingKey('my secret').toString() //=> 'my secret'
 */
export function signingKey(secret: string): Buffer {
  return secret.startsWith(PREFIX) ? Buffer.from(secret.slice(PREFIX.length), 'base64') : Buffer.from(secret, 'utf8')
}

/**
 * The `webhook-signature` value: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`.
 * @example
 * sign('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')
 * //=> 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
 */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', signingKey(secret)).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64')
  return `v1,${mac}`
}

/**
 * The Standard Webhooks headers of one attempt: `webhook-id` (the same on every attempt of a
 * message), `webhook-timestamp` (seconds of the attempt) and, when the webhook has a secret,
 * `webhook-signature`.
 * @example
 * webhookHeaders({ id: 'msg_1', timestamp: 1614265330, body: '{}', secret: 'whsec_…' })
 * //=> { 'webhook-id': 'msg_1', 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,…' }
 */
export function webhookHeaders({ id, timestamp, body, secret }: { id: string; timestamp: number; body: string; secret?: string }): Record<string, string> {
  const headers: Record<string, string> = { 'webhook-id': id, 'webhook-timestamp': String(timestamp) }
  if (secret) headers['webhook-signature'] = sign(secret, id, timestamp, body)
  return headers
}
