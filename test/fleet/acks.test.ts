// A replica's bookkeeping of the others' acknowledgements: a write waits for every live replica to
// have applied it, a barrier for every live replica to have flushed, neither longer than 2 s.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ACK_TIMEOUT_MS, createAcks } from '../../src/fleet/acks.js'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

const settled = (promise: Promise<unknown>) => {
  let done = false
  void promise.then(() => (done = true))
  return () => done
}

describe('acknowledgements', () => {
  it('let a write go on once every live replica has applied it or a later write', async () => {
    const acks = createAcks()
    const done = settled(acks.applied('10-0', ['r2', 'r3']))
    acks.received('r2', '10-0')
    await vi.advanceTimersByTimeAsync(0)
    expect(done()).toBe(false)
    acks.received('r3', '11-0')
    await vi.advanceTimersByTimeAsync(0)
    expect(done()).toBe(true)
  })

  it('give up on a replica that stopped answering after the timeout, and say so', async () => {
    const lines: string[] = []
    const acks = createAcks({ log: (line) => lines.push(line) })
    const done = settled(acks.applied('10-0', ['r2']))
    await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS - 1)
    expect(done()).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(done()).toBe(true)
    expect(lines).toEqual([`talkover-mock: 1 replica(s) did not acknowledge the write 10-0 within ${ACK_TIMEOUT_MS} ms; answering anyway`])
  })

  it('forget a replica no longer alive: one that comes back must acknowledge the new write', async () => {
    const acks = createAcks()
    acks.received('r2', '20-0')
    await acks.applied('20-0', ['r2'])
    await acks.applied('21-0', [])
    const done = settled(acks.applied('15-0', ['r2']))
    await vi.advanceTimersByTimeAsync(0)
    expect(done()).toBe(false)
    acks.received('r2', '21-0')
    await vi.advanceTimersByTimeAsync(0)
    expect(done()).toBe(true)
  })

  it('end a barrier once every live replica and this one have flushed', async () => {
    const acks = createAcks()
    let nonce = ''
    let flushed = false
    const done = settled(
      acks.barrier(
        ['r2'],
        async (n) => {
          nonce = n
        },
        async () => {
          flushed = true
        },
      ),
    )
    await vi.advanceTimersByTimeAsync(0)
    expect(flushed).toBe(true)
    expect(done()).toBe(false)
    acks.received('r2', `sync:${nonce}`)
    await vi.advanceTimersByTimeAsync(0)
    expect(done()).toBe(true)
  })
})
