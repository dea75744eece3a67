// The signer against the Standard Webhooks spec's published test vector and its reference
// verifier (the standardwebhooks npm package).
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { sign, signingKey, webhookHeaders } from '../../src/delivery/signature.js'

const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
}

describe('Standard Webhooks signatures', () => {
  it("signs the spec's published test vector exactly", () => {
    expect(sign(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature)
  })

  it('uses the base64-decoded bytes after whsec_, and the raw bytes of any other secret', () => {
    expect(signingKey('whsec_aGVsbG8=').toString()).toBe('hello')
    expect(signingKey('plain-secret').toString()).toBe('plain-secret')
  })

  it.each([
    ['a whsec_ secret', `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`],
    ['the vector secret', VECTOR.secret],
  ])('produces headers the reference verifier accepts (%s)', (_name, secret) => {
    const body = JSON.stringify({ event: 'event_phone_call_ended', call_id: 'c-1', note: 'café ☎' })
    const timestamp = Math.floor(Date.now() / 1000)
    const headers = webhookHeaders({ id: 'msg_abc', timestamp, body, secret })
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body))
  })

  it('is rejected by the reference verifier when one byte of the body changes', () => {
    const timestamp = Math.floor(Date.now() / 1000)
    const headers = webhookHeaders({ id: 'msg_abc', timestamp, body: '{"a":1}', secret: VECTOR.secret })
    expect(() => new Webhook(VECTOR.secret).verify('{"a": 1}', headers)).toThrow()
  })

  it('sends no signature header without a secret', () => {
    expect(webhookHeaders({ id: 'msg_1', timestamp: 5, body: '{}' })).toEqual({ 'webhook-id': 'msg_1', 'webhook-timestamp': '5' })
  })
})
