// Row 8 of the bench: replicas on one real redis-server (--state redis://…). The cached page on one
// replica with a store against the memory default (target ≥ 0.8×), three replicas sharing the load
// against one memory process, and what a write costs (sequential PATCH /__mock/config, median).
import { spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:net'
import { load, PINNING, startServer } from './procs.mjs'
import { HEADERS } from './workload.mjs'
import { median } from './report.mjs'

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0

async function freePort() {
  const server = createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function startRedis() {
  const binary = has('valkey-server') ? 'valkey-server' : 'redis-server'
  const port = await freePort()
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
  // The store shares the load generator's core: the servers keep theirs.
  const child = PINNING ? spawn('taskset', ['-c', PINNING.client, binary, ...args], { stdio: 'ignore' }) : spawn(binary, args, { stdio: 'ignore' })
  const url = `redis://127.0.0.1:${port}`
  for (let i = 0; i < 100; i++) {
    const ok = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG'
    if (ok) break
    await new Promise((r) => setTimeout(r, 50))
  }
  return { url, stop: () => child.kill() }
}

/** Median ms of `n` sequential writes (PATCH /__mock/config), each to the next server in turn. */
async function writeMs(servers, n = 100) {
  const times = []
  for (let i = 0; i < n; i++) {
    const started = performance.now()
    const res = await fetch(`${servers[i % servers.length].url}/__mock/config`, {
      method: 'PATCH',
      headers: { ...HEADERS, 'content-type': 'application/json' },
      body: JSON.stringify({ retry_after: 1 + (i % 5) }),
    })
    await res.arrayBuffer()
    times.push(performance.now() - started)
  }
  return median(times)
}

/**
 * Runs row 8. `compare` is run.mjs's alternating-rounds comparison; `mockArgv` the server as the bin runs it.
 */
export async function replicasScenario({ compare, mockArgv, w, log, rounds, seconds }) {
  const title = '8. replicas on one redis-server (--state redis://…)'
  if (!has('redis-server') && !has('valkey-server')) return { id: 'replicas', title, skipped: 'redis-server is not installed (apt-get install redis-server)' }
  log(title)
  const redis = await startRedis()
  const servers = []
  const start = async (argv) => {
    const s = await startServer(argv)
    servers.push(s)
    return s
  }
  try {
    const memory = await start(mockArgv)
    const one = await start([...mockArgv, '--state', redis.url])
    const cached = await compare(
      'replicasCached',
      `${title}: the same page, one replica`,
      { redis: [one, w.cached], memory: [memory, w.cached] },
      { ratio: ['redis', 'memory'], seconds },
    )
    const fleet = [one, await start([...mockArgv, '--state', redis.url]), await start([...mockArgv, '--state', redis.url])]
    // Three replicas, the 10 connections split 4/3/3 and run at once; one memory process with all 10 in turn.
    const fleetRuns = []
    const memoryRuns = []
    for (let round = 0; round < rounds; round++) {
      const runFleet = async () => {
        const parts = await Promise.all(fleet.map((s, i) => load(s.url, { ...w.cached.options, seconds, connections: i === 0 ? 4 : 3 })))
        fleetRuns.push(parts.reduce((sum, p) => sum + p.rps, 0))
      }
      const runMemory = async () => memoryRuns.push((await load(memory.url, { ...w.cached.options, seconds, connections: 10 })).rps)
      if (round % 2 === 0) {
        await runFleet()
        await runMemory()
      } else {
        await runMemory()
        await runFleet()
      }
    }
    const perRound = fleetRuns.map((rps, i) => rps / memoryRuns[i])
    const writes = { memory: await writeMs([memory]), fleet: await writeMs(fleet) }
    return {
      id: 'replicas',
      title,
      cached,
      three: { rps: median(fleetRuns), memoryRps: median(memoryRuns), ratio: median(perRound), ratios: perRound },
      writes,
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
    redis.stop()
  }
}
