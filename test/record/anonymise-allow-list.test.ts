// An anonymised recording keeps only what is safe to keep: a page full of personal data, hosts,
// signed URLs and ids in unusual places is recorded from a fake upstream, and none of the originals
// survives in the file or in the replay's answers, while structure and known grammars do.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Faker, base, en } from '@faker-js/faker'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { createScrubber } from '../../src/record/anonymise.js'
import { runRecord } from '../../src/record/command.js'
import { get } from '../support/http.js'

const CALL = 'c0ffee00-1111-4222-8333-444455556666'
const WEBHOOK_URL = 'https://hooks.zqxchat.io/services/T000PATHSECRET/B999PATHSECRET'

/** Every value here is one a recording must not keep. */
const ORIGINALS = [
  '5511987654321',
  '987654321',
  '14155550123',
  '4155550123',
  'c0ffee00',
  '444455556666',
  'zqx',
  'Baker',
  'NW1',
  '1985-03-02',
  '203.0.113.77',
  '123-45-6789',
  'Ermengarde',
  'Wolstenholme',
  'SIGabc123xyz',
  'Payroll',
  'PATHSECRET',
  '8812',
  'Cassiopeia',
  // Values under enum-like keys, object keys, instants, counts, header parameters and error texts.
  'acme-internal',
  'maria.garcia',
  'mariagarcia',
  'zebedee',
  'nw16xe',
  'bartholomew',
  'Zebulon',
  'Farnsworth',
  '15550001111',
  '15551239999',
  '447700900999',
  'PATHSECRETX',
  'x-user',
]

const payload = {
  call: { id: CALL, recording_url: `https://rec.zqxvoice.io/calls/${CALL}.mp3?sig=SIGabc123xyz&expires=1700000000` },
  call_id: CALL,
  agent_id: 'agent-a',
  from: 5511987654321,
  to: 14155550123,
  contact_first: 'Ermengarde',
  contact_last: 'Wolstenholme',
  address: '221B Baker Street, London NW1 6XE',
  dob: '1985-03-02',
  ip: '203.0.113.77',
  ssn: '123-45-6789',
  crm_host: 'crm.zqxinternal.io',
  notes: 'Cassiopeia',
  error: 'db7.acme-internal.net',
  status: 'maria.garcia',
  type: 'vip-bartholomew',
  code: 'nw16xe',
  role: 'zebedee',
  direction: 'outbound',
  metadata: { 'maria.garcia@acme-corp.com': true, '+15550001111': 'x', 'Zebulon Farnsworth': 5, plan: 'gold' },
  transcript: [{ role: 'customer', text: 'Hi' }],
  born_at: '1985-03-02T00:00:00Z',
  caller_time: '1985-03-02T10:00:00Z',
  total: 15551239999,
  count: 447700900999,
  attempts: 3,
  duration: 45,
  ended_reason: 'customer_ended_call',
  timestamp: '2026-11-29T10:00:00Z',
}

const rows = [
  {
    id: 'log-1',
    webhook_id: 'w',
    event: 'event_phone_call_ended',
    attempt: 2,
    status: 'success',
    http_status: 200,
    request_payload: payload,
    response_body: JSON.stringify({ next: 'https://api.zqxcrm.io/contacts/8812', contact: { name: 'Ermengarde Wolstenholme' } }),
    response_headers: {
      'content-type': 'application/json',
      date: 'Sun, 29 Nov 2026 10:00:01 GMT',
      location: `https://api.zqxcrm.io/v1/calls/${CALL}`,
      server: 'zqx-edge-7',
      'x-request-id': CALL,
      'cache-control': 'private, x-user=mariagarcia, max-age=60',
    },
    duration_ms: 142,
    delivered_at: '2026-11-29T10:00:01Z',
    created_at: '2026-11-29T10:00:00Z',
  },
  {
    id: 'log-2',
    webhook_id: 'w',
    event: 'event_phone_call_ended',
    attempt: 1,
    status: 'retrying',
    error: 'Could not resolve host: hooks.zqxchat.io',
    duration_ms: 12,
    created_at: '2026-11-29T09:59:50Z',
  },
  {
    id: 'log-3',
    webhook_id: 'w',
    event: 'event_phone_call_ended',
    attempt: 1,
    status: 'failed',
    http_status: 500,
    error: 'Server error at /webhooks/PATHSECRETX/ingest for maria.garcia@acme-corp.com user Zebulon Farnsworth',
    duration_ms: 3,
    created_at: '2026-11-29T09:59:40Z',
  },
  {
    id: 'log-4',
    webhook_id: 'w',
    event: 'event_phone_call_ended',
    attempt: 1,
    status: 'failed',
    http_status: 404,
    error: `Client error: \`POST ${WEBHOOK_URL}\` resulted in a \`404 Not Found\` response`,
    duration_ms: 3,
    created_at: '2026-11-29T09:59:30Z',
  },
  {
    id: 'log-5',
    webhook_id: 'w',
    event: 'event_phone_call_started',
    attempt: 1,
    status: 'success',
    http_status: 200,
    request_payload: { call_id: CALL, agent_id: 'agent-a' },
    response_body: 'OK',
    response_headers: { 'content-type': 'text/plain; name="Zebulon Farnsworth"' },
    duration_ms: 5,
    delivered_at: '2026-11-29T09:59:21Z',
    created_at: '2026-11-29T09:59:20Z',
  },
]

/** A fake Talkover API answering the webhook and one page of its logs. */
const upstream = (async (url: URL) => {
  const path = new URL(url).pathname
  const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
  if (path === '/api/v1/agents/a/webhooks/w')
    return json({ success: true, data: { id: 'w', name: 'Acme Payroll Hook', webhook_url: WEBHOOK_URL, events: ['event_phone_call_ended'], enabled: true } })
  if (path === '/api/v1/agents/a/webhooks/w/logs')
    return json({ success: true, data: rows, pagination: { current_page: 1, per_page: 100, total: 2, last_page: 1 } })
  return new Response('{"message":"nope"}', { status: 404 })
}) as unknown as typeof fetch

describe('an anonymised recording', () => {
  it('keeps none of the originals, in the file or the replay, and keeps structure and known grammars', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'talkover-anon-')), 'r.yaml')
    await runRecord(
      { upstream: 'http://upstream.test', token: 'talq_x', owner: 'agent', ownerId: 'a', webhookIds: ['w'], out, anonymise: true, seed: 1, rate: 60_000 },
      { clock: () => Date.parse('2026-11-30T00:00:00Z'), fetch: upstream, sleep: async () => {} },
    )
    const file = readFileSync(out, 'utf8')
    const replay = createApp({ fixtures: out })
    const logs = await (await get(replay, '/api/v1/agents/a/webhooks/w/logs?per_page=100')).text()
    const webhook = await (await get(replay, '/api/v1/agents/a/webhooks/w')).text()
    for (const [where, text] of Object.entries({ file, logs, webhook }))
      for (const original of ORIGINALS) expect(text.toLowerCase(), `${original} in the ${where}`).not.toContain(original.toLowerCase())

    const [first, second, third, fourth, fifth] = JSON.parse(logs).data
    expect(first).toMatchObject({ id: 'log-1', event: 'event_phone_call_ended', attempt: 2, status: 'success', http_status: 200, duration_ms: 142 })
    expect(first.response_headers).toMatchObject({ 'content-type': 'application/json', date: 'Sun, 29 Nov 2026 10:00:01 GMT' })
    const p = first.request_payload
    expect(p).toMatchObject({ agent_id: 'agent-a', duration: 45, ended_reason: 'customer_ended_call', timestamp: '2026-11-29T10:00:00Z' })
    // One call id, one fake, wherever it appeared.
    expect(p.call.id).toBe(p.call_id)
    expect(p.call.recording_url).toContain(`/${p.call_id}.mp3`)
    expect(first.response_headers.location).toContain(p.call_id)
    expect(first.response_headers['x-request-id']).toBe(p.call_id)
    // Shapes a consumer may parse stay: numbers stay numbers of the same length, a date stays a date.
    expect(String(p.from)).toMatch(/^55\d{11}$/)
    expect(p.dob).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(p.ssn).toMatch(/^\d{3}-\d{2}-\d{4}$/)
    // The error keeps its words, with the same fake host the webhook URL got.
    const host = new URL(JSON.parse(webhook).data.webhook_url).hostname
    expect(second.error).toBe(`Could not resolve host: ${host}`)
    // Enumerations are kept only from the known vocabulary; everything else under an enum key is replaced.
    expect(p).toMatchObject({ direction: 'outbound', transcript: [{ role: 'customer' }], attempts: 3 })
    expect(p.metadata.plan).toBeDefined()
    expect(Object.keys(p.metadata)).toHaveLength(4)
    // Only the row's own kind of time fields keep their instants; other instants are faked, as instants.
    expect(p.born_at).not.toBe(payload.born_at)
    expect(p.born_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    // Large numbers under count keys are faked with the same number of digits.
    expect(String(p.total)).toMatch(/^\d{11}$/)
    // Header values keep only their known directives and the bare media type.
    expect(first.response_headers['cache-control']).toBe('private, max-age=60')
    expect(fifth.response_headers['content-type']).toBe('text/plain')
    // An error text outside the vocabulary becomes the status's reason phrase; a Guzzle error keeps its shape.
    expect(third.error).toBe('Internal Server Error')
    expect(fourth.error).toBe(`Client error: \`POST ${JSON.parse(webhook).data.webhook_url}\` resulted in a \`404 Not Found\` response`)
  })

  it('gives the same value the same fake within a recording (same input, same output)', () => {
    const scrubber = createScrubber({ anonymise: true, seed: 3, faker: new Faker({ locale: [en, base] }) })
    const a = structuredClone(rows[0]) as Record<string, any>
    const b = structuredClone(rows[0]) as Record<string, any>
    scrubber.row(a)
    scrubber.row(b)
    expect(b).toEqual(a)
    expect(a.request_payload.address).not.toBe(payload.address)
  })
})
