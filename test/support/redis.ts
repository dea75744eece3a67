// A real Redis (Debian's redis-server, or valkey-server) for the shared-state tests: one server per
// call on a free loopback port, no disk, stopped by stop(). Where neither binary exists it installs
// redis-server with apt-get when running as root, else fails with the one line that fixes it; it
// never skips (the Chromium helper's policy, scripts/chromium.mjs).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

/** The binaries tried, in order: Debian's package first, then Valkey's. */
export const REDIS_BINARIES = ['redis-server', 'valkey-server']

/** redis-server may be installed on first use (apt), which takes a minute: use it as a hook timeout. */
export const REDIS_INSTALL_TIMEOUT = 5 * 60_000

export interface RunningRedis {
  /** `redis://127.0.0.1:<port>`, what `--state` takes. */
  url: string
  port: number
  /** Stops the server (SIGTERM, SIGKILL after 5 s) and resolves once it has exited; a second call is harmless. */
  stop(): Promise<void>
  /** Freezes the server (SIGSTOP): connections stay open and nothing answers, like a store behind a cut network. */
  pause(): void
  /** Lets a paused server run again (SIGCONT). */
  resume(): void
}

/** The first of REDIS_BINARIES on `path` (a PATH value), or undefined. */
export function findRedisServer(path = process.env.PATH ?? ''): string | undefined {
  for (const name of REDIS_BINARIES) {
    for (const dir of path.split(delimiter).filter(Boolean)) {
      if (existsSync(join(dir, name))) return join(dir, name)
    }
  }
  return undefined
}

/**
 * The path of redis-server (or valkey-server): installs Debian's redis-server when neither is on PATH
 * and we are root with apt-get, else throws one sentence saying how to install it.
 */
export function ensureRedis(options: { path?: string; uid?: number } = {}): string {
  const { path = process.env.PATH ?? '', uid = process.getuid?.() } = options
  const found = findRedisServer(path)
  if (found) return found
  const apt = ['/usr/bin/apt-get', '/bin/apt-get'].find((p) => existsSync(p))
  if (uid !== 0 || !apt) {
    throw new Error('redis-server is missing: run "sudo apt-get install -y redis-server" (or install valkey-server); the shared-state tests start a real one.')
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync(apt, ['update'], { stdio: 'inherit', env })
  execFileSync(apt, ['install', '-y', '--no-install-recommends', 'redis-server'], { stdio: 'inherit', env })
  const installed = findRedisServer(path)
  if (!installed) throw new Error("apt-get installed redis-server but it is not on PATH; install Debian's redis-server package by hand.")
  return installed
}

/** A port nobody listens on right now (the OS picks it; the server may still lose a race for it, so startRedis retries). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** One inline PING over a raw socket: true when the server answers +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    let answer = ''
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1_000, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.on('data', (chunk) => {
      answer += chunk.toString()
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'))
    })
  })
}

/** Children still running, killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

async function startOn(binary: string, port: number): Promise<RunningRedis> {
  // Its own working directory, so nothing it might write lands in the repository.
  const dir = mkdtempSync(join(tmpdir(), 'talkover-mock-redis-'))
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no']
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  let output = ''
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let gone = false
  void exited.then(() => {
    gone = true
    running.delete(child)
    rmSync(dir, { recursive: true, force: true })
  })
  const stop = async () => {
    if (gone) return
    child.kill('SIGCONT') // a paused server would not act on SIGTERM
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }
  const deadline = Date.now() + 10_000
  while (!gone && Date.now() < deadline) {
    // Its own "ready" line first: a PING alone could be answered by another server already on the port.
    if (/Ready to accept connections/i.test(output) && (await ping(port)) && !gone)
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        stop,
        pause: () => void (gone || child.kill('SIGSTOP')),
        resume: () => void (gone || child.kill('SIGCONT')),
      }
    await new Promise((r) => setTimeout(r, 25))
  }
  await stop()
  throw new Error(`${binary} did not answer PING on 127.0.0.1:${port} within 10 s:\n${output}`)
}

/**
 * Starts a Redis on a free loopback port (or on `port`, to bring a stopped store back where the mock
 * expects it) and resolves once it answers PING.
 * @example
 * const redis = await startRedis()
 * const app = createApp({ state: redis.url })
 * await redis.stop()
 */
export async function startRedis(options: { port?: number } = {}): Promise<RunningRedis> {
  const binary = ensureRedis()
  if (options.port !== undefined) return startOn(binary, options.port)
  let last: unknown
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOn(binary, await freePort())
    } catch (error) {
      last = error // most likely another process took the port first
    }
  }
  throw last
}

/**
 * The store's connections opened by the mock (named `talkover-mock:…`) still open after waiting up
 * to `waitMs` for them to close: '' once the mock has let go of the store.
 */
export async function mockClientsLeft(url: string, waitMs = 2500): Promise<string> {
  const { Redis } = await import('ioredis')
  const probe = new Redis(url)
  const ours = async () =>
    (await probe.client('LIST'))
      .toString()
      .split('\n')
      .filter((line) => line.includes('name=talkover-mock'))
      .join('\n')
  try {
    let left = await ours()
    for (const until = Date.now() + waitMs; left !== '' && Date.now() < until; left = await ours()) await new Promise((r) => setTimeout(r, 50))
    return left
  } finally {
    probe.disconnect()
  }
}

export interface CutProxy {
  /** `redis://127.0.0.1:<port>` of the proxy: give it to --state. */
  url: string
  /** Arms the cut: the next command containing `match` reaches the store, its reply is dropped and that connection closed. */
  cutAfter(match: string): void
  /** Arms the cut: the next command containing `match` is dropped before the store gets it, and that connection closed. */
  cutBefore(match: string): void
  /** True once an armed cut happened. */
  cut(): boolean
  close(): Promise<void>
}

/**
 * A TCP proxy in front of a store that can lose one reply: what a network blip right after the
 * store ran a command looks like to the mock.
 */
export async function startCutProxy(storePort: number): Promise<CutProxy> {
  const sockets = new Set<import('node:net').Socket>()
  let armed: string | undefined
  let before = false
  let happened = false
  const server = createServer((client) => {
    const store = connect(storePort, '127.0.0.1')
    sockets.add(client).add(store)
    let cutting = false
    client.on('data', (data) => {
      if (armed !== undefined && data.includes(armed)) {
        armed = undefined
        if (before) {
          happened = true
          client.destroy()
          store.destroy()
          return
        }
        cutting = true
      }
      store.write(data)
    })
    store.on('data', (data) => {
      if (!cutting) return void client.write(data)
      happened = true
      client.destroy()
      store.destroy()
    })
    for (const [a, b] of [
      [client, store],
      [store, client],
    ]) {
      a.on('error', () => b.destroy())
      a.on('close', () => {
        b.destroy()
        sockets.delete(a)
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as import('node:net').AddressInfo
  return {
    url: `redis://127.0.0.1:${port}`,
    cutAfter: (match) => {
      armed = match
      before = false
    },
    cutBefore: (match) => {
      armed = match
      before = true
    },
    cut: () => happened,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
