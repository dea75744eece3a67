import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { DEFAULT_FIXTURES, FixtureError, loadFixtures } from '../../src/world/fixtures.js'
import { loadSpec } from '../../src/http/spec.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, get } from '../support/http.js'

const spec = loadSpec()
const dir = mkdtempSync(join(tmpdir(), 'talkover-fixtures-'))
let n = 0
/** Writes a fixture file and returns its path. */
function fixture(text: string, ext = 'yaml'): string {
  const file = join(dir, `f${n++}.${ext}`)
  writeFileSync(file, text)
  return file
}
const hook = (lines: string) => `agents:\n  - id: a\n    webhooks:\n      - id: w\n${lines.replace(/^/gm, '        ')}\n`
const row = (fields: string) => `head:\n  - { id: r1, webhook_id: w, event: event_phone_call_started, created_at: '2024-01-15T10:00:00Z', ${fields} }`

describe('loading fixtures', () => {
  it('reads YAML and JSON, files and folders, later webhooks replacing earlier ones', () => {
    const folder = join(dir, 'folder')
    mkdirSync(folder)
    writeFileSync(join(folder, '1-first.yaml'), hook('total: 10\nmax_retries: 1'))
    writeFileSync(join(folder, '2-second.json'), JSON.stringify({ open_world: false, agents: [{ id: 'a', webhooks: [{ id: 'w', total: 20 }, { id: 'v' }] }] }))
    writeFileSync(join(folder, 'notes.txt'), 'not a fixture')
    const catalog = loadFixtures([DEFAULT_FIXTURES, folder], spec)
    expect(catalog.openWorld).toBe(false)
    expect(catalog.agents.get('a')?.get('w')).toMatchObject({ total: 20, maxRetries: undefined })
    expect([...catalog.agents.get('a')!.keys()]).toEqual(['w', 'v'])
    expect([...catalog.agents.get('agent-uuid')!.keys()].sort()).toEqual(['webhook-uuid', 'webhook-uuid-1m'])
  })

  it('lets --fixtures override a default webhook with the same ids', async () => {
    const file = fixture('agents:\n  - id: agent-uuid\n    webhooks:\n      - { id: webhook-uuid, total: 12 }\n')
    const body = await expectConforms(await get(createApp({ fixtures: file }), DOCS_LOGS), 'listWebhookLogs')
    expect(body.pagination.total).toBe(12)
    expect(body.data[0].id).not.toBe('log-uuid-1')
  })

  it('accepts an empty file', () => {
    expect(loadFixtures([fixture('')], spec).agents.size).toBe(0)
  })
})

describe('invalid fixtures', () => {
  it.each([
    ['a max_retries above 10', hook('max_retries: 11'), '/agents/0/webhooks/0/max_retries: must be <= 10'],
    ['a timeout below 5', hook('timeout: 2'), '/agents/0/webhooks/0/timeout: must be >= 5'],
    ['a total above 1,000,000', hook('total: 1000001'), '/agents/0/webhooks/0/total: must be <= 1000000'],
    ['a failure_rate above 1', hook('failure_rate: 1.5'), '/agents/0/webhooks/0/failure_rate: must be <= 1'],
    ['a misspelt setting', hook('max_retry: 2'), '/agents/0/webhooks/0: must not have the property "max_retry"'],
    ['an unknown event', hook('events: [event_call_started]'), '/agents/0/webhooks/0/events/0: must be one of event_phone_call_started, '],
    ['a webhook without id', 'agents:\n  - id: a\n    webhooks:\n      - total: 3\n', '/agents/0/webhooks/0: must have the property "id"'],
    ['a top-level typo', 'openworld: false\n', '/: must not have the property "openworld"'],
    [
      'a success row without response_body',
      hook(
        row('attempt: 1, status: success, http_status: 200, request_payload: {}, response_headers: {}, duration_ms: 5, delivered_at: "2024-01-15T10:00:01Z"'),
      ),
      '/agents/0/webhooks/0/head/0: must have the property "response_body"',
    ],
    [
      'a failed row with a request_payload',
      hook(`max_retries: 0\n${row('attempt: 1, status: failed, error: Gone, duration_ms: 5, request_payload: {}')}`),
      '/agents/0/webhooks/0/head/0/request_payload: must not be present for a row with this status',
    ],
    [
      'a bad timestamp',
      hook(row('attempt: 1, status: pending, request_payload: {}').replace("'2024-01-15T10:00:00Z'", 'yesterday')),
      '/agents/0/webhooks/0/head/0/created_at: must be a UTC time like 2024-01-15T11:00:00Z',
    ],
    [
      'a row of another webhook',
      hook(row('attempt: 1, status: pending, request_payload: {}').replace('webhook_id: w', 'webhook_id: x')),
      '/agents/0/webhooks/0/head/0/webhook_id: must be "w", the webhook\'s id',
    ],
    [
      'a failed row before the last attempt',
      hook(row('attempt: 2, status: failed, error: Gone, duration_ms: 5')),
      '/agents/0/webhooks/0/head/0/attempt: must be 4 (1 + max_retries) on a failed row',
    ],
    [
      'an attempt above 1 + max_retries',
      hook(`max_retries: 1\n${row('attempt: 3, status: retrying, error: Gone, duration_ms: 5')}`),
      '/agents/0/webhooks/0/head/0/attempt: must be <= 2 (1 + max_retries)',
    ],
    [
      'more head rows than total',
      hook(`total: 0\n${row('attempt: 1, status: pending, request_payload: {}')}`),
      '/agents/0/webhooks/0/total: must be at least the number of head rows (1)',
    ],
  ])('names the file and the path for %s', (_name, text, where) => {
    const file = fixture(text)
    expect(() => loadFixtures([file], spec)).toThrow(FixtureError)
    expect(() => loadFixtures([file], spec)).toThrow(`Invalid fixture ${file} at ${where}`)
    expect(() => loadFixtures([file], spec)).toThrow(/\. Please fix the file\.$/)
  })

  it('says so when a file cannot be parsed', () => {
    const file = fixture('agents: [', 'yaml')
    expect(() => loadFixtures([file], spec)).toThrow(new RegExp(`^Invalid fixture ${file}: it cannot be parsed \\(.+\\)\\. Please fix the file\\.$`))
    const json = fixture('{"agents": ', 'json')
    expect(() => loadFixtures([json], spec)).toThrow(`Invalid fixture ${json}: it cannot be parsed`)
  })

  it('says so when the path does not exist or the folder holds no fixture', () => {
    expect(() => loadFixtures([join(dir, 'nope.yaml')], spec)).toThrow(
      `Failed to read fixtures "${join(dir, 'nope.yaml')}": no such file or folder. Please check the path (a relative one is read from the working directory).`,
    )
    const empty = join(dir, 'empty')
    mkdirSync(empty)
    expect(() => loadFixtures([empty], spec)).toThrow(`Invalid fixtures folder "${empty}": it holds no .yaml, .yml or .json file.`)
  })

  it('stops createApp at start-up', () => {
    expect(() => createApp({ fixtures: fixture(hook('max_retries: -1')) })).toThrow(/must be >= 0/)
  })
})
