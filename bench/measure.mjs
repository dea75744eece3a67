// The measurements that are not throughput: generation alone, cold start, memory under load,
// and a description of the machine the run happened on.
import { execFileSync, spawn } from 'node:child_process'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { cpuMs, load, PINNING, rssMb, startServer } from './procs.mjs'
import { median } from './report.mjs'
import { HEADERS } from './workload.mjs'

/** Node, CPU and load generator of this run. */
export function machine(generator) {
  const version = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
        .split('\n')[0]
        .trim()
    } catch (error) {
      return (
        String(error.stdout ?? '')
          .split('\n')[0]
          .trim() || 'unknown'
      )
    }
  }
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform}-${process.arch}`,
    loadGenerator:
      generator === 'wrk'
        ? version('wrk', ['--version']).replace(/ Copyright.*/, '')
        : 'autocannon (wrk not found; its client saturates first, so ratios understate both servers)',
    pinning: PINNING ? `servers on core ${PINNING.server}, load generator on core ${PINNING.client}` : 'none',
  }
}

/** bench/generate.mjs in its own process, pinned like the servers. */
export function generation() {
  const script = fileURLToPath(new URL('generate.mjs', import.meta.url))
  const argv = PINNING ? ['taskset', ['-c', PINNING.server, 'node', script]] : ['node', [script]]
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv[1], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (c) => (out += c))
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`generate.mjs exited with ${code}`))))
  })
}

/**
 * Milliseconds from spawning each server to the end of its first 200 response to `path`, the two
 * started in turn (A B A B …) `times` times each; the ratio is the median of the per-pair ratios.
 * Not pinned: start-up uses V8's background threads, as it would on a CI runner.
 */
export async function coldStart(mockArgv, rawArgv, path, times = 10) {
  const once = async (argv) => {
    const started = performance.now()
    const server = await startServer(argv, { core: undefined })
    const res = await fetch(server.url + path, { headers: HEADERS })
    await res.arrayBuffer()
    if (res.status !== 200) throw new Error(`cold start: ${path} answered ${res.status}`)
    const ms = performance.now() - started
    await server.stop()
    return ms
  }
  const mock = []
  const raw = []
  for (let i = 0; i < times; i++) {
    mock.push(await once(mockArgv))
    raw.push(await once(rawArgv))
  }
  return {
    mock: { medianMs: median(mock), samplesMs: mock },
    raw: { medianMs: median(raw), samplesMs: raw },
    ratio: median(mock.map((m, i) => m / raw[i])),
    ratios: mock.map((m, i) => m / raw[i]),
  }
}

/**
 * In-process start-up of the library, each in a fresh process (bench/create-app.mjs), `times`
 * times: import, the first createApp, its first answer to the docs request, a second createApp.
 */
export function createAppTimes(times = 10) {
  const script = fileURLToPath(new URL('create-app.mjs', import.meta.url))
  const runs = Array.from({ length: times }, () => JSON.parse(execFileSync('node', [script], { encoding: 'utf8' })))
  return Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]))
}

/**
 * RSS of a fresh mock after ≥ 100,000 mixed requests, and after ≥ 100,000 more; CPU time per
 * 1,000 requests while loaded.
 */
export async function memory(argv, mixed, { perPhase = 100_000, env } = {}) {
  const server = await startServer(argv, { env })
  try {
    const idleMb = rssMb(server.pid)
    const phases = []
    let offset = 0
    for (let phase = 0; phase < 2; phase++) {
      const cpuBefore = cpuMs(server.pid)
      let requests = 0
      let seconds = 0
      let statusErrors = 0
      // Runs of whole seconds until perPhase requests: after the first, each is sized from the
      // last run's rate, rounded down and at most 10 s (the rate climbs after a cold start), so a
      // phase ends within about a second of its count (not up to 5 s past it).
      let lastRps = 0
      while (requests < perPhase) {
        const left = perPhase - requests
        const runSeconds = lastRps === 0 ? 3 : Math.min(10, Math.max(1, Math.floor(left / lastRps)))
        const r = await load(server.url, { ...mixed.options, offset, seconds: runSeconds, connections: 10 })
        lastRps = r.requests / runSeconds
        requests += r.requests
        offset += r.requests + 10
        seconds += runSeconds
        statusErrors += r.statusErrors
      }
      phases.push({
        requests,
        rssMb: rssMb(server.pid),
        rps: requests / seconds,
        cpuMsPer1000: ((cpuMs(server.pid) - cpuBefore) * 1000) / requests,
        statusErrors,
      })
    }
    return { idleMb, phases, growthMb: phases[1].rssMb - phases[0].rssMb }
  } finally {
    await server.stop()
  }
}
