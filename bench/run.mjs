// npm run bench: the mock against a raw node:http server in ONE run. Both servers are pinned to
// one core and the load generator to the other; they take turns (alternating rounds) and every
// ratio is the median of the per-round ratios, so a noisy neighbour hits both sides alike.
// The mock is the server as users start it: dist/bin.js, which sets its heap flags and serves in
// its own process (npx, npm start). Writes a Markdown table to stdout and the full numbers to bench/results/.
//   BENCH_ROUNDS=3 BENCH_SECONDS=4 node bench/run.mjs   (after npm run build)
//   BENCH_SECONDS=1 BENCH_MEMORY_REQUESTS=5000 node bench/run.mjs   (a quick check of the bench itself)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { coldStart, createAppTimes, generation, machine, memory } from './measure.mjs'
import { LOAD_GENERATOR, load, PINNING, startServer } from './procs.mjs'
import { markdown, median } from './report.mjs'
import { replicasScenario } from './replicas.mjs'
import { mockSupports, prepare } from './workload.mjs'

const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? 3))
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4)
/** Requests per memory phase; fewer only for a quick check of the bench itself (the table says how many). */
const MEMORY_REQUESTS = Number(process.env.BENCH_MEMORY_REQUESTS ?? 100_000)
const here = (p) => fileURLToPath(new URL(p, import.meta.url))
/** The bin as `npx talkover-mock` and `npm start` run it: dist/bin.js sets the heap flags (src/heap.ts) and is the server. */
const BIN = ['node', here('../dist/bin.js'), '--port', '0', '--quiet']
const MOCK = BIN
/** The same server under node's own heap sizing (no flags), for the memory row's reference. */
const MOCK_NODE_HEAP = ['node', here('../dist/cli.js'), '--port', '0', '--quiet']
const RAW = ['node', here('raw-server.mjs')]

const work = mkdtempSync(join(tmpdir(), 'talkover-bench-'))
const started = performance.now()
const log = (line) => console.error(`bench: ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s  ${line}`)

/** The heap flags the bin sets at run time (what the memory row measures). */
function binNodeOptions() {
  return '--semi-space-growth-factor=1 --heap-growing-percent=30, set by the bin'
}

async function main() {
  if (!LOAD_GENERATOR) throw new Error('Neither wrk nor autocannon is available: install wrk (apt-get install wrk), or run npm ci for autocannon.')
  log(
    `load generator ${LOAD_GENERATOR}, ${PINNING ? `servers on core ${PINNING.server}, client on core ${PINNING.client}` : 'no pinning (taskset or a second core missing)'}; ${ROUNDS} rounds of ${SECONDS} s`,
  )
  const mock = await startServer(MOCK)
  const w = await prepare(mock.url, work)
  const raw = await startServer([...RAW, w.manifest, 'buffer'])
  const rawStringify = await startServer([...RAW, w.manifest, 'stringify'])
  const scenarios = []
  try {
    scenarios.push(await compare('cached', '1. same 100-row page again and again (cache hit)', { mock: [mock, w.cached], raw: [raw, w.cached] }))
    scenarios.push(
      await compare('distinct', '2. a new 100-row page every request (generation)', {
        mock: [mock, w.distinct],
        floor: [mock, w.floor],
        raw: [raw, baseline(w.distinct)],
        rawStringify: [rawStringify, baseline(w.distinct)],
      }),
    )
    scenarios.push(
      await compare(
        'deep',
        '3. page 1 vs page 40,000 of webhook-uuid-1m (per_page 25, new seed each request)',
        { page1: [mock, w.page1], page40000: [mock, w.page40000], raw: [raw, baseline(w.page1)] },
        { ratio: ['page1', 'page40000'] },
      ),
    )
  } finally {
    await Promise.all([raw.stop(), rawStringify.stop()])
  }
  scenarios.push(await latencyScenario(mock, w))
  await mock.stop()
  // Row 8 (issue 25) in rounds of at most 2 s: issue 28's rows keep the bench near 4 minutes.
  scenarios.push(await replicasScenario({ compare, mockArgv: MOCK, w, log, rounds: ROUNDS, seconds: Math.min(SECONDS, 2) }))
  log('generation alone')
  const gen = await generation()
  log('cold start: the docs request, 10 spawns each, mock and raw in turn; then createApp in-process')
  const cold = { ...(await coldStart(BIN, [...RAW, w.manifest, 'buffer'], w.docsPath)), inProcess: createAppTimes() }
  log(`memory over 2 × ${MEMORY_REQUESTS.toLocaleString('en-US')} mixed requests: the bin as users run it, then node's own heap sizing`)
  const mem = { nodeOptions: binNodeOptions(), ...(await memory(MOCK, w.mixed, { perPhase: MEMORY_REQUESTS })) }
  const memNodeHeap = await memory(MOCK_NODE_HEAP, w.mixed, { env: { NODE_OPTIONS: '' }, perPhase: MEMORY_REQUESTS })
  const result = {
    machine: machine(LOAD_GENERATOR),
    rounds: ROUNDS,
    seconds: SECONDS,
    scenarios,
    generation: gen,
    coldStart: cold,
    memory: mem,
    memoryNodeHeap: memNodeHeap,
    minutes: (performance.now() - started) / 60_000,
  }
  const dir = here('results/')
  mkdirSync(dir, { recursive: true })
  const stamp = result.machine.date.replace(/[:.]/g, '-')
  writeFileSync(join(dir, `bench-${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`)
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`)
  log('done')
  console.log(markdown(result))
  log(`results in bench/results/bench-${stamp}.json`)
}

/**
 * Runs each side of a scenario once per round, in an order that alternates between rounds.
 * `sides` maps a name to [server, workload]; the ratio is sides[ratio[0]] / sides[ratio[1]] by
 * default mock / raw (req/s), taken per round, then the median.
 */
async function compare(id, title, sides, { ratio = ['mock', 'raw'], connections = 10, seconds = SECONDS } = {}) {
  log(title)
  // Each side walks its own copy of its URL list (the baseline must not use up the mock's new URLs).
  sides = Object.fromEntries(Object.entries(sides).map(([n, [server, workload]]) => [n, [server, { ...workload }]]))
  const names = Object.keys(sides)
  const runs = Object.fromEntries(names.map((n) => [n, []]))
  for (const n of names) await drive(sides[n], 1, connections) // warm up (JIT, caches of the other pages)
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse()
    for (const n of order) runs[n].push(await drive(sides[n], seconds, connections))
  }
  const perRound = runs[ratio[0]].map((r, i) => r.rps / runs[ratio[1]][i].rps)
  const summary = Object.fromEntries(
    names.map((n) => [
      n,
      {
        rps: median(runs[n].map((r) => r.rps)),
        p50Ms: median(runs[n].map((r) => r.p50Ms)),
        p99Ms: median(runs[n].map((r) => r.p99Ms)),
        requests: runs[n].reduce((s, r) => s + r.requests, 0),
        errors: runs[n].reduce((s, r) => s + r.errors + r.statusErrors, 0),
        wrapped: runs[n].some((r) => r.wrapped),
      },
    ]),
  )
  return { id, title, connections, ratioOf: ratio, ratio: median(perRound), ratios: perRound, sides: summary, runs }
}

/** The same URLs for the baseline, which does not cache: it may run past the end of the list. */
const baseline = (workload) => ({ ...workload, unique: undefined })

/** One load run; a workload with a list of new URLs continues where the last run stopped. */
async function drive([server, workload], seconds, connections) {
  const result = await load(server.url, { ...workload.options, offset: workload.offset, seconds, connections })
  if (workload.unique) {
    workload.offset += result.requests + connections
    result.wrapped = workload.offset > workload.unique
  }
  return result
}

async function latencyScenario(_mock, w) {
  const title = '4. --latency 100 at 200 connections (same page; rounds of at most 2 s)'
  if (!(await mockSupports('--latency'))) {
    log(`${title}: skipped, this build of the mock has no --latency flag`)
    return { id: 'latency', title, skipped: 'this build of the mock has no --latency flag (fault injection not merged yet)' }
  }
  const slow = await startServer([...MOCK, '--latency', '100'])
  const rawSlow = await startServer([...RAW, w.manifest, 'delay:100'])
  try {
    // Rounds of at most 2 s: every answer waits 100 ms, so that is still 20 waits a connection,
    // and the scenario checks that the waits overlap, not how fast the server is.
    const r = await compare('latency', title, { mock: [slow, w.cached], raw: [rawSlow, w.cached] }, { connections: 200, seconds: Math.min(SECONDS, 2) })
    return { ...r, ideal: 200 / 0.1 }
  } finally {
    await Promise.all([slow.stop(), rawSlow.stop()])
  }
}

main()
  .catch((error) => {
    console.error(`bench: ${error.stack ?? error}`)
    process.exitCode = 1
  })
  .finally(() => rmSync(work, { recursive: true, force: true }))
