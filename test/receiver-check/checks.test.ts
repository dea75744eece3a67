// The checks judged by the reference verifier: every request a check expects accepted verifies
// with the standardwebhooks package, every one it expects refused does not. And the verdict table.
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import type { Target } from '../../src/delivery/attempt.js'
import type { SendResult } from '../../src/delivery/send.js'
import { CHECKS } from '../../src/receiver-check/checks.js'
import { judge } from '../../src/receiver-check/judge.js'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const target: Target = {
  owner: 'agent',
  ownerId: '',
  webhookId: '',
  url: 'http://127.0.0.1:1/',
  method: 'POST',
  secret: SECRET,
  customHeaders: [],
  timeout: 30,
  maxRetries: 0,
  enabled: true,
}
const now = Math.floor(Date.now() / 1000)
let n = 0
const ctx = { target, now, newId: () => `msg_${++n}` }

const verifies = (probe: { headers: Record<string, string>; body: string }) => {
  try {
    new Webhook(SECRET).verify(probe.body, probe.headers)
    return true
  } catch {
    return false
  }
}

describe('the receiver checks', () => {
  it.each(CHECKS.map((c) => [c.id, c] as const))('%s sends what the standardwebhooks verifier judges as the check expects', (_, check) => {
    for (const probe of check.probes(ctx)) expect(verifies(probe)).toBe(check.expect !== 'refuse')
  })

  it('names the event of every request in webhook-event, and sends the raw-bytes body unlike JSON.stringify would', () => {
    for (const check of CHECKS) for (const p of check.probes(ctx)) expect(p.headers['webhook-event']).toMatch(/^[\w.]+$/)
    const [raw] = CHECKS.find((c) => c.id === 'raw-bytes')!.probes(ctx)
    expect(JSON.stringify(JSON.parse(raw.body))).not.toBe(raw.body)
  })

  it('sends the duplicate twice with the same webhook-id and body and a new timestamp, and every other check a fresh id', () => {
    const [a, b] = CHECKS.find((c) => c.id === 'duplicate')!.probes(ctx)
    expect([b.headers['webhook-id'], b.body]).toEqual([a.headers['webhook-id'], a.body])
    expect(b.headers['webhook-timestamp']).not.toBe(a.headers['webhook-timestamp'])
    const ids = CHECKS.filter((c) => c.id !== 'duplicate').flatMap((c) => c.probes(ctx).flatMap((p) => p.headers['webhook-id'] ?? []))
    expect(ids).toHaveLength(CHECKS.length - 1) // all but the duplicate and missing-webhook-id, and two for the rotated signature
    expect(new Set(ids).size).toBe(ids.length)
  })
})

const answer = (status: number): SendResult => ({ kind: 'response', status, headers: {}, body: '', truncated: false, durationMs: 3 })
const error = (text: string): SendResult => ({ kind: 'error', error: text, durationMs: 3 })

describe('judge', () => {
  it('joins an error ending in a full stop without ".:"', () => {
    const cancelled = error('Cancelled: talkover-mock closed before the receiver answered.')
    expect(judge('accept', [cancelled]).note).toBe(
      'Cancelled: talkover-mock closed before the receiver answered: the sender counts that as a failure and retries.',
    )
    expect(judge('refuse', [cancelled]).note).not.toContain('.:')
  })

  it.each([
    ['accept', [answer(200)], 'pass'],
    ['accept', [answer(204), answer(409)], 'fail'],
    ['accept', [answer(302)], 'fail'],
    ['accept', [error('Connection timed out after 1 seconds')], 'fail'],
    ['refuse', [answer(401)], 'pass'],
    ['refuse', [answer(200)], 'fail'],
    ['refuse', [answer(500)], 'warn'],
    ['refuse', [answer(301)], 'fail'],
    ['refuse', [error('Connection reset by peer')], 'warn'],
    ['accept-unknown', [answer(202)], 'pass'],
    ['accept-unknown', [answer(400)], 'fail'],
    ['accept-unknown', [answer(410)], 'warn'],
  ] as const)('%s answered %j is %s', (expect_, results, verdict) => {
    expect(judge(expect_, results).verdict).toBe(verdict)
  })
})
