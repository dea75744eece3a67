// startServer's close() on a real socket: it stops accepting, lets in-flight requests finish, and
// resolves promptly whatever the clients hold open — never after Node's minute-long timeouts.
import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { startServer, type RunningServer, type ServerOptions } from '../src/server.js'
import { DOCS_LOGS, auth } from './support/http.js'

const sockets: Socket[] = []
let server: RunningServer | undefined
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  await server?.close({ graceMs: 0 })
  server = undefined
})

async function start(options: ServerOptions = {}) {
  server = await startServer(options)
  return server
}

/** Milliseconds close() took to resolve. */
async function timeClose(running: RunningServer, options?: Parameters<RunningServer['close']>[0]) {
  const started = performance.now()
  await running.close(options)
  return performance.now() - started
}

/**
 * A real, abortable timer sleep that also reports when the fault layer starts waiting, so a test
 * knows its request is being held without guessing how long that takes.
 */
function reportingSleep() {
  let started!: (ms: number) => void
  const waiting = new Promise<number>((resolve) => (started = resolve))
  const sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((done) => {
      started(ms)
      const timer = setTimeout(done, ms)
      signal?.addEventListener('abort', () => (clearTimeout(timer), done()), { once: true })
    })
  return { sleep, waiting }
}

describe('close()', () => {
  it('resolves at once with an idle keep-alive client connected', async () => {
    const running = await start()
    const res = await fetch(`${running.url}${DOCS_LOGS}`, { headers: auth() }) // undici keeps the socket open
    await res.arrayBuffer()
    expect(res.headers.get('connection')).not.toBe('close')
    expect(await timeClose(running)).toBeLessThan(250)
  })

  it('resolves at once while a client holds a connection it has sent nothing on', async () => {
    const running = await start()
    const socket = connect(running.port, '127.0.0.1')
    sockets.push(socket)
    await new Promise((connected) => socket.once('connect', connected))
    const ended = new Promise((done) => socket.once('close', done))
    expect(await timeClose(running)).toBeLessThan(250)
    await ended // the server closed it, not the test
  })

  it('resolves at once with an X-Mock-Fault: hang request in flight, and the client sees the connection close', async () => {
    const { sleep, waiting } = reportingSleep()
    const running = await start({ faults: { sleep } })
    const hung = fetch(`${running.url}${DOCS_LOGS}`, { headers: { ...auth(), 'X-Mock-Fault': 'hang' } }).catch((e: unknown) => e)
    expect(await waiting).toBe(30_000) // the request is hanging, for --hang-ms's default 30 s
    expect(await timeClose(running)).toBeLessThan(500)
    expect(await hung).toMatchObject({ name: 'TypeError', message: 'fetch failed' })
  })

  it('lets a request held by injected latency finish with its full answer, without waiting out the delay', async () => {
    const { sleep, waiting } = reportingSleep()
    const running = await start({ faults: { sleep } })
    const slow = fetch(`${running.url}${DOCS_LOGS}?per_page=3`, { headers: { ...auth(), 'X-Mock-Latency': '10000' } })
    expect(await waiting).toBe(10_000)
    expect(await timeClose(running)).toBeLessThan(500)
    const res = await slow
    expect(res.status).toBe(200)
    expect((await res.json()).data).toHaveLength(3)
  })

  it('cuts requests still running after the grace period', async () => {
    // A test sleep that ignores its abort signal stands in for a handler that never finishes.
    let started!: () => void
    const waiting = new Promise<void>((resolve) => (started = resolve))
    const running = await start({ faults: { sleep: () => (started(), new Promise<void>(() => {})) } })
    const stuck = fetch(`${running.url}${DOCS_LOGS}`, { headers: { ...auth(), 'X-Mock-Latency': '1' } }).catch((e: unknown) => e)
    await waiting
    const took = await timeClose(running, { graceMs: 300 })
    expect(took).toBeGreaterThanOrEqual(295)
    expect(took).toBeLessThan(800)
    expect(await stuck).toMatchObject({ name: 'TypeError', message: 'fetch failed' })
  })

  it('refuses new connections once closing, and returns the same promise when called twice', async () => {
    const running = await start()
    const first = running.close()
    expect(running.close()).toBe(first)
    await first
    await expect(fetch(`${running.url}/__mock/health`)).rejects.toThrow('fetch failed')
  })
})
