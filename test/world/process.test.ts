// Determinism across processes: two separately spawned servers with the same seed answer the same
// bytes, whatever order they are asked in. Builds into its own folder so it never races the
// other CLI tests over dist/.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, startCli, type RunningCli } from '../support/cli.js'
import { auth } from '../support/http.js'

// One level below the package root, so the build finds ../openapi.yaml and ../fixtures like dist/ does.
const OUT = fileURLToPath(new URL('../../.test-dist-world/', import.meta.url))
const CLI = join(OUT, 'cli.js')

const URLS = [
  '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=50',
  '/api/v1/agents/agent-uuid/webhooks/webhook-uuid-1m/logs?per_page=100&page=40000',
  '/api/v1/agents/agent-uuid/webhooks/webhook-uuid-1m/logs?per_page=100&page=1',
  '/api/v1/agents/any-agent/webhooks/any-webhook/logs?per_page=100&page=2',
]

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', OUT], { stdio: 'inherit' })
}, 60_000)

describe('two server processes with the same seed', () => {
  const running: RunningCli[] = []
  afterAll(async () => {
    for (const cli of running) await cli.stop()
  })

  it('return identical bytes, in any request order', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => startCli(['--port', '0', '--seed', '42', '--quiet'], {}, CLI)))
    running.push(a, b)
    const fetchAll = async (cli: RunningCli, urls: string[]) => {
      const out = new Map<string, string>()
      for (const url of urls) {
        const res = await fetch(cli.url + url, { headers: auth() })
        expect(res.status).toBe(200)
        out.set(url, Buffer.from(await res.arrayBuffer()).toString('base64'))
      }
      return out
    }
    const first = await fetchAll(a, URLS)
    const second = await fetchAll(b, [...URLS].reverse())
    for (const url of URLS) expect(second.get(url), url).toBe(first.get(url))
  })
})

describe('a bad fixture file at start-up', () => {
  it('exits 2 with one sentence naming the file and the path in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'talkover-fixtures-'))
    const file = join(dir, 'bad.yaml')
    writeFileSync(file, 'agents:\n  - id: a\n    webhooks:\n      - id: w\n        max_retries: 11\n')
    const { code, stderr } = await runCli(['--fixtures', file], {}, CLI)
    expect(code).toBe(2)
    expect(stderr.trim()).toBe(`talkover-mock: Invalid fixture ${file} at /agents/0/webhooks/0/max_retries: must be <= 10. Please fix the file.`)
  })
})
