import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { resolveConfig } from '../src/config.js'
import { expectConforms } from './support/contract.js'
import { runCli, startCli } from './support/cli.js'
import { DOCS_LOGS, TOKEN, auth } from './support/http.js'
import { startReceiver } from './support/receiver.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

beforeAll(() => {
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' })
}, 120_000)

describe('config resolution', () => {
  it('prefers flags over env over defaults', () => {
    expect(resolveConfig([], {}).config).toMatchObject({ port: 4010, host: '127.0.0.1', seed: 1, now: 1705320000, quiet: false })
    expect(resolveConfig([], { TALKOVER_MOCK_SEED: '7', PORT: '9000' }).config).toMatchObject({ seed: 7, port: 9000 })
    expect(resolveConfig(['--seed', '8'], { TALKOVER_MOCK_SEED: '7' }).config.seed).toBe(8)
    expect(resolveConfig([], { TALKOVER_MOCK_PORT: '9001', PORT: '9000' }).config.port).toBe(9001)
  })

  it('reads --now wall from the injected clock', () => {
    expect(resolveConfig(['--now', 'wall'], {}, () => 1_700_000_000_999).config.now).toBe(1_700_000_000)
  })

  it.each([
    [['--port', 'abc'], 'Invalid --port "abc": use a port number from 0 to 65535 (0 picks a free port).'],
    [['--seed=-3'], 'Invalid --seed "-3": use a whole number from 0 to 4294967295, like 42.'],
    // A negative number after a flag is its value, not an option: the setting's own sentence names the range.
    [['--seed', '-1'], 'Invalid --seed "-1": use a whole number from 0 to 4294967295, like 42.'],
    [['--port', '-80'], 'Invalid --port "-80": use a port number from 0 to 65535 (0 picks a free port).'],
    [['--error-rate', '-0.5'], 'Invalid --error-rate "-0.5": use a number from 0 to 1, like 0.1.'],
    [['--latency', '-.5'], 'Invalid --latency "-.5": use milliseconds like 250, a range like 50-300 or percentiles like p50=80,p95=250,p99=600.'],
    [['--now', 'yesterday'], 'Invalid --now "yesterday": use an ISO-8601 time with a zone like 2024-01-15T12:00:00Z, or "wall" for the time at start.'],
    [['--token', 'abc'], 'Invalid --token: use a token that starts with talq_, like talq_local_dev (the value is not shown: it may be a secret).'],
    [['--cache-mb', '0'], 'Invalid --cache-mb "0": use megabytes from 1 to 1024, like 8.'],
    [['--cache-mb', '1.5'], 'Invalid --cache-mb "1.5": use megabytes from 1 to 1024, like 8.'],
  ])('rejects %j with one sentence', (argv, message) => {
    expect(() => resolveConfig(argv, {})).toThrow(message)
  })

  it('names the env variable when the bad value came from it', () => {
    expect(() => resolveConfig([], { TALKOVER_MOCK_SEED: 'x' })).toThrow('Invalid TALKOVER_MOCK_SEED "x"')
  })
})

describe('the talkover-mock binary', () => {
  it('serves the docs request on a real port and exits 0 on SIGTERM', async () => {
    const cli = await startCli(['--port', '0', '--seed', '42'])
    expect(cli.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${cli.url}/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=50`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    })
    expect(res.status).toBe(200)
    expect((await expectConforms(res, 'listWebhookLogs')).pagination.per_page).toBe(50)
    expect(await cli.stop('SIGTERM')).toBe(0)
    expect(cli.output()).toContain('(seed 42)')
    expect(cli.output()).toMatch(/GET \/api\/v1\/agents\/agent-uuid\/webhooks\/webhook-uuid\/logs\?per_page=50 200 /)
  })

  it('exits 2 with one sentence on a bad flag', async () => {
    const { code, stderr } = await runCli(['--latencyy', '5'])
    expect(code).toBe(2)
    expect(stderr.trim()).toMatch(/^talkover-mock: Unknown option '--latencyy'.*Run talkover-mock --help for the accepted flags\.$/)
  })

  it('exits 2 with one sentence, never the password, when --state names a URL it cannot take or a store that does not answer', async () => {
    const scheme = await runCli(['--state', 'http://:hunter2@127.0.0.1:6379'])
    expect(scheme.code).toBe(2)
    expect(scheme.stderr.trim()).toMatch(
      /^talkover-mock: Invalid --state: the scheme must be redis: or rediss:, not http:; use memory, or a Valkey\/Redis URL like redis:\/\/127\.0\.0\.1:6379/,
    )
    const db = await runCli([], { TALKOVER_MOCK_STATE: 'redis://127.0.0.1:6379/99' })
    expect(db.stderr).toMatch(/Invalid TALKOVER_MOCK_STATE: the database, after the host, must be a number from 0 to 15/)
    const away = await runCli(['--state', 'redis://:hunter2@127.0.0.1:1/0', '--port', '0'])
    expect(away.code).toBe(2)
    expect(away.stderr.trim().split('\n')).toHaveLength(1)
    expect(away.stderr).toMatch(/^talkover-mock: The state store redis:\/\/127\.0\.0\.1:1\/0 cannot be reached \(.+\): start it, or point --state/)
    for (const run of [scheme, db, away]) expect(run.stderr).not.toContain('hunter2')
  })

  it('exits 2 naming the accepted range for a negative number, not Node\'s "ambiguous argument"', async () => {
    const { code, stderr } = await runCli(['--seed', '-1'])
    expect(code).toBe(2)
    expect(stderr.trim()).toBe('talkover-mock: Invalid --seed "-1": use a whole number from 0 to 4294967295, like 42.')
  })

  it('exits 2 with one sentence on a bad --cache-mb, from the flag or its env twin', async () => {
    const flag = await runCli(['--cache-mb', 'lots'])
    expect(flag.code).toBe(2)
    expect(flag.stderr.trim()).toBe('talkover-mock: Invalid --cache-mb "lots": use megabytes from 1 to 1024, like 8.')
    expect(resolveConfig([], { TALKOVER_MOCK_CACHE_MB: '4' }).config.cacheMb).toBe(4)
    expect(resolveConfig([], {}).config.cacheMb).toBe(8)
    expect(() => resolveConfig([], { TALKOVER_MOCK_CACHE_MB: '2048' })).toThrow('Invalid TALKOVER_MOCK_CACHE_MB "2048": use megabytes from 1 to 1024, like 8.')
  })

  it('prints help and version', async () => {
    expect((await runCli(['--help'])).stdout).toContain('--seed <value>')
    expect((await runCli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })
})

// Fault flags end to end (issue 5); kept here to share this file's single build of dist/.
describe('the binary with fault flags', () => {
  it('fails every second request, logs it, and guards the admin API with the token from env', async () => {
    const cli = await startCli(['--port', '0', '--fail-every', '2', '--error-status', '503'], { TALKOVER_MOCK_ADMIN_TOKEN: 'adm1n' })
    try {
      const codes = []
      for (let i = 0; i < 4; i++) codes.push((await fetch(`${cli.url}${DOCS_LOGS}`, { headers: auth() })).status)
      expect(codes).toEqual([200, 503, 200, 503])
      expect((await fetch(`${cli.url}/__mock/requests`)).status).toBe(401)
      const journal = await (await fetch(`${cli.url}/__mock/requests`, { headers: { Authorization: 'Bearer adm1n' } })).json()
      expect(journal.data.map((e: { status: number }) => e.status)).toEqual([503, 200, 503, 200])
      // The CLI's journal carries the wall clock.
      expect(Math.abs(Date.parse(journal.data[0].time) - Date.now())).toBeLessThan(60_000)
    } finally {
      expect(await cli.stop('SIGTERM')).toBe(0)
    }
    expect(cli.output()).toMatch(/GET \/api\/v1\/agents\/agent-uuid\/webhooks\/webhook-uuid\/logs 503 \d+\.\dms fault=503 via=fail_every\n/)
  })
})

// Live delivery end to end (issue 16): the binary sends, `trigger` asks it to, SIGTERM cancels.
describe('the binary with --deliver live', () => {
  /** A fixture declaring webhook `local` of agent `dev-agent`, pointing at `url`. */
  function fixtureFor(url: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'talkover-deliver-'))
    const file = join(dir, 'receiver.yaml')
    writeFileSync(
      file,
      `agents:\n  - id: dev-agent\n    webhooks:\n      - { id: local, webhook_url: "${url}", webhook_secret: whsec_dGVzdA==, total: 0, max_retries: 2, events: [event_phone_call_ended] }\n`,
    )
    return file
  }

  it('delivers what `talkover-mock trigger` asks for, logs the attempt, and lists it', async () => {
    const receiver = await startReceiver()
    const cli = await startCli(['--port', '0', '--deliver', 'live', '--fixtures', fixtureFor(receiver.url)])
    try {
      const { code, stdout, stderr } = await runCli(['trigger', 'event_phone_call_ended', '--webhook', 'dev-agent/local', '--url', cli.url])
      expect(stderr).toBe('')
      expect(code).toBe(0)
      expect(stdout).toMatch(/^Delivery queued: event_phone_call_ended to webhook local \(first attempt /)
      const [got] = await receiver.waitFor(1)
      expect(got.headers['webhook-signature']).toMatch(/^v1,/)
      let rows: any[] = []
      for (let i = 0; i < 100 && rows[0]?.status !== 'success'; i++) {
        rows = (await (await fetch(`${cli.url}/api/v1/agents/dev-agent/webhooks/local/logs`, { headers: auth() })).json()).data
        await new Promise((done) => setTimeout(done, 20))
      }
      expect(rows).toMatchObject([{ attempt: 1, status: 'success', http_status: 200 }])
    } finally {
      expect(await cli.stop('SIGTERM')).toBe(0)
      await receiver.close()
    }
    expect(cli.output()).toMatch(/deliver POST http:\/\/127\.0\.0\.1:\d+\/hook 200 \d+\.\dms attempt=1 success\n/)
  })

  it('exits 0 at once on SIGTERM while a retry waits, and sends nothing more', async () => {
    const receiver = await startReceiver([{ status: 500 }])
    const cli = await startCli(['--port', '0', '--deliver', 'live', '--deliver-backoff', '600', '--fixtures', fixtureFor(receiver.url)])
    try {
      const res = await fetch(`${cli.url}/__mock/deliveries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ agent_id: 'dev-agent', webhook_id: 'local' }),
      })
      expect(res.status).toBe(202)
      await receiver.waitFor(1)
      let state = ''
      for (let i = 0; i < 100 && state !== 'waiting'; i++) {
        state = (await (await fetch(`${cli.url}/__mock/deliveries`)).json()).data[0]?.state
        await new Promise((done) => setTimeout(done, 20))
      }
      expect(state).toBe('waiting')
      const started = performance.now()
      expect(await cli.stop('SIGTERM')).toBe(0)
      expect(performance.now() - started).toBeLessThan(2000)
      expect(receiver.received).toHaveLength(1)
    } finally {
      await receiver.close()
    }
  })

  it('exits 2 naming a bad --deliver-allow, and trigger exits 2 on a bad --webhook', async () => {
    const bad = await runCli(['--deliver', 'live', '--deliver-allow', 'http://x'])
    expect(bad.code).toBe(2)
    expect(bad.stderr.trim()).toBe(
      'talkover-mock: Invalid --deliver-allow "http://x": "http://x" is not a host or host:port; use host or host:port names separated by commas, like receiver:3000,hooks.internal.',
    )
    const trig = await runCli(['trigger', 'e', '--webhook', 'nope'])
    expect(trig.code).toBe(2)
    expect(trig.stderr.trim()).toBe('talkover-mock: Invalid --webhook "nope": use <agent_id>/<webhook_id>, like agent-uuid/webhook-uuid.')
  })
})

// The build step (issue 14); kept here to share this file's single build of dist/.
describe('the build step', () => {
  const PREBUILT = fileURLToPath(new URL('../dist/prebuilt/', import.meta.url))
  /** A fixed clock: a created webhook's timestamps move with it. */
  const CLOCK = 1_705_320_000_000
  /** Requests whose answers come from the validators: valid, and invalid in path, query, body and control headers. */
  const REQUESTS: [string, string, unknown?, Record<string, string>?][] = [
    ['GET', `${DOCS_LOGS}?per_page=50`],
    ['GET', `${DOCS_LOGS}?per_page=0&page=abc&status=nope`],
    ['GET', `${DOCS_LOGS}?per_page=1e3`],
    ['GET', DOCS_LOGS, undefined, { 'X-Mock-Status': 'abc' }],
    ['GET', DOCS_LOGS, undefined, { 'X-Mock-Status': '503', 'X-Mock-Error-Rate': '2' }],
    ['POST', '/api/v1/agents/agent-uuid/webhooks', { name: 'x', webhook_url: 'not a url', events: [] }],
    ['POST', '/api/v1/agents/agent-uuid/webhooks', { name: 'Orders', webhook_url: 'https://example.com/hook', events: ['event_conversation_ended'] }],
    ['PUT', '/api/v1/agents/agent-uuid/webhooks/webhook-uuid', { timeout: 500, max_retries: 'x' }],
    ['DELETE', DOCS_LOGS],
    // Last: the admin PATCH compiles its one schema with Ajv on first use.
    ['PATCH', '/__mock/config', { error_rate: 7 }],
  ]
  /** Runs REQUESTS against createApp in a fresh node process; returns the answers and which parsers it loaded before the admin request. */
  const probe = (appModule: string, options: object = {}) => {
    const script = `
      import { createRequire } from 'node:module'
      const { createApp } = await import(${JSON.stringify(appModule)})
      const app = createApp({ ...${JSON.stringify(options)}, faults: { clock: () => ${CLOCK} } })
      const answers = []
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((f) => /node_modules\\/(ajv\\/dist\\/(2020|core)\\.js|yaml\\/)/.test(f)).map((f) => f.replace(/.*node_modules\\//, ''))
      let beforeAdmin
      for (const [method, url, body, headers] of ${JSON.stringify(REQUESTS)}) {
        if (url.startsWith('/__mock/')) beforeAdmin ??= loaded()
        const init = { method, headers: { Authorization: 'Bearer ${TOKEN}', 'content-type': 'application/json', ...headers } }
        if (body != null) init.body = JSON.stringify(body)
        const res = await app.request(url, init)
        answers.push([res.status, await res.text()])
      }
      console.log(JSON.stringify({ answers, loaded: beforeAdmin }))`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
    return JSON.parse(out) as { answers: [number, string][]; loaded: string[] }
  }
  const SRC_ANSWERS = async () => {
    const { createApp } = await import('../src/app.js')
    const app = createApp({ faults: { clock: () => CLOCK } })
    const answers: [number, string][] = []
    for (const [method, url, body, headers] of REQUESTS) {
      const init: RequestInit = { method, headers: { ...auth(), 'content-type': 'application/json', ...headers } }
      if (body !== undefined) init.body = JSON.stringify(body)
      const res = await app.request(url, init)
      answers.push([res.status, await res.text()])
    }
    return answers
  }

  it('writes the packaged spec as JSON keyed by the YAML hash, and validators as standalone code', async () => {
    const { loadSpec } = await import('../src/http/spec.js')
    const spec = loadSpec()
    const built = JSON.parse(readFileSync(join(PREBUILT, 'spec.json'), 'utf8'))
    expect(built).toEqual({ hash: spec.hash, json: spec.json })
    expect(readFileSync(join(PREBUILT, 'validators.cjs'), 'utf8')).toContain(`exports.specHash = "${spec.hash}"`)
  })

  it('answers exactly as the source does, without loading Ajv or the YAML parser', async () => {
    const built = probe(join(PREBUILT, '../app.js'))
    expect(built.loaded).toEqual([])
    const expected = await SRC_ANSWERS()
    expect(expected.map(([status]) => status)).toEqual([200, 422, 422, 400, 400, 422, 201, 422, 405, 400])
    expect(built.answers).toEqual(expected)
  })

  it('loads no validator code to start, and only the validators of the operation a request asks for', () => {
    const script = `
      import { createRequire } from 'node:module'
      const { createApp } = await import(${JSON.stringify(join(PREBUILT, '../app.js'))})
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes('/prebuilt/validators/')).map((f) => f.replace(/.*\\//, '')).sort()
      const app = createApp()
      const atStart = loaded()
      const res = await app.request('${DOCS_LOGS}?per_page=0', { headers: { Authorization: 'Bearer ${TOKEN}' } })
      console.log(JSON.stringify({ atStart, status: res.status, afterDocs: loaded() }))`
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }))
    expect(out).toEqual({ atStart: [], status: 422, afterDocs: ['listWebhookLogs.header.cjs', 'listWebhookLogs.path.cjs', 'listWebhookLogs.query.cjs'] })
  })

  it('still parses and compiles a spec of your own, with the same answers for the same document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'talkover-spec-'))
    try {
      const spec = join(dir, 'openapi.yaml')
      writeFileSync(spec, `${readFileSync(fileURLToPath(new URL('../openapi.yaml', import.meta.url)), 'utf8')}\n# a user's copy\n`)
      const own = probe(join(PREBUILT, '../app.js'), { spec })
      expect(own.loaded).toEqual(expect.arrayContaining(['ajv/dist/2020.js', expect.stringMatching(/^yaml\//)]))
      expect(own.answers).toEqual(await SRC_ANSWERS())
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

// `npm start &` then `kill $!`, as scripts and CI do: $! is npm's pid, and the server must go with
// it (npm 10+ forwards SIGTERM to its child, which must be node itself, not a shell around it).
describe('npm start', () => {
  it('stops the server when the npm process is killed, freeing the port', async () => {
    const npm = spawn('npm', ['start', '--', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    npm.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    npm.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
    const url = await new Promise<string>((resolve, reject) => {
      npm.stdout.on('data', () => {
        const match = out.match(/listening on (http:\/\/\S+)/)
        if (match) resolve(match[1])
      })
      npm.once('exit', () => reject(new Error(`npm start exited before listening:\n${out}`)))
    })
    const port = Number(new URL(url).port)
    expect((await fetch(`${url}/__mock/health`)).status).toBe(200)
    // npm start runs the bin, which is the server itself: one node process, no re-launch (docs/performance.md#memory).
    if (existsSync('/proc')) {
      const server = childOf(npm.pid!)
      expect(argsOf(server).slice(1, 2)).toEqual(['dist/bin.js'])
      expect(childrenOf(server)).toEqual([])
    }
    // The pipe closes once every process holding it (npm and the server under it) has exited.
    const allGone = new Promise((resolve) => npm.stdout.once('close', resolve))
    npm.kill('SIGTERM')
    await allGone
    expect(out).toContain('talkover-mock received SIGTERM, finishing in-flight requests')
    expect(await portIsFree(port)).toBe(true)
  })
})

/** The one child process of `pid` (Linux /proc). */
function childOf(pid: number): number {
  const children = childrenOf(pid)
  expect(children).toHaveLength(1)
  return children[0]
}

/** The child processes of `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  // A process may end between listing /proc and reading its stat.
  const parentOf = (name: string) => {
    try {
      return readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]
    } catch {
      return undefined
    }
  }
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && parentOf(name) === String(pid))
    .map(Number)
}

/** The command line of a running process (Linux /proc). */
function argsOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
}

// The bin (issue 28): one bundled file for serving, lazy chunks for the rest, a small heap by default.
describe('the bundled bin', () => {
  const DIST = join(ROOT, 'dist')
  /** The files of dist/ a module imports statically, by its import statements. */
  const staticImports = (file: string) => [...readFileSync(join(DIST, file), 'utf8').matchAll(/^import (?:[^'"]*? from )?["']([^"']+)["']/gm)].map((m) => m[1])

  it('serves from dist/cli.js and chunks of it that import only node built-ins, with record, verify, trigger, check-receiver and the dashboard loaded later', () => {
    const loaded = new Set<string>()
    const visit = (file: string) => {
      if (loaded.has(file)) return
      loaded.add(file)
      for (const spec of staticImports(file)) {
        if (spec.startsWith('node:')) continue
        expect(spec).toMatch(/^\.\/cli-[\w-]+\.js$/)
        visit(spec.slice(2))
      }
    }
    visit('cli.js')
    const code = [...loaded].map((file) => readFileSync(join(DIST, file), 'utf8')).join('\n')
    expect(code).toContain('function createAppFrom(')
    for (const lazy of ['runRecord', 'runVerify', 'trigger', 'checkReceiver', 'uiPage']) expect(code).not.toContain(`function ${lazy}(`)
    // Source maps with the sources inside: the package ships no src/.
    const map = JSON.parse(readFileSync(join(DIST, 'cli.js.map'), 'utf8')) as { sources: string[]; sourcesContent: string[] }
    expect(map.sources).toContain('../src/app.ts')
    expect(map.sourcesContent.every((text) => text.length > 0)).toBe(true)
  })

  // Issue 28: the #! line is the plain one npm's Windows shims and BusyBox's env parse; the bin
  // sets V8 flags that act at run time in its own process instead of re-launching node.
  const BIN = join(DIST, 'bin.js')
  it('starts with the plain #!/usr/bin/env node line', () => {
    expect(readFileSync(BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node')
  })

  it.runIf(existsSync('/proc'))('serves in its own process, with no second node start', async () => {
    const started = await startCli(['--port', '0', '--quiet'], heapProbe(), BIN, 'bin')
    try {
      expect(childrenOf(started.child.pid!)).toEqual([])
      expect(probed(started.output())).toHaveLength(1)
      expect((await fetch(`${started.url}${DOCS_LOGS}?per_page=50`, { headers: auth() })).status).toBe(200)
    } finally {
      await started.stop()
    }
  })

  it("keeps the server's young generation at 2 MiB under load (node's own sizing grows it to 32 MiB), whatever old space NODE_OPTIONS gives", async () => {
    const small = await youngGeneration(heapProbe('--max-old-space-size=512'))
    const own = await youngGeneration({ ...heapProbe(), TALKOVER_MOCK_NODE_HEAP: 'node' })
    expect(small.newSpace).toBeLessThanOrEqual(2 * MIB)
    expect(small.limitMb).toBeGreaterThanOrEqual(512)
    expect(own.newSpace).toBeGreaterThan(4 * MIB)
  }, 60_000)

  it('leaves the young generation to NODE_OPTIONS naming --max-semi-space-size', async () => {
    const chosen = await youngGeneration(heapProbe('--max-semi-space-size=8'))
    expect(chosen.newSpace).toBeGreaterThan(4 * MIB)
  }, 60_000)

  it.runIf(existsSync('/proc'))('ends the server and exits 0 on SIGTERM to the bin', async () => {
    const cli = await startCli(['--port', '0'], { NODE_OPTIONS: '' }, BIN, 'bin')
    const port = Number(new URL(cli.url).port)
    expect(await cli.stop('SIGTERM')).toBe(0)
    expect(cli.output()).toContain('talkover-mock received SIGTERM')
    expect(await portIsFree(port)).toBe(true)
  })

  // Seen in the full suite: the listening line came before the signal handlers (17 of 30 such starts ended by the signal).
  it('exits 0 on a SIGTERM sent the moment it prints its listening line', async () => {
    const codes: (number | null)[] = []
    for (let i = 0; i < 8; i++) {
      const child = spawn(BIN, ['--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'ignore'] })
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('listening on')) child.kill('SIGTERM')
      })
      codes.push(await new Promise((resolve) => child.once('exit', (code) => resolve(code))))
    }
    expect(codes).toEqual(Array(8).fill(0))
  }, 60_000)

  it("runs record --help and --version in its own process, with node's own heap", async () => {
    for (const args of [['record', '--help'], ['--version']]) {
      const { code, stderr } = await runBin(BIN, args, heapProbe())
      expect(code).toBe(0)
      const [only, ...more] = probed(stderr)
      expect(more).toEqual([])
      expect(only.mb).toBeGreaterThan(256)
    }
  })

  /** The server's new space after 400 new 100-row pages (10 at a time), as the probe reports it at exit, and its heap limit. */
  async function youngGeneration(env: Record<string, string>): Promise<{ newSpace: number; limitMb: number }> {
    const cli = await startCli(['--port', '0', '--quiet'], env, BIN, 'bin')
    let next = 0
    const client = async () => {
      while (next < 400) {
        const res = await fetch(`${cli.url}/api/v1/agents/agent-young/webhooks/wh-${next++}/logs?per_page=100`, { headers: auth() })
        await res.arrayBuffer()
      }
    }
    await Promise.all(Array.from({ length: 10 }, client))
    expect(await cli.stop('SIGTERM')).toBe(0)
    const newSpace = Number(/^new-space (\d+)$/m.exec(cli.output())?.[1])
    return { newSpace, limitMb: probed(cli.output())[0].mb }
  }

  it('refuses at start, with exit 2 and one sentence, budgets that a heap chosen elsewhere cannot hold', async () => {
    const { code, stderr } = await runCli(['--port', '0', '--state-budget-mb', '512'], { NODE_OPTIONS: '--max-semi-space-size=2 --max-old-space-size=128' })
    expect(code).toBe(2)
    expect(stderr.trim()).toBe(
      'talkover-mock: --state-budget-mb 512 and --cache-mb 8 need a heap of 576 MB, but node has 134 MB: start it with --max-old-space-size=576 (in NODE_OPTIONS), or lower the budgets.',
    )
  })
})

/** Runs the bin as a shell does, to completion. */
function runBin(bin: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })))
}

const MIB = 1024 * 1024

/**
 * NODE_OPTIONS (with `more` node flags) preloading, into every node the bin starts, a line with its
 * V8 heap limit, and at exit one with the size of its new space (the young generation).
 */
function heapProbe(more = ''): Record<string, string> {
  const probe = join(mkdtempSync(join(tmpdir(), 'talkover-bin-')), 'probe.cjs')
  writeFileSync(
    probe,
    [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the preloaded script's template, not this file's.
      "const v8 = require('v8'); process.stderr.write(`heap-probe ${Math.floor(v8.getHeapStatistics().heap_size_limit / 1048576)}\\n`)",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the same.
      "process.on('exit', () => process.stderr.write(`new-space ${v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size}\\n`))",
    ].join('\n'),
  )
  return { NODE_OPTIONS: `--require ${probe} ${more}`.trim() }
}

/** The probe's heap-limit lines in a process's output, in order. */
function probed(output: string): { mb: number }[] {
  return [...output.matchAll(/^heap-probe (\d+)$/gm)].map((m) => ({ mb: Number(m[1]) }))
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}
