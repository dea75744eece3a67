// startServer on a store whose port is taken: listening fails after the store connected, and the
// mock lets go of the store instead of keeping its connections open in the caller's process.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startServer } from '../../src/server.js'
import { mockClientsLeft, startRedis } from '../support/redis.js'

let redis: Awaited<ReturnType<typeof startRedis>>
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis?.stop()
})

it('lets go of the store when the port it was asked for is taken', async () => {
  const first = await startServer({ seed: 1 })
  try {
    await expect(startServer({ port: first.port, state: redis.url })).rejects.toThrow(/EADDRINUSE/)
  } finally {
    await first.close()
  }
  expect(await mockClientsLeft(redis.url)).toBe('')
})
