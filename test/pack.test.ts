// The package as a user gets it: `npm pack` a clean copy of the repo, install the tarball into an
// empty folder, then import it, serve the docs URL, typecheck against its .d.ts and run its bin.
// Needs the npm registry (or npm's cache) for the runtime dependencies.
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, posix, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }

/** What a user writes: typechecked against the package's .d.ts, compiled, then run. */
const CONSUMER_TS = `
import { fileURLToPath } from 'node:url'
import { createApp, startServer, type AppOptions, type RunningServer } from 'talkover-mock'

const DOCS = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=50'
const init = { headers: { Authorization: 'Bearer talq_your_environment_token_here' } }
const options: AppOptions = { seed: 42 }

async function summary(res: Response) {
  const body = (await res.json()) as { data: { id: string }[]; pagination: { per_page: number; total: number } }
  const { per_page: perPage, total } = body.pagination
  return { status: res.status, perPage, total, first: body.data[0].id, seed: res.headers.get('x-mock-seed') }
}

const inProcess = await summary(await createApp(options).request(DOCS, init))
const server: RunningServer = await startServer(options)
const overHttp = await summary(await fetch(server.url + DOCS, init))
await server.close({ graceMs: 500 })
const specFile = fileURLToPath(import.meta.resolve('talkover-mock/openapi.yaml'))
console.log(JSON.stringify({ inProcess, overHttp, url: server.url, specFile }))
`

/** The acceptance: a vitest file a user writes with only the docs, typechecked with tsc --strict. */
const CONSUMER_VITEST = `
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { talkoverClient, type WebhookLog } from 'talkover-mock'
import { MockAssertionError, useTalkoverMock } from 'talkover-mock/testing'

const mock = useTalkoverMock({ seed: 42, hooks: { beforeAll, afterAll, beforeEach } })
const LOGS = '/api/v1/agents/{agent_id}/webhooks/{webhook_id}/logs'
const params = { path: { agent_id: 'agent-uuid', webhook_id: 'webhook-uuid' }, query: { per_page: 5 } }

it('scripts two 503s, moves the clock and verifies what was sent', async () => {
  await mock.client.failNext(2, 503)
  const talkover = talkoverClient(mock.url, { token: 'talq_consumer', headers: { 'X-Mock-Session': mock.session } })
  const statuses: number[] = []
  let first: WebhookLog | undefined
  for (let i = 0; i < 3; i++) {
    const { data, response } = await talkover.GET(LOGS, { params })
    statuses.push(response.status)
    if (data) first = data.data[0]
  }
  expect(statuses).toEqual([503, 503, 200])
  const attempt: number = first!.attempt
  expect(attempt).toBeGreaterThan(0)
  expect((await mock.client.clock.advance('1h')).now).toBe('2024-01-15T13:00:00Z')
  await mock.client.requests.expectCount({ method: 'GET', path: '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs' }, 3)
  const failure = await mock.client.requests.expectCount({ method: 'POST' }, 1).catch((e: unknown) => e)
  expect(failure).toBeInstanceOf(MockAssertionError)
  expect((failure as Error).message).toContain('method: wanted POST, was GET')
  expect((failure as Error).message).toMatch(/#\\d+ GET \\/api\\/v1\\/agents\\/agent-uuid\\/webhooks\\/webhook-uuid\\/logs\\?per_page=5 → 200/)
})

it('starts the next test in a session of its own', async () => {
  expect(await mock.client.requests.count()).toBe(0)
  expect((await mock.client.clock.get()).now).toBe('2024-01-15T12:00:00Z')
})

for (const name of ['left', 'right']) {
  it.concurrent(\`runs the \${name} concurrent test in a session of its own\`, async (context) => {
    const { client, fetch, session } = mock.for(context)
    await client.failNext(1, { status: 502 }, { timeout: 2000 })
    const res = await fetch('/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs', { headers: { Authorization: 'Bearer talq_consumer' } })
    expect(res.status).toBe(502)
    await client.requests.expectCount({ session }, 1)
  })
}
`

/** MSW intercepting https://app.talkover.ai with plain fetch, answered by the packed mock. */
const CONSUMER_MSW = `
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createApp } from 'talkover-mock'
import { talkoverHandlers } from 'talkover-mock/msw'
import { mockClient } from 'talkover-mock/testing'

const app = createApp({ seed: 42 })
const server = setupServer(...talkoverHandlers({ app, session: () => 'msw' }))
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

it('answers https://app.talkover.ai from the mock', async () => {
  const res = await fetch('https://app.talkover.ai/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=2', {
    headers: { Authorization: 'Bearer talq_msw' },
  })
  expect(res.status).toBe(200)
  expect((await res.json()).data).toHaveLength(2)
  await mockClient(app, { session: 'msw' }).requests.expectCount({ method: 'GET' }, 1)
})
`

/**
 * A fresh strict project's tsconfig: no `types` (TypeScript 6 and later default to none; written
 * out here for 5.x), no typeRoots, checking the libraries' .d.ts too. Node's types come only
 * from what the package itself references.
 */
const tsconfig = (files: string[], noEmit = false) =>
  JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, skipLibCheck: false, noEmit, types: [] },
    files,
  })

/** The relative links of a markdown file: `[text](target)`, without anchors, as paths from the package root. */
const relativeLinks = (markdown: string, from: string) =>
  [...markdown.matchAll(/\]\((?!https?:|mailto:|#)([^)#\s]+)/g)].map((m) => posix.normalize(posix.join(posix.dirname(from), m[1])).replace(/\/$/, ''))

let work: string
let consumer: string
let packed: { filename: string; files: { path: string }[] }
let install: { stdout: string; stderr: string }

// A whole tsc run on a consumer: seconds on an idle machine, tens of seconds on a busy 2-core one.
const TSC_TIMEOUT = 150_000

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'talkover-mock-pack-'))
  // Pack from a copy without dist/ so the tarball is built by `npm pack` itself (prepack + prepare),
  // never from a stale dist/, and so this test never rewrites the dist/ other tests run.
  const source = join(work, 'source')
  cpSync(ROOT, source, {
    recursive: true,
    filter: (path) => !/^(node_modules|dist|\.git|coverage|bench)(\/|$)|\.tgz$/.test(relative(ROOT, path)),
  })
  symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir')
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: source })
  packed = JSON.parse(stdout.slice(stdout.indexOf('[')))[0]

  consumer = join(work, 'consumer')
  mkdirSync(consumer)
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  writeFileSync(join(consumer, 'consumer.ts'), CONSUMER_TS)
  writeFileSync(join(consumer, 'tsconfig.json'), tsconfig(['consumer.ts']))
  install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, packed.filename)], { cwd: consumer })
}, 180_000)

// Removing the copy, the tarball and the consumer's install takes seconds on a busy 2-core machine.
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
}, 60_000)

describe('the npm package', () => {
  it('ships only dist, openapi.yaml, the default fixtures and the package docs', () => {
    const paths = packed.files.map((f) => f.path)
    const fixtures = readdirSync(join(ROOT, 'fixtures/default')).map((name) => `fixtures/default/${name}`)
    expect(fixtures.length).toBeGreaterThan(0)
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'openapi.yaml', 'dist/index.js', 'dist/index.d.ts', 'dist/cli.js', ...fixtures]))
    // What the build step prepared, so a start-up neither parses YAML nor compiles validators.
    const prebuilt = ['spec.json', 'validators.cjs', 'fixture-validator.cjs', 'fixtures.json'].map((name) => `dist/prebuilt/${name}`)
    expect(paths).toEqual(expect.arrayContaining(prebuilt))
    const unexpected = paths.filter((p) => !/^(dist\/|fixtures\/default\/|docs\/|examples\/|openapi\.yaml$|package\.json$|README\.md$|LICENSE$)/.test(p))
    expect(unexpected).toEqual([])
    expect(paths.some((p) => p.endsWith('.test.js') || p.endsWith('.test.d.ts'))).toBe(false)
  })

  it('resolves every relative link of the packed README and docs to a packed file (or a folder of packed files)', () => {
    const paths = new Set(packed.files.map((f) => f.path))
    const installed = join(consumer, 'node_modules/talkover-mock')
    const pages = ['README.md', ...[...paths].filter((p) => p.startsWith('docs/') && p.endsWith('.md'))]
    const links = pages.flatMap((page) => relativeLinks(readFileSync(join(installed, page), 'utf8'), page).map((link) => ({ page, link })))
    expect(links.length).toBeGreaterThan(100)
    const dead = links.filter(({ link }) => !paths.has(link) && ![...paths].some((p) => p.startsWith(`${link}/`)))
    expect(dead).toEqual([])
    // What is not shipped (the Dockerfile, deploy/, scripts/, .ci/run) is linked in the repository.
    const docker = readFileSync(join(installed, 'docs/docker.md'), 'utf8')
    expect(docker).toContain('(https://github.com/talkover/talkover-mock/blob/main/Dockerfile)')
    // and the clone's own docs are back as they were after npm pack.
    expect(readFileSync(join(work, 'source/docs/docker.md'), 'utf8')).toBe(readFileSync(join(ROOT, 'docs/docker.md'), 'utf8'))
  })

  it('names its repository, homepage and issue tracker, and ships an examples/tsconfig.json that extends nothing unshipped', () => {
    const installed = join(consumer, 'node_modules/talkover-mock')
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'))
    expect(manifest.repository).toEqual({ type: 'git', url: 'git+https://github.com/talkover/talkover-mock.git' })
    expect(manifest.homepage).toBe('https://github.com/talkover/talkover-mock#readme')
    expect(manifest.bugs).toEqual({ url: 'https://github.com/talkover/talkover-mock/issues' })
    const examples = readFileSync(join(installed, 'examples/tsconfig.json'), 'utf8')
    expect(examples).not.toMatch(/"extends"/)
  })

  // The bin is dist/bin.js since the review of issue 28 (it picks the heap, then runs dist/cli.js).
  it("packs the bin dist/bin.js executable and leaves the clone's dist/bin.js executable after npm pack", () => {
    const bin = packed.files.find((f) => f.path === 'dist/bin.js') as { mode: number }
    expect(bin.mode & 0o111).not.toBe(0)
    expect(statSync(join(work, 'source/dist/bin.js')).mode & 0o111).not.toBe(0)
  })

  it("ships the MIT LICENSE its package.json names, and a manifest without the clone's build scripts", () => {
    const installed = join(consumer, 'node_modules/talkover-mock')
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { license: string; scripts?: Record<string, string> }
    expect(manifest.license).toBe('MIT')
    expect(packed.files.map((f) => f.path)).toContain('LICENSE')
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/)
    // prepare/prestart in the packed manifest made npm warn about install scripts on every install.
    for (const name of ['prepare', 'prestart', 'prepack', 'postpack', 'preinstall', 'install', 'postinstall', 'build', 'docs:screenshots', 'types:spec'])
      expect(manifest.scripts ?? {}).not.toHaveProperty(name)
    expect(install.stderr).not.toMatch(/install-scripts|talkover-mock@/)
    // The clone's own manifest is back as it was.
    expect(readFileSync(join(work, 'source/package.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  })

  it(
    'typechecks, compiles and runs a TypeScript consumer that serves the docs URL both ways',
    async () => {
      await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: consumer })
      const { stdout } = await run(process.execPath, ['consumer.js'], { cwd: consumer })
      const result = JSON.parse(stdout)
      // The docs example comes from the packaged default fixtures: 247 rows, log-uuid-1 first.
      expect(result.inProcess).toMatchObject({ status: 200, perPage: 50, total: 247, first: 'log-uuid-1', seed: '42' })
      expect(result.overHttp).toEqual(result.inProcess)
      expect(result.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(result.specFile).toBe(join(consumer, 'node_modules/talkover-mock/openapi.yaml'))
    },
    TSC_TIMEOUT,
  )

  it(
    'typechecks with tsc --strict in a fresh project that lists no types (TypeScript 6 and later default), every entry point imported',
    async () => {
      const fresh = join(work, 'fresh')
      mkdirSync(fresh)
      writeFileSync(join(fresh, 'package.json'), JSON.stringify({ name: 'fresh', private: true, type: 'module' }))
      symlinkSync(join(consumer, 'node_modules'), join(fresh, 'node_modules'), 'dir')
      writeFileSync(
        join(fresh, 'index.ts'),
        [
          "import { createApp, startServer, talkoverClient, type RunningServer, type WebhookLog } from 'talkover-mock'",
          "import { mockClient, useTalkoverMock, type MockClient, type TalkoverMock } from 'talkover-mock/testing'",
          'export const app = createApp({ seed: 42 })',
          'export const client: MockClient = mockClient(app, { timeout: 2000 })',
          'export const started: Promise<RunningServer> = startServer({ port: 0 })',
          "export const api = talkoverClient('http://127.0.0.1:4010')",
          'export type Row = WebhookLog',
          'export type Mock = TalkoverMock',
          'export const use = useTalkoverMock',
          '',
        ].join('\n'),
      )
      writeFileSync(join(fresh, 'tsconfig.json'), tsconfig(['index.ts'], true))
      await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: fresh }).catch((error: { stdout: string }) => Promise.reject(new Error(error.stdout)))
    },
    TSC_TIMEOUT,
  )

  it('can also be required from CommonJS (require(esm), Node 20.19+)', async () => {
    const script = "const m = require('talkover-mock'); console.log(typeof m.createApp, typeof m.startServer)"
    const { stdout } = await run(process.execPath, ['--input-type=commonjs', '-e', script], { cwd: consumer })
    expect(stdout.trim()).toBe('function function')
  })

  it(
    'shows the consumer a type error for an option of the wrong type (the types are not any)',
    async () => {
      writeFileSync(join(consumer, 'wrong.ts'), "import { createApp } from 'talkover-mock'\ncreateApp({ seed: '42' })\n")
      writeFileSync(join(consumer, 'tsconfig.wrong.json'), tsconfig(['wrong.ts'], true))
      const check = run(process.execPath, [TSC, '-p', 'tsconfig.wrong.json'], { cwd: consumer })
      await expect(check).rejects.toMatchObject({ stdout: expect.stringContaining("Type 'string' is not assignable to type 'number'") })
    },
    TSC_TIMEOUT,
  )

  it(
    'lets a consumer write, typecheck (tsc --strict) and run vitest files with useTalkoverMock, mockClient, talkoverClient and the MSW handlers',
    async () => {
      // vitest itself comes from this repo (offline): linked, so the runner and the test file share one instance.
      // msw is an optional peer: the consumer installs it (here: linked from this repo, offline).
      for (const name of ['vitest', 'msw']) symlinkSync(join(ROOT, 'node_modules', name), join(consumer, 'node_modules', name), 'dir')
      writeFileSync(join(consumer, 'mock.test.ts'), CONSUMER_VITEST)
      writeFileSync(join(consumer, 'msw.test.ts'), CONSUMER_MSW)
      writeFileSync(join(consumer, 'tsconfig.vitest.json'), tsconfig(['mock.test.ts', 'msw.test.ts'], true))
      await run(process.execPath, [TSC, '-p', 'tsconfig.vitest.json'], { cwd: consumer }).catch((error: { stdout: string }) =>
        Promise.reject(new Error(error.stdout)),
      )
      const vitest = run(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', consumer], { cwd: consumer })
      const { stdout } = await vitest.catch((error: { stdout: string; stderr: string }) => Promise.reject(new Error(error.stdout + error.stderr)))
      expect(stdout).toMatch(/Tests\s+.*5 passed/)
    },
    TSC_TIMEOUT,
  )

  it('ships talkover-mock/msw/browser with its types, importing only msw, and it bundles for a browser page', async () => {
    // msw is an optional peer: the consumer installs it (here: linked from this repo, offline).
    if (!existsSync(join(consumer, 'node_modules/msw'))) symlinkSync(join(ROOT, 'node_modules/msw'), join(consumer, 'node_modules/msw'), 'dir')
    const script = "console.log(import.meta.resolve('talkover-mock/msw/browser'))"
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer })
    const entry = fileURLToPath(stdout.trim())
    expect(entry).toBe(join(consumer, 'node_modules/talkover-mock/dist/msw-browser.js'))
    const source = readFileSync(entry, 'utf8')
    const imports = [...source.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? m[2])
    expect(imports).toEqual(['msw'])
    expect(source).not.toMatch(/node:/)
    expect(packed.files.map((f) => f.path)).toContain('dist/msw-browser.d.ts')
    writeFileSync(
      join(consumer, 'page.ts'),
      "import { talkoverBrowserHandlers } from 'talkover-mock/msw/browser'\nexport const handlers = talkoverBrowserHandlers({ mockUrl: 'http://127.0.0.1:4010' })\n",
    )
    const bundle = await build({
      entryPoints: [join(consumer, 'page.ts')],
      absWorkingDir: consumer,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    })
    expect(bundle.outputFiles[0].text).toContain('talkover-mock did not answer')
  })

  it('installs an executable bin that npx runs, bundled with its lazy chunks and source maps', async () => {
    const bin = join(consumer, 'node_modules/talkover-mock/dist/bin.js')
    expect(statSync(bin).mode & 0o111).not.toBe(0)
    // The plain line npm's cmd-shim turns into Windows shims (review of issue 28: the `env -S
    // NODE_OPTIONS=…` line this test asserted before made them run a program named NODE_OPTIONS=…);
    // the bin sets the heap flags itself (docs/performance.md#memory).
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node')
    expect(JSON.parse(readFileSync(join(consumer, 'node_modules/talkover-mock/package.json'), 'utf8')).bin).toEqual({ 'talkover-mock': 'dist/bin.js' })
    const { stdout } = await run('npx', ['--no-install', 'talkover-mock', '--version'], { cwd: consumer })
    expect(stdout.trim()).toBe(pkg.version)
    const paths = packed.files.map((f) => f.path)
    expect(paths).toEqual(
      expect.arrayContaining(['dist/cli.js.map', expect.stringMatching(/^dist\/cli-[\w-]+\.js$/), expect.stringMatching(/^dist\/cli-[\w-]+\.js\.map$/)]),
    )
    // A lazy chunk runs from the installed package too: check-receiver's help is in one.
    const help = await run('npx', ['--no-install', 'talkover-mock', 'check-receiver', '--help'], { cwd: consumer })
    expect(help.stdout).toContain('check-receiver')
  })
})
