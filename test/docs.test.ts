// The docs say what the code does: numbers, defaults and how to run the snippets, checked against
// the code and files they describe (each of these disagreed once).
import { readdirSync, readFileSync } from 'node:fs'
import { parse, parseAllDocuments } from 'yaml'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: the benchmark is plain JavaScript without types.
import { withinTarget } from '../bench/report.mjs'
import { createApp } from '../src/app.js'
import { resolveConfig } from '../src/config.js'

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')
const pages = ['README.md', ...readdirSync(new URL('../docs/', import.meta.url)).map((name) => `docs/${name}`)]

describe('docs as a newcomer reads them', () => {
  it("close every code block of every page (the README's Time-travel block swallowed the next paragraph)", () => {
    for (const page of pages) {
      const fences = read(page)
        .split('\n')
        .filter((line) => /^\s*```/.test(line))
      expect(fences.length % 2, `${page} has an unclosed code block`).toBe(0)
    }
    const readme = read('README.md')
    const liveDelivery = readme.indexOf('**Live delivery.**')
    const before = readme
      .slice(0, liveDelivery)
      .split('\n')
      .filter((line) => line.startsWith('```'))
    expect(before.length % 2, 'the Live-delivery paragraph is outside any code block').toBe(0)
  })

  it('link every docs page back to the README and list every page in the README', () => {
    const readme = read('README.md')
    for (const page of pages.filter((p) => p.endsWith('.md') && p !== 'README.md')) {
      expect(read(page), `${page} links back`).toContain('[← README](../README.md)')
      expect(readme, `the README lists ${page}`).toContain(`](${page})`)
    }
  })

  it('ship the fixture files the README and docs start the mock with, and they load', () => {
    for (const name of ['my-webhooks.yaml', 'my-receiver.yaml']) {
      expect(read('README.md')).toContain(`--fixtures examples/${name}`)
      expect(() => createApp({ fixtures: new URL(`../examples/${name}`, import.meta.url).pathname })).not.toThrow()
    }
  })

  it('never offer a CLI flag the CLI refuses (--spec is a library option)', () => {
    expect(read('docs/development.md')).not.toMatch(/`--spec`/)
    expect(() => resolveConfig(['--spec', 'x.yaml'], {})).toThrow()
  })
})

describe('docs against the code', () => {
  it('give the Kubernetes resources the manifest sets', () => {
    const deployment = parseAllDocuments(read('deploy/kubernetes.yaml'))
      .map((d) => d.toJS())
      .find((d) => d.kind === 'Deployment' && d.metadata.name === 'talkover-mock')
    const { requests, limits } = deployment.spec.template.spec.containers[0].resources
    const said = read('docs/docker.md').match(/resource requests \((\S+) CPU, (\d+) Mi of memory\) and a (\d+) Mi memory limit/)
    expect(said, 'docs/docker.md states the requests and the limit').not.toBeNull()
    expect([said![1], `${said![2]}Mi`, `${said![3]}Mi`]).toEqual([requests.cpu, requests.memory, limits.memory])
  })

  it('give the shared store the address and memory cap the manifests set (docs/scaling.md)', () => {
    const k8s = parseAllDocuments(read('deploy/kubernetes.yaml')).map((d) => d.toJS())
    const mock = k8s.find((d) => d.kind === 'Deployment' && d.metadata.name === 'talkover-mock')
    const storeArgs: string[] = k8s.find((d) => d.kind === 'Deployment' && d.metadata.name === 'talkover-mock-store').spec.template.spec.containers[0].args
    const compose = parse(read('compose.yaml'), { merge: true })
    const state = mock.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'TALKOVER_MOCK_STATE').value
    const page = read('docs/scaling.md')
    expect(page).toContain(`\`TALKOVER_MOCK_STATE=${state}\``)
    const caps = [storeArgs, compose.services.valkey.command]
      .map((args: string[]) => Number.parseInt(args[args.indexOf('--maxmemory') + 1], 10))
      .sort((a, b) => a - b)
    expect(page).toContain(`\`--maxmemory\` ${caps[0]}–${caps[1]} MB with \`--maxmemory-policy noeviction\``)
    const published = Object.values(compose.services as Record<string, { ports?: string[] }>).flatMap((s) => s.ports ?? [])
    expect(published.map((p) => p.split(':').slice(0, 2).join(':')).sort()).toEqual(['127.0.0.1:4010', '127.0.0.1:4011', '127.0.0.1:4012', '127.0.0.1:4013'])
    expect(page).toMatch(/`127\.0\.0\.1:4010` is the front; `127\.0\.0\.1:4011`, `:4012` and `:4013` reach one replica each/)
  })

  it('say how to run every TypeScript snippet (tsx, in an ES module package)', () => {
    for (const page of pages) {
      const text = read(page)
      if (!/```ts\n/.test(text)) continue
      expect(text, `${page} has a TypeScript snippet`).toMatch(/npx --yes tsx /)
      // Without --yes, npx stops at an install prompt in a non-interactive shell.
      expect(text, `${page} runs tsx without --yes`).not.toMatch(/npx tsx /)
      expect(text, `${page} has a TypeScript snippet`).toContain('"type": "module"')
    }
  })

  it('show fail_every the way GET /__mock/config answers it when off', async () => {
    const { data } = await (await createApp().request('/__mock/config')).json()
    expect(data.fail_every).toBeNull()
    expect(read('docs/admin-api.md')).toContain('`fail_every` (`{n, status}`, or `null` when off: `--fail-every 0`)')
  })

  it('accept the boolean forms the env table implies, in any case', () => {
    for (const [raw, quiet] of [
      ['TRUE', true],
      ['True', true],
      ['1', true],
      ['yes', true],
      ['on', true],
      ['FALSE', false],
      ['0', false],
      ['no', false],
      ['off', false],
    ] as const) {
      expect(resolveConfig([], { TALKOVER_MOCK_QUIET: raw }).config.quiet, raw).toBe(quiet)
    }
    expect(() => resolveConfig([], { TALKOVER_MOCK_QUIET: 'maybe' })).toThrow(
      'Invalid TALKOVER_MOCK_QUIET "maybe": use true or false (also 1/0, yes/no, on/off, in any case).',
    )
  })
})

describe('the benchmark report', () => {
  it('meets "within 1.20×" when page 40,000 is faster than page 1, and fails only when slower', () => {
    expect(withinTarget(0.77, 1.2)).toBe(true)
    expect(withinTarget(1, 1.2)).toBe(true)
    expect(withinTarget(1.2, 1.2)).toBe(true)
    expect(withinTarget(1.21, 1.2)).toBe(false)
  })
})
