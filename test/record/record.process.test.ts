// The record and verify commands end to end, with real processes: a talkover-mock process is the
// upstream, `talkover-mock record` pages through it, a second talkover-mock process replays the
// recording. Builds into its own folder so it never races the other CLI tests over dist/.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, startCli, type RunningCli } from '../support/cli.js'

const OUT = fileURLToPath(new URL('../../.test-dist-record/', import.meta.url))
const CLI = join(OUT, 'cli.js')
const TOKEN = 'talq_upstream_secret_7f3a'
const dir = mkdtempSync(join(tmpdir(), 'talkover-record-'))
const upstreamFixture = join(dir, 'upstream.yaml')
const recording = join(dir, 'incident', 'recorded.yaml')

const running: RunningCli[] = []
let upstream: RunningCli

beforeAll(async () => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', OUT], { stdio: 'inherit' })
  // A closed world with one busy webhook (50,000 generated rows) and one small one.
  writeFileSync(
    upstreamFixture,
    'open_world: false\nagents:\n  - id: incident-agent\n    webhooks:\n      - { id: busy, total: 50000, max_retries: 3 }\n      - { id: quiet, total: 30 }\n',
  )
  upstream = await startCli(['--port', '0', '--quiet', '--token', TOKEN, '--fixtures', upstreamFixture], {}, CLI)
  running.push(upstream)
}, 120_000)

afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()))
})

const record = (args: string[], env: Record<string, string> = { TALKOVER_TOKEN: TOKEN }) =>
  runCli(['record', '--upstream', upstream.url, '--rate', '60000', ...args], env, CLI)
const fetchText = async (url: string) => (await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).text()

describe('talkover-mock record against a talkover-mock process', () => {
  it('records 50,000 rows that a second process replays byte for byte, every page', async () => {
    const { code, stdout, stderr } = await record(['--agent', 'incident-agent', '--anonymise', 'off', '--out', recording])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toBe(`Recorded 50030 rows of 2 webhooks into ${recording} (not anonymised; 0 secrets removed).\n`)
    const text = readFileSync(recording, 'utf8')
    expect(text).not.toContain(TOKEN)
    expect(text).toMatch(/^# Recorded by talkover-mock record/)
    const replay = await startCli(['--port', '0', '--quiet', '--fixtures', recording], {}, CLI)
    running.push(replay)
    const path = '/api/v1/agents/incident-agent/webhooks/busy/logs'
    for (let page = 1; page <= 501; page++) {
      const q = `?per_page=100&page=${page}`
      expect(await fetchText(replay.url + path + q), q).toBe(await fetchText(upstream.url + path + q))
    }
    for (const q of ['?per_page=37&page=1', '?per_page=37&page=700', '?per_page=37&page=1352', '?page=2000']) {
      expect(await fetchText(replay.url + path + q), q).toBe(await fetchText(upstream.url + path + q))
    }
    const quiet = '/api/v1/agents/incident-agent/webhooks/quiet/logs?per_page=7&page=5'
    expect(await fetchText(replay.url + quiet)).toBe(await fetchText(upstream.url + quiet))
  }, 120_000)

  it('says in one sentence what went wrong, never showing the token', async () => {
    const wrong = 'talq_wrong_token_55'
    const refused = await record(['--agent', 'incident-agent', '--out', join(dir, 'x.yaml')], { TALKOVER_TOKEN: wrong })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^talkover-mock: http:\/\/127\.0\.0\.1:\d+ refused the token \(401\): "[^"]+"\. Please check --token or TALKOVER_TOKEN\.\n$/)
    expect(refused.stderr + refused.stdout).not.toContain(wrong)
    const unknown = await record(['--agent', 'nobody', '--out', join(dir, 'x.yaml')])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(
      /^talkover-mock: http:\/\/127\.0\.0\.1:\d+ has no agent nobody \(404\): "Agent not found in this environment\."\. Please check --agent, --campaign and --webhook\.\n$/,
    )
    const noWebhook = await record(['--agent', 'incident-agent', '--webhook', 'gone', '--out', join(dir, 'x.yaml')])
    expect(noWebhook.stderr).toContain('has no webhook gone of agent incident-agent (404): "Webhook not found."')
    const noToken = await record(['--agent', 'incident-agent'], {})
    expect(noToken).toMatchObject({
      code: 2,
      stderr: "talkover-mock: Missing token: set TALKOVER_TOKEN (or pass --token) to your environment's talq_… token.\n",
    })
    const badFlag = await record(['--agent', 'incident-agent', '--anonymise', 'maybe'])
    expect(badFlag).toMatchObject({ code: 2, stderr: 'talkover-mock: Invalid --anonymise "maybe": use on or off.\n' })
    const stray = await record(['--agent', 'incident-agent', TOKEN])
    expect(stray.code).toBe(2)
    expect(stray.stderr).not.toContain(TOKEN)
  })

  it('anonymises by default and writes neither the token nor a progress line when not on a terminal', async () => {
    const out = join(dir, 'anon.yaml')
    const { code, stdout, stderr } = await record(['--agent', 'incident-agent', '--webhook', 'quiet', '--seed', '1337', '--token', TOKEN, '--out', out])
    expect(code).toBe(0)
    expect(stderr).toBe('')
    expect(stdout).toContain('(anonymised with seed 1337; 0 secrets removed)')
    const text = readFileSync(out, 'utf8')
    expect(text).not.toContain(TOKEN)
    expect(text).toContain('seed: 1337')
  })
})

describe('talkover-mock verify against a talkover-mock process', () => {
  it('passes, as a table and as JUnit', async () => {
    const table = await runCli(['verify', '--upstream', upstream.url, '--agent', 'incident-agent', '--rate', '60000'], { TALKOVER_TOKEN: TOKEN }, CLI)
    expect(table.stdout).toMatch(/^No drift: 9 answers of http:\/\/127\.0\.0\.1:\d+\/api\/v1 match openapi\.yaml\.\n$/)
    expect(table.code).toBe(0)
    const junit = await runCli(
      ['verify', '--upstream', upstream.url, '--agent', 'incident-agent', '--rate', '60000', '--format', 'junit'],
      { TALKOVER_TOKEN: TOKEN },
      CLI,
    )
    expect(junit.code).toBe(0)
    expect(junit.stdout).toContain('<testsuites name="talkover-mock verify" tests="9" failures="0" errors="0">')
    expect(junit.stdout + junit.stderr).not.toContain(TOKEN)
  })

  it('exits 2 when the token is refused', async () => {
    const refused = await runCli(
      ['verify', '--upstream', upstream.url, '--agent', 'incident-agent', '--rate', '60000'],
      { TALKOVER_TOKEN: 'talq_wrong_token_55' },
      CLI,
    )
    expect(refused.code).toBe(2)
    expect(refused.stdout).toMatch(/^Could not check: http:\/\/127\.0\.0\.1:\d+ refused the token \(401\)/)
  })
})

describe('record and verify against an upstream that cannot answer', () => {
  /** A port nothing listens on: bound, then closed. */
  const closedPort = async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    await new Promise((resolve) => server.close(resolve))
    return port
  }
  /** A server that accepts connections and never answers. */
  const silent = async (): Promise<{ url: string; server: Server; sockets: Set<Socket> }> => {
    const sockets = new Set<Socket>()
    const server = createServer(() => {})
    server.on('connection', (socket) => sockets.add(socket))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, sockets }
  }

  it.each(['record', 'verify'])('%s gives up within a few seconds when nothing listens: exit 2, one sentence', async (command) => {
    const url = `http://127.0.0.1:${await closedPort()}`
    const started = Date.now()
    const run = await runCli(
      [command, '--upstream', url, '--agent', 'a', '--out', join(dir, 'never.yaml')].slice(0, command === 'record' ? 7 : 5),
      { TALKOVER_TOKEN: TOKEN },
      CLI,
    )
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(run.code).toBe(2)
    const said = (run.stdout + run.stderr).trim()
    expect(said).toContain(`Failed to reach ${url} (ECONNREFUSED) after 3 tries. Please check --upstream and your network.`)
    expect(said.split('\n')).toHaveLength(1)
    expect(said).not.toContain(TOKEN)
  })

  it.each(['record', 'verify'])('%s abandons requests that get no answer within --timeout: exit 2, naming --timeout', async (command) => {
    const up = await silent()
    try {
      const started = Date.now()
      const run = await runCli([command, '--upstream', up.url, '--agent', 'a', '--timeout', '0.5'], { TALKOVER_TOKEN: TOKEN }, CLI)
      expect(Date.now() - started).toBeLessThan(10_000)
      expect(run.code).toBe(2)
      expect(run.stdout + run.stderr).toContain(
        `${up.url} did not answer GET /api/v1/agents/a/webhooks within 0.5 s, 2 times in a row. Please check --upstream, or raise --timeout.`,
      )
    } finally {
      for (const socket of up.sockets) socket.destroy()
      up.server.close()
    }
  })

  it('verify exits 2 when the webhook it was told to check does not exist', async () => {
    const run = await runCli(
      ['verify', '--upstream', upstream.url, '--agent', 'incident-agent', '--webhook', 'gone', '--rate', '60000'],
      { TALKOVER_TOKEN: TOKEN },
      CLI,
    )
    expect(run.code).toBe(2)
    expect(run.stdout).toMatch(/^Could not check: http:\/\/127\.0\.0\.1:\d+ has no webhook gone of agent incident-agent \(404\)/)
  })
})
