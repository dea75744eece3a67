import { Faker, base, en } from '@faker-js/faker'
import { describe, expect, it } from 'vitest'
import { createScrubber } from '../../src/record/anonymise.js'

const faker = () => new Faker({ locale: [en, base] })
const anonymiser = (seed = 1) => createScrubber({ anonymise: true, seed, faker: faker() })

/** A success row as a real receiver log might hold it, full of personal data. */
const row = (over: Record<string, unknown> = {}) => ({
  id: 'log-1',
  webhook_id: 'wh-1',
  event: 'event_phone_call_ended',
  attempt: 2,
  status: 'success',
  http_status: 200,
  request_payload: {
    call_id: '8d9c2a4e-1f7b-4c3a-9e2d-5b6a7c8d9e0f',
    agent_id: 'agent-1',
    from: '+5511987654321',
    to: '+14155550123',
    customer: { name: 'Maria Oliveira', email: 'maria.oliveira@cliente.com.br' },
    transcript: 'Hello Maria, this is about your order from last week.',
    duration: 45,
    ended_reason: 'ended_by_api',
    timestamp: '2024-01-15T11:00:00Z',
  },
  response_body: '{"received":true,"contact":"maria.oliveira@cliente.com.br"}',
  response_headers: { 'content-type': 'application/json', 'set-cookie': 'sid=abc123', 'x-request-id': 'req-1' },
  duration_ms: 142,
  delivered_at: '2024-01-15T11:00:01Z',
  created_at: '2024-01-15T11:00:00Z',
  ...over,
})

describe('the anonymiser', () => {
  it('replaces phone numbers, names, e-mails, call ids and free text, and keeps everything else', () => {
    const r = row() as any
    expect(anonymiser().row(r)).toBe(true)
    const p = r.request_payload
    const original = row() as any
    expect(p.call_id).not.toBe(original.request_payload.call_id)
    expect(p.call_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(p.from).not.toBe('+5511987654321')
    expect(p.from).toMatch(/^\+55\d{11}$/)
    expect(p.to).toMatch(/^\+14\d{9}$/)
    expect(p.customer.name).not.toBe('Maria Oliveira')
    expect(p.customer.name).toMatch(/\S+ \S+/)
    expect(p.customer.email).toMatch(/@example\.com$/)
    expect(p.transcript).not.toContain('Maria')
    // What a debugger needs stays: ids, statuses, attempts, times, numbers, enum-like values.
    for (const key of ['id', 'webhook_id', 'event', 'attempt', 'status', 'http_status', 'duration_ms', 'delivered_at', 'created_at'])
      expect(r[key]).toEqual(original[key])
    expect(p).toMatchObject({ agent_id: 'agent-1', duration: 45, ended_reason: 'ended_by_api', timestamp: '2024-01-15T11:00:00Z' })
    expect(Object.keys(p)).toEqual(Object.keys(original.request_payload))
  })

  it('gives the same value the same fake everywhere in a recording, so chains and calls still join', () => {
    const a = anonymiser()
    const first = row() as any
    const second = row({ id: 'log-2', attempt: 1, status: 'failed' }) as any
    a.row(first)
    a.row(second)
    expect(second.request_payload.call_id).toBe(first.request_payload.call_id)
    expect(second.request_payload.from).toBe(first.request_payload.from)
    // The e-mail inside the JSON response body gets the fake the payload's e-mail got.
    expect(JSON.parse(first.response_body).contact).toBe(first.request_payload.customer.email)
  })

  it.each([42, 1337, 1211])('gives the same fakes across runs with seed %i, whatever the order of rows', (seed) => {
    const [x1, y1] = [row() as any, row({ request_payload: { call_id: 'other-call', from: '+5511900000000' } }) as any]
    const one = anonymiser(seed)
    one.row(x1)
    one.row(y1)
    const [x2, y2] = [row() as any, row({ request_payload: { call_id: 'other-call', from: '+5511900000000' } }) as any]
    const two = anonymiser(seed)
    two.row(y2)
    two.row(x2)
    expect(x2).toEqual(x1)
    expect(y2).toEqual(y1)
    const other = row() as any
    anonymiser(seed + 1).row(other)
    expect(other.request_payload.call_id).not.toBe(x1.request_payload.call_id)
  })

  it('removes secrets and counts what it replaced', () => {
    const a = anonymiser(7)
    const r = row({ request_payload: { webhook_secret: 's3cr3t', note: 'token talq_abcdef123456 leaked', call_id: 'c1' } }) as any
    a.row(r)
    expect(r.request_payload.webhook_secret).toBe('[redacted]')
    expect(JSON.stringify(r)).not.toMatch(/s3cr3t|talq_abcdef|abc123/)
    expect(r.response_headers['set-cookie']).toBe('[redacted]')
    // Two ids: the call id and the x-request-id header's value (no header outside a known grammar is kept).
    expect(a.summary()).toMatchObject({ anonymised: true, seed: 7, replaced: { ids: 2, emails: 1 }, secrets_removed: 3 })
  })

  it('with anonymisation off removes only secrets and leaves other rows untouched', () => {
    const off = createScrubber({ anonymise: false })
    const clean = row({ response_headers: { 'content-type': 'application/json' } }) as any
    expect(off.row(clean)).toBe(false)
    expect(clean).toEqual(row({ response_headers: { 'content-type': 'application/json' } }))
    const leaky = row({ response_body: 'Authorization: Bearer abcdefgh12345678' }) as any
    expect(off.row(leaky)).toBe(true)
    expect(leaky.response_body).toBe('Authorization: [redacted]')
    expect(leaky.request_payload.from).toBe('+5511987654321')
    expect(off.summary()).toEqual({ anonymised: false, secrets_removed: 2 })
  })

  it('with anonymisation off still removes a secret-named query value and a URL password inside a body or a payload', () => {
    const off = createScrubber({ anonymise: false })
    const r = row({
      request_payload: { callback: 'https://u:PWOFF@hooks.acme.test/cb?sig=SIGOFF&team=a', from: '+5511987654321' },
      response_body: JSON.stringify({ trace: 'https://hooks.acme-corp.com/t/abc?token=TRACETOKEN', received: true }),
      error: 'Client error: `POST https://hooks.acme.test/x?api_key=KEYOFF` resulted in a `404 Not Found` response',
    }) as any
    expect(off.row(r)).toBe(true)
    expect(JSON.stringify(r)).not.toMatch(/TRACETOKEN|PWOFF|SIGOFF|KEYOFF/)
    expect(JSON.parse(r.response_body).trace).toBe('https://hooks.acme-corp.com/t/abc?token=[redacted]')
    expect(r.request_payload).toEqual({ callback: 'https://[redacted]@hooks.acme.test/cb?sig=[redacted]&team=a', from: '+5511987654321' })
    // Four in the text, and the row's set-cookie header.
    expect(off.summary()).toEqual({ anonymised: false, secrets_removed: 5 })
  })

  it('replaces words of a plain-text body and keeps a one-word answer', () => {
    const a = anonymiser()
    const ok = row({ response_body: 'OK' }) as any
    a.row(ok)
    expect(ok.response_body).toBe('OK')
    const chatty = row({ response_body: 'Thanks Maria, we will call +5511987654321 back' }) as any
    a.row(chatty)
    expect(chatty.response_body).not.toMatch(/Maria|987654321/)
  })
})
