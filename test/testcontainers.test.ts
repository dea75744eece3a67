// talkover-mock/testcontainers against a real engine. Needs the image and a Docker-compatible
// socket, so it runs in scripts/container-test.sh (npm run test:container, part of .ci/run), which
// sets TALKOVER_MOCK_TEST_IMAGE to the image it built; in the plain suite it is skipped with that reason.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TalkoverMockContainer } from '../src/testcontainers.js'

const image = process.env.TALKOVER_MOCK_TEST_IMAGE

describe.skipIf(!image)('TalkoverMockContainer (runs in npm run test:container)', () => {
  it('starts the image with a seed, copied fixtures, a token and an admin token, ready on /__mock/ready', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tc-fixtures-'))
    writeFileSync(join(dir, 'mine.yaml'), 'agents:\n  - id: tc-agent\n    webhooks:\n      - { id: tc-webhook, total: 7 }\n')
    const mock = await new TalkoverMockContainer(image)
      .withSeed(42)
      .withFixtures(dir)
      .withToken('talq_container')
      .withAdminToken('admin-container')
      .withSetting('--journal-size', 50)
      .start()
    try {
      const logs = await fetch(`${mock.getBaseUrl()}/api/v1/agents/tc-agent/webhooks/tc-webhook/logs`, { headers: { Authorization: 'Bearer talq_container' } })
      expect(logs.status).toBe(200)
      expect((await logs.json()).pagination.total).toBe(7)
      const client = mock.client({ session: 'tc' })
      expect((await client.config()).journal_size).toBe(50)
      await client.failNext(1, 503)
      expect((await client.fetch('/api/v1/agents/tc-agent/webhooks/tc-webhook/logs', { headers: { Authorization: 'Bearer talq_container' } })).status).toBe(503)
      await client.requests.expectCount({ status: 503 }, 1)
    } finally {
      await mock.stop()
    }
  }, 120_000)
})

// No engine needed: a setting is checked when it is given, before any container starts.
describe('TalkoverMockContainer.withSetting', () => {
  it('refuses a misspelt setting with a sentence naming the closest one, instead of an unused env var', () => {
    expect(() => new TalkoverMockContainer().withSetting('--latncy', '50-300')).toThrow(
      'Unknown setting "--latncy" for withSetting: did you mean "--latency"? Use a flag or its environment variable from docs/cli.md (withEnvironment sets any other variable).',
    )
    expect(() => new TalkoverMockContainer().withSetting('TALKOVER_MOCK_LATENCI', 5)).toThrow(
      'Unknown setting "TALKOVER_MOCK_LATENCI" for withSetting: did you mean "TALKOVER_MOCK_LATENCY"?',
    )
  })

  it('refuses the port and host, which the module owns, with a sentence instead of a 60 s wait that fails', () => {
    for (const name of ['--port', 'TALKOVER_MOCK_PORT', '--host', 'TALKOVER_MOCK_HOST'])
      expect(() => new TalkoverMockContainer().withSetting(name, name.includes('HOST') || name === '--host' ? '127.0.0.1' : 5000)).toThrow(
        `withSetting("${name}"): TalkoverMockContainer runs the mock on port 4010 of all the container's interfaces and maps it for you; read the URL with getBaseUrl().`,
      )
  })

  it('checks a value as the CLI would, when it is given: a bad seed, token or fixture path is one sentence', () => {
    expect(() => new TalkoverMockContainer().withSeed(-1)).toThrow(/^Invalid --seed "-1": use /)
    expect(() => new TalkoverMockContainer().withToken('not a token')).toThrow(/^Invalid --token/)
    expect(() => new TalkoverMockContainer().withFixtures('does-not-exist.yaml')).toThrow(
      'withFixtures("does-not-exist.yaml"): no such file or folder. Please give a fixture file or a folder of them.',
    )
  })

  it('takes every flag and every environment variable of the settings table', () => {
    expect(() =>
      new TalkoverMockContainer().withSetting('--journal-size', 50).withSetting('TALKOVER_MOCK_CLOCK', 'live').withSetting('--cors-origin', 'none'),
    ).not.toThrow()
  })
})
