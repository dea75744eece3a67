// The scheduler on its own, with an injected sender: its bounds and its cancellation.
import { describe, expect, it } from 'vitest'
import { createDeliveries, MAX_ACTIVE_DELIVERIES, MAX_LIVE_ROWS, type DeliveryJob } from '../../src/delivery/deliveries.js'
import type { SendResult } from '../../src/delivery/send.js'
import { createRetryBook, retriesOf } from '../../src/state/retries.js'

const target = {
  owner: 'agent' as const,
  ownerId: 'a',
  webhookId: 'w',
  url: 'http://127.0.0.1:9/hook',
  method: 'POST' as const,
  customHeaders: [],
  timeout: 30,
  maxRetries: 0,
  enabled: true,
}

function setup(send: (signal?: AbortSignal) => Promise<SendResult>) {
  const deliveries = createDeliveries({
    allow: [],
    sleep: async () => {},
    runId: 'test-run',
    now: () => 1_705_320_000_000,
    wallClock: () => Date.now(),
    clock: () => 0,
    send: (req) => send(req.signal),
  })
  const book = createRetryBook()
  const job = (): DeliveryJob => ({
    book,
    key: 'k',
    seed: 1,
    owner: 'agent',
    ownerId: 'a',
    webhookId: 'w',
    deliveryKey: deliveries.newKey({ seed: 1, owner: 'agent', ownerId: 'a', webhookId: 'w', session: '' }),
    event: 'event_phone_call_ended',
    payloadJson: '{}',
    target: () => target,
    firstAttempt: 1,
    automatic: true,
  })
  return { deliveries, book, job }
}

/** A sender that answers only when aborted. */
const hanging = (signal?: AbortSignal) =>
  new Promise<SendResult>((resolve) => signal?.addEventListener('abort', () => resolve({ kind: 'error', error: 'Cancelled', durationMs: 1, cancelled: true })))

describe('the delivery scheduler', () => {
  it(`refuses a delivery beyond ${MAX_ACTIVE_DELIVERIES} in flight, and every delivery once closed`, async () => {
    const { deliveries, job } = setup(hanging)
    for (let i = 0; i < MAX_ACTIVE_DELIVERIES; i++) expect(deliveries.start(job()).ok).toBe(true)
    expect(deliveries.start(job())).toEqual({ ok: false, reason: 'busy' })
    expect(deliveries.canStart()).toBe(false)
    await deliveries.close()
    expect(deliveries.active).toBe(0)
    expect(deliveries.start(job())).toEqual({ ok: false, reason: 'closed' })
  })

  it(`keeps at most ${MAX_LIVE_ROWS} live rows, dropping the oldest first`, async () => {
    const { deliveries, book, job } = setup(async () => ({ kind: 'response', status: 200, headers: {}, body: '', truncated: false, durationMs: 1 }))
    const first = deliveries.start(job())
    if (!first.ok) throw new Error('not started')
    await first.first
    for (let i = 1; i <= MAX_LIVE_ROWS; i++) {
      const next = deliveries.start(job())
      if (next.ok) await next.first
    }
    await deliveries.close()
    const rows = retriesOf(book, 'k')
    expect(rows).toHaveLength(MAX_LIVE_ROWS)
    expect(rows.some((e) => e.queued.id === first.logId)).toBe(false)
  })

  it(`never drops another session's live row: the bound of ${MAX_LIVE_ROWS} is per session`, async () => {
    const { deliveries, book, job } = setup(async () => ({ kind: 'response', status: 200, headers: {}, body: '', truncated: false, durationMs: 1 }))
    const s1Book = createRetryBook()
    const s1 = deliveries.start({ ...job(), session: 's1', book: s1Book })
    if (!s1.ok) throw new Error('not started')
    await s1.first
    for (let i = 0; i < MAX_LIVE_ROWS + 5; i++) {
      const next = deliveries.start(job())
      if (next.ok) await next.first
    }
    await deliveries.close()
    expect(retriesOf(s1Book, 'k').map((e) => e.queued.id)).toEqual([s1.logId])
    expect(retriesOf(book, 'k')).toHaveLength(MAX_LIVE_ROWS)
  })

  it('settles a cancelled attempt as failed, with no further attempt', async () => {
    const { deliveries, book, job } = setup(hanging)
    const started = deliveries.start({ ...job(), target: () => ({ ...target, maxRetries: 3 }) })
    if (!started.ok) throw new Error('not started')
    await deliveries.close()
    const { row } = await started.first
    expect(row).toMatchObject({ attempt: 1, status: 'failed', error: 'Cancelled' })
    expect(retriesOf(book, 'k')).toHaveLength(1)
  })
})
