// The store failing: unreachable at start is refused with one sentence (no password shown); lost
// later, writes answer 503 naming the store while pure reads keep answering, and the replicas
// reconnect by themselves once it is back.
import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src/server.js'
import { startRedis } from '../support/redis.js'

const AUTH = { Authorization: 'Bearer talq_fleet_test', 'Content-Type': 'application/json' }
const LOGS = '/api/v1/campaigns/campaign-uuid/webhooks/webhook-uuid-1/logs'

const closing: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close()
})

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('a store that cannot be reached', () => {
  it('refuses to start with one sentence naming the store, never its password', async () => {
    const port = await closedPort()
    const error = await startServer({ state: `redis://:s3cret-pass@127.0.0.1:${port}/2` }).then(
      () => undefined,
      (e: Error) => e,
    )
    expect(error?.name).toBe('StoreUnavailable')
    expect(error?.message).toContain(`The state store redis://127.0.0.1:${port}/2 cannot be reached`)
    expect(error?.message).toMatch(/start it, or point --state \(TALKOVER_MOCK_STATE\) at a running Valkey\/Redis/)
    expect(error?.message).not.toContain('s3cret')
  })
})

describe('a store lost while serving', () => {
  it('answers writes 503 naming it, keeps answering pure reads, and takes writes again once it is back', async () => {
    let redis = await startRedis()
    const port = redis.port
    closing.push(() => redis.stop())
    const [a, b] = await Promise.all([0, 1].map(() => startServer({ seed: 3, state: redis.url, retrySettleMs: 0 })))
    closing.push(
      () => a.close(),
      () => b.close(),
    )
    const get = (s: RunningServer, path: string) => fetch(s.url + path, { headers: AUTH })
    const patch = (s: RunningServer, body: unknown) => fetch(`${s.url}/__mock/config`, { method: 'PATCH', headers: AUTH, body: JSON.stringify(body) })
    const before = await (await get(a, `${LOGS}?per_page=2`)).text()

    await redis.stop()
    const refused = await patch(a, { fail_next: 1 })
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('1')
    expect(await refused.json()).toEqual({ success: false, message: expect.stringContaining(`The state store redis://127.0.0.1:${port} cannot be reached`) })
    const retry = await fetch(`${b.url}${LOGS}/log-uuid-1/retry`, { method: 'POST', headers: AUTH })
    expect(retry.status).toBe(503)
    // Pure reads answer from memory, the same bytes as before.
    const read = await get(b, `${LOGS}?per_page=2`)
    expect(read.status).toBe(200)
    expect(await read.text()).toBe(before)
    // Nothing was half-made: the refused script changed nothing on either replica.
    expect(await (await get(a, `${LOGS}?per_page=1`)).status).toBe(200)

    redis = await startRedis({ port })
    let status = 0
    for (let i = 0; i < 100 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100))
      status = (await patch(a, { fail_next: 1 })).status
    }
    expect(status).toBe(200)
    // Applied everywhere: the next request, on the other replica, fails as scripted.
    expect((await get(b, `${LOGS}?per_page=1`)).status).toBe(500)
    expect((await get(a, `${LOGS}?per_page=1`)).status).toBe(200)
  }, 30_000)
})
