// A real redis-server on a free loopback port, for the fleet's tests.
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export async function startRedis(port?: number): Promise<{ url: string; port: number; stop: () => Promise<void> }> {
  port ??= await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  const url = `redis://127.0.0.1:${port}`
  for (let i = 0; i < 100; i++) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 })
    probe.on('error', () => {})
    try {
      await probe.connect()
      await probe.ping()
      probe.disconnect()
      break
    } catch {
      probe.disconnect()
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  return {
    url,
    port,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve())
        child.kill()
      }),
  }
}
