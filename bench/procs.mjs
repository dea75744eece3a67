// Processes of the benchmark: servers pinned to a core, their URL, RSS and CPU time, and the
// wrk load generator. Linux /proc is read where it exists; elsewhere RSS/CPU come from `ps`.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0

/** Where servers and the load generator run: separate cores when taskset and 2+ cores exist. */
export const PINNING = has('taskset') && cpus().length >= 2 ? { server: '0', client: '1' } : undefined

/** Runs `argv` pinned to `core` when pinning is possible. */
function pinned(core, argv) {
  return PINNING && core !== undefined ? ['taskset', ['-c', core, ...argv]] : [argv[0], argv.slice(1)]
}

/**
 * Starts a server that prints "… listening on http://host:port"; resolves when it has.
 * @returns {Promise<{ url: string, pid: number, child: import('node:child_process').ChildProcess, stop: () => Promise<void> }>}
 */
export function startServer(argv, { core = PINNING?.server, env, timeoutMs = 15_000 } = {}) {
  const [cmd, args] = pinned(core, argv)
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${argv.join(' ')} did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs)
    const fail = (error) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(error)
    }
    const onData = (chunk) => {
      output += chunk
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (!match) return
      clearTimeout(timer)
      child.stdout.off('data', onData)
      child.stdout.resume()
      child.stderr.resume()
      resolve({ url: match[1], pid: child.pid, child, stop: () => stop(child) })
    }
    child.stdout.setEncoding('utf8').on('data', onData)
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk))
    child.once('exit', (code) => fail(new Error(`${argv.join(' ')} exited with ${code} before listening:\n${output}`)))
  })
}

function stop(child) {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.removeAllListeners('exit')
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 3_000).unref()
  })
}

/** Resident set size of a process in MB. */
export function rssMb(pid) {
  if (existsSync(`/proc/${pid}/status`)) {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return Number(kb[1]) / 1024
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' })) / 1024
}

/** CPU time (user + system) a process has used so far, in ms. */
export function cpuMs(pid) {
  if (existsSync(`/proc/${pid}/stat`)) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 // USER_HZ is 100 on Linux
  }
  const [min, sec] = execFileSync('ps', ['-o', 'time=', '-p', String(pid)], { encoding: 'utf8' })
    .trim()
    .split(':')
    .slice(-2)
  return (Number(min) * 60 + Number(sec)) * 1000
}

const hasAutocannon = () => {
  try {
    return existsSync(fileURLToPath(import.meta.resolve('autocannon')))
  } catch {
    return false
  }
}

/**
 * The load generator: wrk where installed, else autocannon (a devDependency), else undefined.
 * BENCH_LOAD_GENERATOR=autocannon forces the fallback.
 */
export const LOAD_GENERATOR = process.env.BENCH_LOAD_GENERATOR === 'autocannon' ? 'autocannon' : has('wrk') ? 'wrk' : hasAutocannon() ? 'autocannon' : undefined

/**
 * Drives `url` (one client thread, pinned to the client core) over the paths in `pathsFile`.
 * @returns {Promise<{ rps: number, p50Ms: number, p99Ms: number, requests: number, errors: number, statusErrors: number }>}
 */
export function load(url, { pathsFile, offset = 0, seconds, connections = 10, headers = {}, script }) {
  let argv
  if (LOAD_GENERATOR === 'wrk') {
    argv = ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', script]
    for (const [name, value] of Object.entries(headers)) argv.push('-H', `${name}: ${value}`)
    argv.push(url, '--', pathsFile, String(offset))
  } else {
    const client = fileURLToPath(new URL('autocannon.mjs', import.meta.url))
    argv = ['node', client, url, pathsFile, String(offset), String(seconds), String(connections), JSON.stringify(headers)]
  }
  const [cmd, args] = pinned(PINNING?.client, argv)
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (c) => (out += c))
    child.stderr.setEncoding('utf8').on('data', (c) => (out += c))
    child.once('exit', (code) => {
      const line = /BENCH_RESULT (\{.*\})/.exec(out)
      if (code !== 0 || !line) return reject(new Error(`${LOAD_GENERATOR} failed (${code}):\n${out}`))
      const r = JSON.parse(line[1])
      resolve({
        rps: r.requests / (r.duration_us / 1e6),
        p50Ms: r.p50_us / 1000,
        p99Ms: r.p99_us / 1000,
        requests: r.requests,
        errors: r.errors,
        statusErrors: r.status_errors,
      })
    })
  })
}
