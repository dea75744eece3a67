// The delivery gate on its own, with a store whose appends fail for a while: the lease holder
// appends a wait's tick and an attempt's outcome again until the store takes them, so no schedule
// stalls and no attempt is sent twice (the end-to-end test over real connections, deliveries.test.ts,
// depends on when the connections drop; this one does not).
import { describe, expect, it } from 'vitest'
import { createDeliveryGate, type GateOp } from '../../src/fleet/delivery-gate.js'
import type { RedisLog } from '../../src/fleet/redis-log.js'

type Req = { body: string; signal?: AbortSignal }

/** A gate holding the lease whose first `failures` appends fail; each taken op is applied back, as the log would. */
function gateWithFlakyStore(failures: number) {
  const redis = { up: () => true, lease: async () => true } as unknown as RedisLog
  const attempts: Omit<GateOp, 'origin' | 'nonce' | 'at'>[] = []
  const sent: Req[] = []
  let left = failures
  const gate = createDeliveryGate<Req, string>({
    redis,
    replica: 'r1',
    wallClock: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    send: async (req) => {
      sent.push(req)
      return `answered ${req.body}`
    },
    commit: async (op) => {
      attempts.push(op)
      if (left-- > 0) throw new Error('the store is away')
      queueMicrotask(() => {
        gate.apply({ ...op, origin: 'r1', nonce: String(attempts.length), at: Date.now() })
        gate.applied()
      })
    },
  })
  return { gate, attempts, sent }
}

describe('the delivery gate while the store refuses appends', () => {
  it("appends a wait's tick again until the store takes it, then the wait ends", async () => {
    const { gate, attempts } = gateWithFlakyStore(2)
    gate.start()
    await new Promise((resolve) => setTimeout(resolve, 20))
    await gate.sleep(10, undefined, 'delivery-1:wait-1')
    gate.stop()
    expect(attempts.map((op) => op.kind)).toEqual(['tick', 'tick', 'tick'])
  })

  it("appends an attempt's outcome again until the store takes it, and sends the attempt once", async () => {
    const { gate, attempts, sent } = gateWithFlakyStore(2)
    gate.start()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(await gate.send({ body: 'attempt 1' }, 'delivery-1:attempt-1')).toBe('answered attempt 1')
    gate.stop()
    expect(sent).toHaveLength(1)
    expect(attempts.map((op) => [op.kind, op.result])).toEqual([
      ['result', 'answered attempt 1'],
      ['result', 'answered attempt 1'],
      ['result', 'answered attempt 1'],
    ])
  })
})
