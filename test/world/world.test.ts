import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { DEFAULT_FIXTURES, loadFixtures } from '../../src/world/fixtures.js'
import { encodeLog } from '../../src/world/log-json.js'
import { logAt, logsPage } from '../../src/world/logs.js'
import { loadSpec } from '../../src/http/spec.js'
import { backoffSeconds, parseTimestamp } from '../../src/world/time.js'
import { createWorld, lookupWebhook } from '../../src/world/world.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, get } from '../support/http.js'
import { historyProblems } from '../support/history.js'
import type { LogRecord, WebhookProfile, World } from '../../src/world/model.js'

const NOW = parseTimestamp('2024-01-15T12:00:00Z')
const spec = loadSpec()
const dir = mkdtempSync(join(tmpdir(), 'talkover-world-'))
function fixtureFile(name: string, text: string): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}
function worldWith(text: string, seed = 42): World {
  return createWorld({ seed, now: NOW }, loadFixtures([DEFAULT_FIXTURES, fixtureFile(`w${seed}-${text.length}.yaml`, text)], spec))
}
function profile(world: World, agentId: string, webhookId: string): WebhookProfile {
  const p = lookupWebhook(world, agentId, webhookId)
  if (typeof p === 'string') throw new Error(p)
  return p
}

describe('the open world switched off', () => {
  const app = createApp({ fixtures: fixtureFile('closed.yaml', 'open_world: false\nagents:\n  - id: known\n    webhooks:\n      - { id: hook, total: 3 }\n') })

  it('answers an unknown agent with the real API’s 404', async () => {
    const res = await get(app, '/api/v1/agents/stranger/webhooks/hook/logs')
    expect(res.status).toBe(404)
    expect(await expectConforms(res, 'listWebhookLogs')).toEqual({ success: false, message: 'Agent not found in this environment.' })
  })

  it('answers an unknown webhook of a known agent with the real API’s 404', async () => {
    const res = await get(app, '/api/v1/agents/known/webhooks/other/logs')
    expect(res.status).toBe(404)
    expect(await expectConforms(res, 'listWebhookLogs')).toEqual({ success: false, message: 'Webhook not found.' })
  })

  it('still serves declared webhooks, the default ones included', async () => {
    expect((await expectConforms(await get(app, '/api/v1/agents/known/webhooks/hook/logs'), 'listWebhookLogs')).pagination.total).toBe(3)
    expect((await expectConforms(await get(app, DOCS_LOGS), 'listWebhookLogs')).pagination.total).toBe(247)
  })

  it('checks authentication and parameters before existence', async () => {
    expect((await app.request('/api/v1/agents/stranger/webhooks/hook/logs')).status).toBe(401)
    expect((await get(app, '/api/v1/agents/stranger/webhooks/hook/logs?per_page=0')).status).toBe(422)
  })
})

describe('open-world profiles', () => {
  const world = createWorld({ seed: 42, now: NOW })
  const profiles = Array.from({ length: 2000 }, (_, i) => profile(world, `agent-${i % 13}`, `webhook-${i}`))
  const share = (f: (p: WebhookProfile) => boolean) => profiles.filter(f).length / profiles.length

  it('mostly use the API defaults, with some of every allowed value', () => {
    expect(share((p) => p.maxRetries === 3)).toBeGreaterThan(0.7)
    expect(new Set(profiles.map((p) => p.maxRetries)).size).toBe(11)
    expect(share((p) => p.timeout === 30)).toBeGreaterThan(0.75)
    expect(profiles.every((p) => p.timeout >= 5 && p.timeout <= 120)).toBe(true)
    expect(profiles.every((p) => p.events.includes('event_phone_call_started') && p.events.includes('event_phone_call_ended'))).toBe(true)
    expect(share((p) => !p.enabled)).toBeGreaterThan(0.03)
  })

  it('depend on the seed and the ids alone', () => {
    const again = createWorld({ seed: 42, now: NOW })
    expect(profile(again, 'agent-1', 'webhook-1')).toEqual(profiles[1])
    const other = createWorld({ seed: 43, now: NOW })
    expect(profiles.slice(0, 50).map((p) => profile(other, p.agentId, p.webhookId).total)).not.toEqual(profiles.slice(0, 50).map((p) => p.total))
  })

  it('end a disabled webhook’s history before now, with nothing in flight', () => {
    const disabled = profiles.filter((p) => !p.enabled && p.total > 50).slice(0, 10)
    expect(disabled.length).toBeGreaterThan(3)
    for (const p of disabled) {
      const rows = logsPage(world, p, 0, p.total)
      expect(historyProblems(p, rows)).toEqual([])
      expect(rows[0].createdAt).toBeLessThan(NOW - 3_000)
      expect(rows.some((r) => r.status === 'pending')).toBe(false)
    }
  })
})

describe('declared webhooks', () => {
  it('use the API defaults for omitted settings and the seed for the rest', () => {
    const p = profile(worldWith('agents:\n  - id: a\n    webhooks:\n      - { id: w, failure_rate: 0.5 }\n'), 'a', 'w')
    expect(p).toMatchObject({ maxRetries: 3, timeout: 30, enabled: true, failureRate: 0.5, declared: true })
    expect(p.total).toBe(profile(createWorld({ seed: 42, now: NOW }), 'a', 'w').total)
  })

  it('serve pinned rows verbatim and continue the last one’s delivery backwards', () => {
    const world = worldWith(`agents:
  - id: a
    webhooks:
      - id: w
        total: 40
        max_retries: 5
        head:
          - { id: p1, webhook_id: w, event: event_action, attempt: 4, status: success, http_status: 201, request_payload: { action: x }, response_body: '', response_headers: { server: test }, duration_ms: 12, delivered_at: '2024-01-15T11:00:01Z', created_at: '2024-01-15T11:00:00Z' }
`)
    const p = profile(world, 'a', 'w')
    const rows = logsPage(world, p, 0, p.total)
    expect(encodeLog(rows[0])).toBe(
      '{"id":"p1","webhook_id":"w","event":"event_action","attempt":4,"status":"success","http_status":201,"request_payload":{"action":"x"},"response_body":"","response_headers":{"server":"test"},"duration_ms":12,"delivered_at":"2024-01-15T11:00:01Z","created_at":"2024-01-15T11:00:00Z"}',
    )
    expect(rows.slice(1, 4).map((r) => [r.attempt, r.status, r.event, r.payloadJson])).toEqual(
      [3, 2, 1].map((a) => [a, 'retrying', 'event_action', '{"action":"x"}']),
    )
    expect(historyProblems(p, rows)).toEqual([])
  })

  it('compress the backoff of chains that cannot fit a very busy webhook’s segment, keeping every rule', () => {
    const world = worldWith('agents:\n  - id: a\n    webhooks:\n      - { id: busy, total: 1000000, max_retries: 10, failure_rate: 1 }\n')
    const p = profile(world, 'a', 'busy')
    const k = p.layout.segmentSize
    expect(k).toBe(512)
    // Whole segments hold whole deliveries.
    const rows = logsPage(world, p, 400 * k, 20 * k)
    const chains = new Map<string, LogRecord[]>()
    for (const r of rows) chains.set(r.payloadJson, [...(chains.get(r.payloadJson) ?? []), r])
    let compressed = 0
    for (const chain of chains.values()) {
      chain.sort((a, b) => a.attempt - b.attempt)
      expect(chain.map((r) => r.attempt)).toEqual(chain.map((_, i) => i + 1))
      for (let i = 1; i < chain.length; i++) {
        expect(chain[i].createdAt).toBeGreaterThan(chain[i - 1].createdAt)
        if (chain[i].createdAt - chain[i - 1].createdAt < backoffSeconds(i)) compressed++
      }
    }
    expect(compressed).toBeGreaterThan(0)
    for (let i = 1; i < rows.length; i++) expect(rows[i].createdAt).toBeLessThanOrEqual(rows[i - 1].createdAt)
    expect(logAt(world, p, 999_999).createdAt).toBeGreaterThanOrEqual(NOW - 30 * 86_400)
  })

  it.each([
    ['busy, long timeouts', '{ id: busy, total: 1000000, max_retries: 10, timeout: 120, failure_rate: 1 }'],
    ['busy, default timeout', '{ id: busy, total: 1000000, max_retries: 10, failure_rate: 1 }'],
    ['busy, few retries', '{ id: busy, total: 1000000, max_retries: 3, timeout: 90, failure_rate: 0.9 }'],
  ])('never start attempt k + 1 before attempt k ended, however compressed (%s)', (_, webhook) => {
    const world = worldWith(`agents:\n  - id: a\n    webhooks:\n      - ${webhook}\n`)
    const p = profile(world, 'a', 'busy')
    const k = p.layout.segmentSize
    let checked = 0
    for (const from of [0, 100 * k, 1000 * k, p.total - 4 * k]) {
      const rows = logsPage(world, p, from, 4 * k)
      const chains = new Map<string, LogRecord[]>()
      for (const r of rows) chains.set(r.payloadJson, [...(chains.get(r.payloadJson) ?? []), r])
      for (const chain of chains.values()) {
        chain.sort((a, b) => a.attempt - b.attempt)
        for (let i = 1; i < chain.length; i++) {
          if (chain[i].attempt !== chain[i - 1].attempt + 1) continue // a chain cut by the page edge
          const ended = chain[i - 1].createdAt + Math.ceil(chain[i - 1].durationMs! / 1000)
          expect(chain[i].createdAt, `attempt ${chain[i].attempt} of a chain at ${chain[0].createdAt}`).toBeGreaterThan(ended)
          checked++
        }
      }
      for (let i = 1; i < rows.length; i++) expect(rows[i].createdAt).toBeLessThanOrEqual(rows[i - 1].createdAt)
    }
    expect(checked).toBeGreaterThan(1000)
  })
})
