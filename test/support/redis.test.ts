// The Redis harness the shared-state tests stand on: a real server per call, on its own loopback
// port, reachable with the client library the mock uses, and really gone after stop().
import { connect } from 'node:net'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { ensureRedis, findRedisServer, REDIS_INSTALL_TIMEOUT, startRedis, type RunningRedis } from './redis.js'

const started: RunningRedis[] = []
afterAll(async () => {
  await Promise.all(started.map((r) => r.stop()))
})

async function start(options?: { port?: number }) {
  const redis = await startRedis(options)
  started.push(redis)
  return redis
}

/** A client that gives up at once instead of reconnecting, so a stopped server fails the call. */
function client(url: string) {
  return new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false })
}

/** Resolves true when something accepts a TCP connection on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })
}

describe('startRedis', () => {
  it(
    'starts a real server on loopback that answers PING and SET/GET through ioredis',
    async () => {
      const redis = await start()
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`)
      const c = client(redis.url)
      await c.connect()
      expect(await c.ping()).toBe('PONG')
      await c.set('k', 'v')
      expect(await c.get('k')).toBe('v')
      // No disk: the store is as fresh as the process.
      expect(await c.config('GET', 'save')).toEqual(['save', ''])
      expect(await c.config('GET', 'appendonly')).toEqual(['appendonly', 'no'])
      c.disconnect()
    },
    REDIS_INSTALL_TIMEOUT,
  )

  it('gives two instances different ports and keeps their data apart', async () => {
    const [a, b] = await Promise.all([start(), start()])
    expect(a.port).not.toBe(b.port)
    const [ca, cb] = [client(a.url), client(b.url)]
    await Promise.all([ca.connect(), cb.connect()])
    await ca.set('only-in-a', '1')
    expect(await cb.get('only-in-a')).toBeNull()
    ca.disconnect()
    cb.disconnect()
  })

  it('stops the server: the port refuses connections afterwards, and a second stop() is harmless', async () => {
    const redis = await start()
    expect(await accepts(redis.port)).toBe(true)
    await redis.stop()
    expect(await accepts(redis.port)).toBe(false)
    await expect(redis.stop()).resolves.toBeUndefined()
  })

  it('brings a stopped store back on the same port, empty (a store that restarts)', async () => {
    const first = await start()
    const c = client(first.url)
    await c.connect()
    await c.set('k', 'v')
    c.disconnect()
    await first.stop()
    const again = await start({ port: first.port })
    expect(again.url).toBe(first.url)
    const d = client(again.url)
    await d.connect()
    expect(await d.get('k')).toBeNull()
    d.disconnect()
  })

  it('pauses a server so that nothing answers, resumes it, and still stops a paused one', async () => {
    const redis = await start()
    const c = new Redis(redis.url, { lazyConnect: true, commandTimeout: 300, maxRetriesPerRequest: 0, retryStrategy: () => null })
    await c.connect()
    redis.pause()
    await expect(c.ping()).rejects.toThrow(/timed out/i)
    redis.resume()
    expect(await c.ping()).toBe('PONG')
    c.disconnect()
    redis.pause()
    await redis.stop()
    expect(await accepts(redis.port)).toBe(false)
  })

  it("fails with the server's own words when the port asked for is taken, instead of talking to the other server", async () => {
    const taken = await start()
    const error = await startRedis({ port: taken.port }).catch((e: Error) => e)
    expect(String(error)).toContain(`did not answer PING on 127.0.0.1:${taken.port}`)
    expect(String(error)).toMatch(/in use/i)
  })
})

describe('ensureRedis', () => {
  it('finds redis-server or valkey-server on PATH', () => {
    expect(findRedisServer()).toMatch(/\/(redis|valkey)-server$/)
    expect(ensureRedis()).toBe(findRedisServer())
  })

  it('says in one line how to install it where it is missing and cannot be installed, instead of skipping', () => {
    expect(findRedisServer('/nonexistent')).toBeUndefined()
    expect(() => ensureRedis({ path: '/nonexistent', uid: 1000 })).toThrow(
      'redis-server is missing: run "sudo apt-get install -y redis-server" (or install valkey-server); the shared-state tests start a real one.',
    )
  })
})
