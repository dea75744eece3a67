// `talkover-mock check-receiver` end to end with real processes: the built CLI checks the docs'
// receiver (examples/receiver.mjs, run as a child process) and receivers that each make one
// classic mistake (in this process). Loopback only. Builds into its own folder so it never races
// the other CLI tests over dist/.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, startCli } from '../support/cli.js'
import { parseXml } from '../support/xml.js'
import { sign } from '../../src/delivery/signature.js'
import { CAMPAIGN_EVENT_NAMES, EVENT_NAMES } from '../../src/world/vocab.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const OUT = join(ROOT, '.test-dist-receiver')
const CLI = join(OUT, 'cli.js')
const SECRET = `whsec_${Buffer.from('a receiver-check secret, 32 byte').toString('base64')}`
const KNOWN = new Set(['webhook.test', ...EVENT_NAMES, ...CAMPAIGN_EVENT_NAMES])

const servers: Server[] = []
const children: ChildProcess[] = []
let example: string

beforeAll(async () => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', OUT], { stdio: 'inherit', cwd: ROOT })
  example = await startExample()
}, 120_000)
afterAll(() => {
  for (const s of servers) s.closeAllConnections(), s.close()
  for (const c of children) c.kill()
})

/** The docs' receiver, exactly as the file is: `node examples/receiver.mjs`. */
function startExample(): Promise<string> {
  const child = spawn(process.execPath, [join(ROOT, 'examples/receiver.mjs')], {
    env: { ...process.env, PORT: '0', WEBHOOK_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.push(child)
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString()
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1]
      if (url) resolve(`${url}/webhooks/talkover`)
    })
    child.once('exit', (code) => reject(new Error(`the example receiver exited with ${code}`)))
  })
}

type Handle = (
  headers: IncomingHttpHeaders,
  raw: string,
  method?: string,
) => Promise<{ status: number; location?: string }> | { status: number; location?: string }

/** A receiver on 127.0.0.1 answering each request with `handle`. */
async function receiver(handle: Handle): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const { status, location } = await handle(req.headers, Buffer.concat(chunks).toString('utf8'), req.method)
      res.writeHead(status, location ? { location } : {}).end()
    })
  })
  servers.push(server)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
}

const wh = new Webhook(SECRET)
const flat = (h: IncomingHttpHeaders) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]))
const verifies = (headers: IncomingHttpHeaders, raw: string) => {
  try {
    wh.verify(raw, flat(headers))
    return true
  } catch {
    return false
  }
}
/** An HMAC check written by hand, with the mistakes these receivers make switchable. */
const handMade =
  ({ tolerance, only }: { tolerance?: number; only?: 'first' | 'last' }): Handle =>
  (h, raw) => {
    const [id, ts, sigs] = [h['webhook-id'], h['webhook-timestamp'], h['webhook-signature']]
    if (typeof id !== 'string' || typeof ts !== 'string' || typeof sigs !== 'string') return { status: 400 }
    if (tolerance !== undefined && Math.abs(Date.now() / 1000 - Number(ts)) > tolerance) return { status: 401 }
    const mac = Buffer.from(
      createHmac('sha256', Buffer.from(SECRET.slice(6), 'base64'))
        .update(`${id}.${ts}.${raw}`)
        .digest('base64'),
    )
    const listed = sigs.split(' ').map((s) => Buffer.from(s.slice(3)))
    const ok = (only === 'first' ? listed.slice(0, 1) : only === 'last' ? listed.slice(-1) : listed).some(
      (s) => s.length === mac.length && timingSafeEqual(s, mac),
    )
    return { status: ok ? 200 : 401 }
  }

const MISTAKES: { mistake: string; handle: Handle; failed: string[] }[] = [
  {
    mistake: 're-serialises the JSON before verifying',
    handle: (h, raw) => ({ status: verifies(h, JSON.stringify(JSON.parse(raw))) ? 200 : 401 }),
    failed: ['raw-bytes'],
  },
  { mistake: 'has no timestamp tolerance', handle: handMade({}), failed: ['stale-timestamp', 'future-timestamp'] },
  { mistake: 'tolerates timestamps 15 minutes off', handle: handMade({ tolerance: 900 }), failed: ['stale-timestamp', 'future-timestamp'] },
  { mistake: 'checks only the first signature of a rotated list', handle: handMade({ tolerance: 300, only: 'first' }), failed: ['rotated-signature'] },
  { mistake: 'checks only the last signature of a rotated list', handle: handMade({ tolerance: 300, only: 'last' }), failed: ['rotated-signature'] },
  {
    mistake: 'answers a duplicate with 409',
    handle: (() => {
      const seen = new Set<string>()
      return (h: IncomingHttpHeaders, raw: string) => {
        if (!verifies(h, raw)) return { status: 401 }
        if (seen.has(String(h['webhook-id']))) return { status: 409 }
        seen.add(String(h['webhook-id']))
        return { status: 200 }
      }
    })(),
    failed: ['duplicate'],
  },
  {
    mistake: 'answers an unknown event with 400',
    handle: (h, raw) => ({ status: !verifies(h, raw) ? 401 : KNOWN.has(String(h['webhook-event'])) ? 200 : 400 }),
    failed: ['unknown-event'],
  },
]

const checkJson = async (url: string, more: string[] = []) => {
  const { code, stdout, stderr } = await runCli(['check-receiver', '--url', url, '--secret', SECRET, '--format', 'json', ...more], {}, CLI)
  return { code, stderr, report: JSON.parse(stdout) }
}
const failedIds = (report: { checks: { id: string; verdict: string }[] }) => report.checks.filter((c) => c.verdict === 'fail').map((c) => c.id)

describe('talkover-mock check-receiver', () => {
  it("passes every check of the docs' receiver and exits 0, with a ✓ line per check", async () => {
    const { code, stdout } = await runCli(['check-receiver', '--url', example, '--secret', SECRET], {}, CLI)
    expect(code).toBe(0)
    expect(stdout).toMatch(/^Receiver check of http:\/\/127\.0\.0\.1:\d+\/webhooks\/talkover \(timeout 30 s\): 35 passed, 0 warnings, 0 failed\.\n/)
    const lines = stdout.split('\n').filter((l) => /^[✓✗!] /.test(l))
    expect(lines).toHaveLength(35)
    expect(lines.every((l) => l.startsWith('✓'))).toBe(true)
    expect(stdout).toMatch(/✓ {2}raw-bytes +signed body with odd spacing, key order and escapes +200 \d+ ms +acknowledged/)
    expect(stdout).not.toContain(SECRET)
  })

  it("survives a signed delivery whose unsigned webhook-event is __proto__ or constructor: the docs' receiver looks it up safely", async () => {
    for (const [k, name] of ['__proto__', 'constructor', 'hasOwnProperty'].entries()) {
      const now = Math.floor(Date.now() / 1000)
      const body = '{"call_id":"x"}'
      const id = `msg_proto${k}`
      const headers = {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(now),
        'webhook-signature': sign(SECRET, id, now, body),
        'webhook-event': name,
      }
      const res = await fetch(example, { method: 'POST', headers, body })
      expect(res.status, name).toBe(200)
    }
    const { code } = await runCli(['check-receiver', '--url', example, '--secret', SECRET, '--format', 'json'], {}, CLI)
    expect(code).toBe(0)
  })

  for (const { mistake, handle, failed } of MISTAKES) {
    it(`names ${failed.join(' and ')} and exits 1 against a receiver that ${mistake}`, async () => {
      const { code, report } = await checkJson(await receiver(handle))
      expect(code).toBe(1)
      expect(failedIds(report)).toEqual(failed)
    })
  }

  it('fails the checks a slow receiver times out on, and stops after two timeouts in a row', async () => {
    const url = await receiver(async () => {
      await new Promise((done) => setTimeout(done, 1500))
      return { status: 200 }
    })
    const started = Date.now()
    const { code, report } = await checkJson(url, ['--timeout', '0.5'])
    expect(code).toBe(1)
    expect(Date.now() - started).toBeLessThan(8000)
    expect(report.checks[0]).toMatchObject({
      id: 'event:webhook.test',
      verdict: 'fail',
      note: expect.stringMatching(/^Connection timed out after 0.5 seconds/),
    })
    expect(report.checks[2].note).toBe('not sent: the receiver did not answer the last two requests within 0.5 s.')
    expect(report.failed).toBe(report.checks.length)
  })

  it('reports a redirect as a failure: senders do not follow it', async () => {
    const { code, report } = await checkJson(await receiver(() => ({ status: 308, location: 'https://127.0.0.1/hook' })))
    expect(code).toBe(1)
    expect(report.checks[0]).toMatchObject({ verdict: 'fail', requests: [{ status: 308 }] })
    expect(report.checks[0].note).toMatch(/^answered 308, a redirect: senders do not follow redirects/)
  })

  it('warns, without failing, when a forged request is refused with a 5xx', async () => {
    const { code, report } = await checkJson(await receiver((h, raw) => ({ status: verifies(h, raw) ? 200 : 500 })))
    expect(code).toBe(0)
    expect(report.warnings).toBeGreaterThan(0)
    expect(report.checks.find((c: { id: string }) => c.id === 'tampered-body')).toMatchObject({
      verdict: 'warn',
      note: expect.stringContaining('answer 400 or 401'),
    })
  })

  it('exits 2 with one sentence when the receiver cannot be reached', async () => {
    const url = await receiver(() => ({ status: 200 }))
    const server = servers.pop()!
    await new Promise((done) => server.close(done))
    const { code, stdout } = await runCli(['check-receiver', '--url', url, '--secret', SECRET], {}, CLI)
    expect(code).toBe(2)
    expect(stdout).toBe(`Could not reach ${url}: Connection refused. Start the receiver (or correct the URL) and run the check again.\n`)
  })

  it('sends --method and every --header with each request, and never shows a header value', async () => {
    const url = await receiver((h, raw, method) => ({ status: method === 'PUT' && h['x-api-key'] === 'k-never-shown' && verifies(h, raw) ? 200 : 401 }))
    const { code, stdout } = await runCli(
      ['check-receiver', '--url', url, '--secret', SECRET, '--method', 'put', '--header', 'X-Api-Key: k-never-shown', '--format', 'json'],
      {},
      CLI,
    )
    expect(code).toBe(0)
    expect(stdout).not.toContain('k-never-shown')
    expect(JSON.parse(stdout).checks[0].requests[0]).toMatchObject({ method: 'PUT', headers: { 'x-api-key': '[redacted]' } })
    const bad = await runCli(['check-receiver', '--url', url, '--secret', SECRET, '--header', 'X-Api-Key k-never-shown'], {}, CLI)
    expect(bad.code).toBe(2)
    expect(bad.stderr).not.toContain('k-never-shown')
    const withWebhook = await runCli(['check-receiver', '--webhook', 'a/w', '--method', 'PUT'], {}, CLI)
    expect(withWebhook).toMatchObject({ code: 2, stderr: expect.stringContaining('--method goes with --url') })
  })

  it('is listed in talkover-mock --help, and check-receiver --help prints its flags', async () => {
    expect((await runCli(['--help'], {}, CLI)).stdout).toMatch(/check-receiver +Check a webhook receiver/)
    const help = await runCli(['check-receiver', '--help'], {}, CLI)
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: talkover-mock check-receiver --url <receiver> --secret <whsec_…>/)
  })

  it('exits 2 on bad arguments, naming the fix and never echoing a secret', async () => {
    const foreign = await runCli(['check-receiver', '--url', 'http://hooks.example.com/x', '--secret', SECRET], {}, CLI)
    expect(foreign.code).toBe(2)
    expect(foreign.stderr).toBe(
      'talkover-mock: talkover-mock did not contact hooks.example.com: check-receiver only reaches loopback hosts and the --allow list. To check it, add --allow hooks.example.com.\n',
    )
    const stray = await runCli(['check-receiver', '--url', example, SECRET], {}, CLI)
    expect(stray.code).toBe(2)
    expect(stray.stderr).not.toContain(SECRET.slice(6))
    const ftp = await runCli(['check-receiver', '--url', 'ftp://me:pa55word@127.0.0.1/x', '--secret', SECRET], {}, CLI)
    expect(ftp).toMatchObject({ code: 2, stderr: expect.stringContaining('Invalid --url: use the receiver') })
    const noSecret = await runCli(['check-receiver', '--url', example], { TALKOVER_WEBHOOK_SECRET: '' }, CLI)
    expect(noSecret).toMatchObject({ code: 2, stderr: expect.stringContaining('Missing --secret') })
  })

  it('never echoes a value of the command line in an error: formats, methods, headers, URLs and --from', async () => {
    const leak = 'whsec_SECRETLEAKxxxxxxxxxxxxxxxx'
    const cases = [
      ['--url', example, '--secret', SECRET, '--format', 'PLAINLEAK'],
      ['--url', example, '--secret', SECRET, '--method', 'PLAINLEAK'],
      ['--url', 'PLAINLEAK', '--secret', SECRET],
      ['--url', example, '--secret', SECRET, '--header', 'PLAINLEAK'],
      ['--url', example, '--secret', SECRET, '--timeout', 'PLAINLEAK'],
      ['--url', 'http://u:PLAINLEAK@[bad/h', '--secret', SECRET],
      ['--url', 'ftp://u:PLAINLEAK@127.0.0.1/h', '--secret', SECRET],
      ['--url', example, '--secret', SECRET, `extra-${leak}`],
      ['--webhook', 'dev-agent/local', '--from', 'http://u:PLAINLEAK@127.0.0.1:1'],
      ['--webhook', 'PLAINLEAK'],
      ['--webhook', 'a/b', '--from', 'PLAINLEAK'],
    ]
    for (const args of cases) {
      const { code, stdout, stderr } = await runCli(['check-receiver', ...args], {}, CLI)
      expect(code, args.join(' ')).toBe(2)
      expect(stdout + stderr, args.join(' ')).not.toMatch(/PLAINLEAK|SECRETLEAK/)
    }
  })

  it('refuses a reserved --header name (Host, Content-Length, Transfer-Encoding, webhook-*) with exit 2 and one sentence, as the API does', async () => {
    for (const name of ['Host', 'Content-Length', 'Transfer-Encoding', 'webhook-signature', 'Webhook-Id', 'Webhook-Event']) {
      const { code, stdout, stderr } = await runCli(['check-receiver', '--url', example, '--secret', SECRET, '--header', `${name}: PLAINLEAK`], {}, CLI)
      expect(code, name).toBe(2)
      expect(stdout).toBe('')
      expect(stderr).toBe(
        `talkover-mock: Invalid --header "${name}": the delivery sets it itself (hop-by-hop, framing and webhook-* headers cannot be custom headers); remove it.\n`,
      )
    }
  })

  it("checks a running mock's webhook with --webhook: the secret stays in the mock", async () => {
    const fixture = join(mkdtempSync(join(tmpdir(), 'talkover-check-')), 'receiver.yaml')
    writeFileSync(
      fixture,
      `agents:\n  - id: dev-agent\n    webhooks:\n      - { id: local, webhook_url: '${example}', webhook_secret: '${SECRET}', timeout: 5, total: 0 }\n`,
    )
    const mock = await startCli(['--port', '0', '--deliver', 'live', '--fixtures', fixture], {}, CLI)
    children.push(mock.child)
    const { code, stdout } = await runCli(['check-receiver', '--webhook', 'dev-agent/local', '--from', mock.url], {}, CLI)
    expect(code).toBe(0)
    expect(stdout).toMatch(/^Receiver check of http:\/\/127\.0\.0\.1:\d+\/webhooks\/talkover \(timeout 5 s\): 35 passed, 0 warnings, 0 failed\./)
    expect(stdout + mock.output()).not.toContain(SECRET.slice(6))
    await mock.stop()
    const off = await runCli(['check-receiver', '--webhook', 'dev-agent/local', '--from', mock.url], {}, CLI)
    expect(off).toMatchObject({
      code: 2,
      stderr: `talkover-mock: Failed to reach talkover-mock at ${mock.url} (ECONNREFUSED). Please start it with --deliver live, or pass its address with --from.\n`,
    })
  })

  it('writes valid JUnit XML: one test case per check, a failure for each failed check', async () => {
    const url = await receiver(MISTAKES[0].handle)
    const { code, stdout } = await runCli(['check-receiver', '--url', url, '--secret', SECRET, '--format', 'junit'], {}, CLI)
    expect(code).toBe(1)
    const suites = parseXml(stdout)
    expect(suites.name).toBe('testsuites')
    expect(suites.attributes).toMatchObject({ name: 'talkover-mock check-receiver', tests: '35', failures: '1', errors: '0' })
    const [suite] = suites.children
    expect(suite.name).toBe('testsuite')
    expect(suite.children.map((c) => c.name)).toEqual(Array(35).fill('testcase'))
    const failing = suite.children.filter((c) => c.children.some((x) => x.name === 'failure'))
    expect(failing.map((c) => c.attributes.name)).toEqual(['raw-bytes: verifies the raw bytes, not re-serialised JSON'])
    expect(failing[0].children[0].text).toContain('why: The signature covers the exact bytes sent')
  })
})
