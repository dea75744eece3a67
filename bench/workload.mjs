// What the benchmark asks for: the URL lists the load generator walks through, and the manifest
// of exact mock responses the raw node:http baseline serves. Built once per run, in a temp dir.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_NOW, parseNow } from '../dist/config.js'
import { createWorld, lookupWebhook } from '../dist/world/world.js'

export const TOKEN = 'talq_bench'
export const HEADERS = { Authorization: `Bearer ${TOKEN}` }
const LIST = (agent, webhook) => `/api/v1/agents/${agent}/webhooks/${webhook}/logs`
const DEEP = LIST('agent-uuid', 'webhook-uuid-1m')
const CACHED = `${DEEP}?per_page=100`
/** The docs request (README): what a user asks first, and what cold start is timed on. */
const DOCS = `${LIST('agent-uuid', 'webhook-uuid')}?per_page=50`
/** New URLs per list: more than the mock can answer in all rounds of a scenario. */
const UNIQUE = 300_000
/** Distinct pages the baseline holds (and serves in turn); the mock has these cached. */
const PREFETCH = 50
const SCRIPT = fileURLToPath(new URL('paths.lua', import.meta.url))

/**
 * Writes the URL lists and the baseline's manifest; returns a workload per scenario. A workload
 * with `unique` URLs must never wrap: each run continues at `offset`.
 */
export async function prepare(mockUrl, dir) {
  const list = (name, lines, unique) => {
    const pathsFile = join(dir, `${name}.txt`)
    writeFileSync(pathsFile, `${lines.join('\n')}\n`)
    return { options: { pathsFile, script: SCRIPT, headers: HEADERS }, offset: 0, unique }
  }
  // Open-world webhooks of the mock's default world (seed 1, default --now) with ≥ 100 rows.
  const world = createWorld({ seed: 1, now: parseNow(DEFAULT_NOW) })
  const distinctPaths = []
  for (let n = 0; distinctPaths.length < UNIQUE; n++) {
    if (lookupWebhook(world, 'agent-bench', `wh-${n}`).total >= 100) distinctPaths.push(`${LIST('agent-bench', `wh-${n}`)}?per_page=100`)
  }
  const seeded = (path, from) => Array.from({ length: UNIQUE }, (_, i) => `${path}\t${from + i}`)
  const page1 = `${DEEP}?per_page=25&page=1`
  const page40000 = `${DEEP}?per_page=25&page=40000`

  const fetchPage = async (path) => {
    const res = await fetch(mockUrl + path, { headers: HEADERS })
    const body = await res.text()
    if (res.status !== 200) throw new Error(`The mock answered ${res.status} to ${path}: ${body.slice(0, 200)}`)
    const headers = {
      'content-type': res.headers.get('content-type'),
      'content-length': res.headers.get('content-length'),
      'x-mock-seed': res.headers.get('x-mock-seed'),
    }
    return { path, status: res.status, headers, body }
  }
  const pages = [await fetchPage(CACHED), await fetchPage(page1), await fetchPage(page40000), await fetchPage(DOCS)]
  const others = []
  for (const path of distinctPaths.slice(0, PREFETCH)) others.push(await fetchPage(path))
  const manifest = join(dir, 'manifest.json')
  writeFileSync(manifest, JSON.stringify({ pages, others }))

  const distinct = list('distinct', distinctPaths, UNIQUE)
  distinct.offset = PREFETCH
  // The same kind of request with one row: what a new URL costs when generation costs next to nothing.
  const floor = list(
    'floor',
    Array.from({ length: UNIQUE }, (_, n) => `${LIST('agent-floor', `wh-${n}`)}?per_page=1`),
    UNIQUE,
  )
  return {
    manifest,
    cachedPath: CACHED,
    docsPath: DOCS,
    cachedBytes: Buffer.byteLength(pages[0].body),
    distinctBytes: Math.round(others.reduce((s, p) => s + Buffer.byteLength(p.body), 0) / others.length),
    cached: list('cached', [CACHED]),
    distinct,
    floor,
    page1: list('page1', seeded(page1, 1_000_000), UNIQUE),
    page40000: list('page40000', seeded(page40000, 2_000_000), UNIQUE),
    mixed: list('mixed', mixedPaths(distinctPaths.slice(UNIQUE - 20_000))),
  }
}

/**
 * 20,000 requests of every kind, in a fixed pseudo-random order: repeated and new pages, deep
 * pages, other seeds, small pages, and errors (422, 404), so that every cache fills and turns over.
 */
function mixedPaths(fresh) {
  let state = 12345
  const next = (n) => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) % n
  const kinds = [
    [30, () => CACHED],
    [20, (i) => fresh[i]],
    [15, () => `${DEEP}?per_page=100&page=${1 + next(10_000)}`],
    [15, () => `${LIST('agent-uuid', 'webhook-uuid')}?per_page=${[10, 25, 50][next(3)]}&page=${1 + next(10)}`],
    [10, () => `${LIST('agent-uuid', 'webhook-uuid')}?per_page=25\t${next(1000)}`],
    [5, () => `${LIST('agent-uuid', 'webhook-uuid')}?per_page=0`],
    [5, () => `/api/v1/agents/agent-uuid/webhooks/webhook-uuid/nothing-here`],
  ]
  return Array.from({ length: 20_000 }, (_, i) => {
    let pick = next(100)
    for (const [weight, make] of kinds) {
      if (pick < weight) return make(i)
      pick -= weight
    }
    throw new Error('weights must add up to 100')
  })
}

/** Whether the built mock has a flag (e.g. --latency, which fault injection adds). */
export async function mockSupports(flag) {
  const help = execFileSync('node', [fileURLToPath(new URL('../dist/cli.js', import.meta.url)), '--help'], { encoding: 'utf8' })
  return help.includes(`${flag} `)
}
