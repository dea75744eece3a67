// Live delivery on three replicas sharing one real redis-server: each attempt reaches the
// receiver exactly once (one replica holds the delivery lease), every replica logs the same rows,
// and when the lease holder stops, another resumes the schedule.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src/server.js'
import { startReceiver, type Reply, type TestReceiver } from '../support/receiver.js'
import { startRedis } from '../support/redis.js'

const AUTH = { Authorization: 'Bearer talq_fleet_test', 'Content-Type': 'application/json' }
const SECRET = `whsec_${Buffer.from('a test secret of 32 bytes, exact').toString('base64')}`

let redis: Awaited<ReturnType<typeof startRedis>>
const running: RunningServer[] = []
const receivers: TestReceiver[] = []

beforeAll(async () => {
  redis = await startRedis()
})
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()))
  await Promise.all(receivers.splice(0).map((r) => r.close()))
  // A fresh fleet per test: the log and the lease of the last one go.
  const { Redis } = await import('ioredis')
  const client = new Redis(redis.url)
  await client.flushall()
  client.disconnect()
})
afterAll(async () => {
  await redis?.stop()
})

/** Three live replicas (each with its own log lines) and a receiver answering `replies`. */
async function fleet(replies: Reply[], backoff: string) {
  const receiver = await startReceiver(replies)
  receivers.push(receiver)
  const lines: string[][] = [[], [], []]
  const replicas: RunningServer[] = []
  for (const i of [0, 1, 2]) {
    const server = await startServer({ seed: 5, state: redis.url, deliver: 'live', deliverBackoff: backoff, log: (line) => lines[i].push(line) })
    replicas.push(server)
    running.push(server)
  }
  const call = async (i: number, method: string, path: string, body?: unknown) => {
    const res = await fetch(replicas[i].url + path, { method, headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) })
    return { status: res.status, body: (await res.json()) as any }
  }
  const created = await call(0, 'POST', '/api/v1/agents/agent-uuid/webhooks', {
    name: 'Fleet receiver',
    webhook_url: receiver.url,
    webhook_secret: SECRET,
    events: ['event_phone_call_ended'],
    max_retries: 3,
  })
  expect(created.status).toBe(201)
  const webhookId: string = created.body.data.id
  const logsOf = async (i: number) => (await call(i, 'GET', `/api/v1/agents/agent-uuid/webhooks/${webhookId}/logs?per_page=100`)).body.data
  return { receiver, replicas, lines, call, webhookId, logsOf }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const value = await probe()
    if (value !== undefined) return value
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('live delivery on three replicas', () => {
  it('sends each attempt once, and every replica logs the same three rows', async () => {
    const { receiver, call, webhookId, logsOf } = await fleet([{ status: 500 }, { status: 503 }, { status: 200, body: '{"ok":true}' }], '1')
    const queued = await call(1, 'POST', '/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: webhookId, event: 'event_phone_call_ended' })
    expect(queued.status).toBe(202)
    const rows = await until('three settled rows', async () => {
      const data = await logsOf(2)
      return data.length >= 3 && data[0].status === 'success' ? data : undefined
    })
    expect(rows.slice(0, 3).map((r: any) => [r.attempt, r.status, r.http_status])).toEqual([
      [3, 'success', 200],
      [2, 'retrying', 503],
      [1, 'retrying', 500],
    ])
    // A moment for a duplicate to show up, if any replica were to send one.
    await new Promise((r) => setTimeout(r, 1500))
    expect(receiver.received).toHaveLength(3)
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1)
    const [a, b, c] = await Promise.all([0, 1, 2].map(logsOf))
    expect(b).toEqual(a)
    expect(c).toEqual(a)
    // The fleet's journal holds each attempt once.
    const journal = await call(0, 'GET', '/__mock/requests?limit=1000')
    expect(journal.body.data.filter((e: any) => e.delivery).map((e: any) => e.delivery.attempt)).toEqual([3, 2, 1])
  }, 40_000)

  it('resumes the schedule on another replica when the lease holder stops', async () => {
    const { receiver, replicas, lines, call, webhookId, logsOf } = await fleet([{ status: 500 }, { status: 500 }, { status: 200 }], '2')
    const holder = await until('a lease holder', async () => {
      const i = lines.findIndex((l) => l.some((line) => line.includes('holds the delivery lease')))
      return i < 0 ? undefined : i
    })
    const other = (holder + 1) % 3
    await call(other, 'POST', '/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: webhookId, event: 'event_phone_call_ended' })
    await until('the first attempt', async () => (receiver.received.length >= 1 ? true : undefined))
    await replicas[holder].close()
    const rows = await until('three settled rows', async () => {
      const data = await logsOf(other)
      return data.length >= 3 && data[0].status === 'success' ? data : undefined
    })
    expect(rows.slice(0, 3).map((r: any) => [r.attempt, r.http_status])).toEqual([
      [3, 200],
      [2, 500],
      [1, 500],
    ])
    expect(receiver.received).toHaveLength(3)
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1)
  }, 40_000)

  it('sends every attempt once while the connections to the store drop and come back', async () => {
    const replies: Reply[] = Array.from({ length: 3 }, () => [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 200 }]).flat() as Reply[]
    const { receiver, call, webhookId, logsOf } = await fleet(replies, '1')
    for (let i = 0; i < 3; i++) {
      const queued = await call(i, 'POST', '/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: webhookId, event: 'event_phone_call_ended' })
      expect(queued.status).toBe(202)
    }
    const { Redis } = await import('ioredis')
    const admin = new Redis(redis.url)
    for (let blip = 0; blip < 3; blip++) {
      await new Promise((r) => setTimeout(r, 700))
      await admin.client('KILL', 'TYPE', 'normal')
      await admin.client('KILL', 'TYPE', 'pubsub')
    }
    admin.disconnect()
    // Settled: no delivery sending or waiting on any replica.
    await until(
      'every delivery settled',
      async () => {
        const active = await Promise.all([0, 1, 2].map(async (n) => (await call(n, 'GET', '/__mock/deliveries')).body.active as number))
        return active.every((n) => n === 0) ? true : undefined
      },
      40_000,
    )
    await new Promise((r) => setTimeout(r, 1500))
    const [a, b, c] = await Promise.all([0, 1, 2].map(logsOf))
    expect(b).toEqual(a)
    expect(c).toEqual(a)
    // Each attempt reached the receiver once: as many requests as attempt rows, three deliveries.
    const attempts = a.filter((r: any) => r.status !== 'pending' && r.webhook_id === webhookId)
    expect(attempts.length).toBeGreaterThanOrEqual(6)
    expect(receiver.received).toHaveLength(attempts.length)
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(3)
  }, 60_000)
})
