// createApp({ state }) in a test process: two apps on one real redis-server are one mock, over
// app.request, and aborting their signal lets go of the store.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createApp, readyOf } from '../../src/index.js'
import { mockClientsLeft, startRedis } from '../support/redis.js'

const AUTH = { Authorization: 'Bearer talq_in_process', 'Content-Type': 'application/json' }
const LOGS = '/api/v1/campaigns/campaign-uuid/webhooks/webhook-uuid-1/logs'
let redis: Awaited<ReturnType<typeof startRedis>>
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis?.stop()
})

it('makes two in-process apps on one store answer as one, and lets go of the store on abort', async () => {
  const abort = new AbortController()
  const a = createApp({ state: redis.url, retrySettleMs: 0, signal: abort.signal })
  const b = createApp({ state: redis.url, retrySettleMs: 0, signal: abort.signal })
  await readyOf(a)
  // b's first request waits until it is connected and caught up.
  const retried = await a.request(`${LOGS}/log-uuid-1/retry`, { method: 'POST', headers: AUTH })
  expect(retried.status).toBe(200)
  const { data } = (await retried.json()) as { data: { log_id: string } }
  const page = (await (await b.request(`${LOGS}?per_page=1`, { headers: AUTH })).json()) as { data: { id: string }[] }
  expect(page.data[0].id).toBe(data.log_id)
  // A replica that starts later applies the log first: it shows the retry, and a global reset made after it.
  const late = createApp({ state: redis.url, retrySettleMs: 0, signal: abort.signal })
  const first = (await (await late.request(`${LOGS}?per_page=1`, { headers: AUTH })).json()) as { data: { id: string }[] }
  expect(first.data[0].id).toBe(data.log_id)
  // A reset without a body nor a Content-Type, as `curl -X POST` sends it (the memory default takes it too).
  expect((await b.request('/__mock/reset', { method: 'POST' })).status).toBe(200)
  const after = (await (await late.request(`${LOGS}?per_page=1`, { headers: AUTH })).json()) as { data: { id: string }[] }
  expect(after.data[0].id).toBe('log-uuid-1')
  const later = createApp({ state: redis.url, retrySettleMs: 0, signal: abort.signal })
  expect(await (await later.request(`${LOGS}?per_page=1`, { headers: AUTH })).json()).toEqual(after)
  abort.abort()
  // Let go: the store sees no client of the mock left.
  expect(await mockClientsLeft(redis.url)).toBe('')
})

it('refuses a body over 1 MiB with the 413 of one process, never putting it in the log', async () => {
  const abort = new AbortController()
  const app = createApp({ state: redis.url, signal: abort.signal })
  await readyOf(app)
  const { Redis } = await import('ioredis')
  const probe = new Redis(redis.url)
  const before = await probe.xlen('talkover-mock:ops')
  // Streamed, without a Content-Length: the replica reads at most the cap.
  const chunk = new TextEncoder().encode('a'.repeat(64 * 1024))
  let sent = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= 40) return controller.close()
      sent++
      controller.enqueue(chunk)
    },
  })
  const res = await app.request('/api/v1/agents/agent-uuid/webhooks', { method: 'POST', body, headers: { ...AUTH }, duplex: 'half' } as RequestInit)
  expect(res.status).toBe(413)
  expect(await res.json()).toEqual(
    await (
      await createApp().request('/api/v1/agents/agent-uuid/webhooks', { method: 'POST', headers: { ...AUTH, 'content-length': String(2 * 1024 * 1024) } })
    ).json(),
  )
  expect(sent).toBeLessThan(40)
  expect(await probe.xlen('talkover-mock:ops')).toBe(before)
  probe.disconnect()
  abort.abort()
})
