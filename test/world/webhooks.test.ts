// Webhook objects and the overlay as pure functions: a webhook says what its history shows, for
// many seeds and ids, agent and campaign; the overlay stays bounded; the spec's event lists are
// the generator's.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_FIXTURES, FixtureError, loadFixtures } from '../../src/world/fixtures.js'
import { logsPage } from '../../src/world/logs.js'
import { OWNERS, replyData } from '../../src/api/owners.js'
import { loadSpec } from '../../src/http/spec.js'
import { parseTimestamp } from '../../src/world/time.js'
import { CAMPAIGN_EVENT_NAMES, EVENT_DESCRIPTIONS, EVENT_NAMES } from '../../src/world/vocab.js'
import { baseConfig, withConfig } from '../../src/world/webhooks.js'
import { createWorld, lookupWebhook } from '../../src/world/world.js'
import { expectSchema } from '../support/contract.js'
import type { OwnerKind, WebhookProfile, World } from '../../src/world/model.js'

const NOW = parseTimestamp('2024-01-15T12:00:00Z')
const spec = loadSpec()
const schemas = spec.document.components!.schemas as Record<string, { enum?: string[] }>
const catalog = loadFixtures([DEFAULT_FIXTURES], spec)

function profile(world: World, owner: OwnerKind, ownerId: string, webhookId: string): WebhookProfile {
  const p = lookupWebhook(world, ownerId, webhookId, owner)
  if (typeof p === 'string') throw new Error(p)
  return p
}

/** Broken promises between a webhook object and its full history, as sentences. */
function disagreements(p: WebhookProfile, world: World): string[] {
  const c = baseConfig(p)
  const rows = logsPage(world, p, 0, p.total)
  const host = new URL(c.webhookUrl).hostname
  const problems: string[] = []
  const say = (what: string) => problems.length < 10 && problems.push(`${p.owner} ${p.agentId}/${p.webhookId}: ${what}`)
  if (c.maxRetries !== p.maxRetries || c.timeout !== p.timeout || c.enabled !== p.enabled || c.events !== p.events) say('settings differ from the profile')
  if (!(c.createdAt <= c.updatedAt && c.updatedAt <= world.now)) say('created_at ≤ updated_at ≤ now does not hold')
  for (const r of rows) {
    if (r.attempt > c.maxRetries + 1) say(`row ${r.id} has attempt ${r.attempt} with max_retries ${c.maxRetries}`)
    if (!c.events.includes(r.event)) say(`row ${r.id} has event ${r.event}, not subscribed`)
    if (r.createdAt <= c.createdAt) say(`row ${r.id} is older than the webhook`)
    if (!c.enabled && Math.max(r.createdAt, r.deliveredAt ?? 0) > c.updatedAt) say(`row ${r.id} was sent after the webhook was disabled`)
    const timeout = r.error?.match(/after (\d+) seconds/)
    if (timeout && Number(timeout[1]) !== c.timeout) say(`row ${r.id} timed out after ${timeout[1]} s, not the webhook's ${c.timeout} s`)
    const dns = r.error?.match(/^Could not resolve host: (.+)$/)
    if (dns && dns[1] !== host) say(`row ${r.id} cannot resolve ${dns[1]}, not the URL's host ${host}`)
  }
  try {
    const data = replyData(OWNERS[p.owner], 'get', c)
    expectSchema({ success: true, data }, p.owner === 'agent' ? '#/components/schemas/AgentWebhookDetails' : '#/components/schemas/CampaignWebhookDetails')
  } catch (error) {
    say((error as Error).message.split('\n')[0])
  }
  return problems
}

describe('a webhook object', () => {
  it.each([1, 42, 1337])('agrees with its whole history, for open-world agent and campaign webhooks (seed %i)', (seed) => {
    const world = createWorld({ seed, now: NOW }, catalog)
    const problems: string[] = []
    let disabled = 0
    let checked = 0
    for (let i = 0; checked < 60; i++) {
      for (const owner of ['agent', 'campaign'] as const) {
        const p = profile(world, owner, `owner-${i % 7}`, `hook-${i}`)
        if (p.total > 6_000) continue
        checked++
        if (!p.enabled) disabled++
        problems.push(...disagreements(p, world))
      }
    }
    expect(problems).toEqual([])
    expect(disabled).toBeGreaterThan(0)
  })

  it('agrees with the declared webhooks of the default fixtures', () => {
    const world = createWorld({ seed: 1, now: NOW }, catalog)
    for (const [owner, ownerId, webhookId] of [
      ['agent', 'agent-uuid', 'webhook-uuid'],
      ['campaign', 'campaign-uuid', 'webhook-uuid-1'],
    ] as const) {
      expect(disagreements(profile(world, owner, ownerId, webhookId), world)).toEqual([])
    }
  })

  it('was disabled after the last delivery of a busy disabled webhook, not before', () => {
    const dir = mkdtempSync(join(tmpdir(), 'talkover-disabled-'))
    writeFileSync(join(dir, 'busy.yaml'), 'agents:\n  - id: a\n    webhooks:\n      - { id: busy, total: 100000, enabled: false, failure_rate: 0.3 }\n')
    const world = createWorld({ seed: 1, now: NOW }, loadFixtures([join(dir, 'busy.yaml')], spec))
    const p = profile(world, 'agent', 'a', 'busy')
    expect(disagreements(p, world)).toEqual([])
    const newest = logsPage(world, p, 0, 1)[0]
    expect(baseConfig(p).updatedAt - newest.createdAt).toBeLessThan(120)
  })

  it('is the same in every world with the same seed, and another with another seed', () => {
    const a = baseConfig(profile(createWorld({ seed: 5, now: NOW }), 'agent', 'a', 'w'))
    expect(baseConfig(profile(createWorld({ seed: 5, now: NOW }), 'agent', 'a', 'w'))).toEqual(a)
    expect(baseConfig(profile(createWorld({ seed: 6, now: NOW }), 'agent', 'a', 'w'))).not.toEqual(a)
  })
})

describe('the current settings of a webhook', () => {
  const world = createWorld({ seed: 1, now: NOW }, catalog)
  const p = profile(world, 'agent', 'agent-uuid', 'webhook-uuid')

  it('are the history profile itself until a setting that shapes deliveries changes', () => {
    const c = baseConfig(p)
    expect(withConfig(p, c)).toBe(p)
    expect(withConfig(p, { ...c, name: 'Renamed' })).toBe(p)
    const slower = withConfig(p, { ...c, timeout: 10, webhookUrl: 'https://hooks.acme.test/x' })
    expect(slower.errorTexts).toContain('Connection timed out after 10 seconds')
    expect(slower.errorTexts).toContain('Could not resolve host: hooks.acme.test')
    expect(slower.layout).toBe(p.layout)
  })
})

describe('the event vocabulary', () => {
  it('is the one openapi.yaml declares, for agents and campaigns', () => {
    expect(schemas.AgentEventName.enum).toEqual(EVENT_NAMES)
    expect(Object.keys(EVENT_DESCRIPTIONS)).toEqual(EVENT_NAMES)
    expect(schemas.CampaignEventName.enum).toEqual(CAMPAIGN_EVENT_NAMES)
  })
})

describe('campaign fixtures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'talkover-campaigns-'))
  const load = (text: string) => {
    const file = join(dir, `c${text.length}.yaml`)
    writeFileSync(file, text)
    return loadFixtures([file], spec)
  }

  it('declare campaign webhooks with their name, URL and include_call_events', () => {
    const loaded = load(
      'campaigns:\n  - id: c\n    webhooks:\n      - { id: w, name: Results, webhook_url: "https://r.example/x", include_call_events: true, events: [campaign.started] }\n',
    )
    const world = createWorld({ seed: 1, now: NOW }, loaded)
    expect(baseConfig(profile(world, 'campaign', 'c', 'w'))).toMatchObject({
      name: 'Results',
      webhookUrl: 'https://r.example/x',
      includeCallEvents: true,
      events: ['campaign.started'],
    })
    expect(lookupWebhook(world, 'c', 'w')).not.toHaveProperty('owner', 'campaign')
  })

  it('refuse an agent event on a campaign webhook, naming the path', () => {
    expect(() => load('campaigns:\n  - id: c\n    webhooks:\n      - { id: w, events: [event_action] }\n')).toThrow(FixtureError)
    expect(() => load('campaigns:\n  - id: c\n    webhooks:\n      - { id: w, events: [event_action] }\n')).toThrow(
      /at \/campaigns\/0\/webhooks\/0\/events\/0: must be one of campaign_call.completed/,
    )
  })

  it('refuse a webhook_url that is not http(s)', () => {
    expect(() => load('agents:\n  - id: a\n    webhooks:\n      - { id: w, webhook_url: "ftp://x" }\n')).toThrow(
      /webhook_url: must be an http\(s\) URL like https:\/\/example.com\/webhook/,
    )
  })
})
