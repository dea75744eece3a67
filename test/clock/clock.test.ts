import { describe, expect, it } from 'vitest'
import { createClocks, type ClockOptions } from '../../src/clock/clock.js'

const T0 = 1_705_320_000

/** Clocks over a fake real time the test moves by hand. */
function clocksAt(options: Partial<ClockOptions> = {}) {
  const real = { ms: 1_000 }
  let anchor = T0
  const clocks = createClocks({ mode: 'frozen', rate: 1, anchor: () => anchor, realMs: () => real.ms, ...options })
  return { clocks, real, setAnchor: (t: number) => (anchor = t) }
}

describe('a frozen clock', () => {
  it('stands at the anchor while real time passes, and moves only when told', () => {
    const { clocks, real } = clocksAt()
    real.ms += 3_600_000
    expect(clocks.of().now()).toBe(T0)
    expect(clocks.of().advance(1800)).toBe(T0 + 1800)
    expect(clocks.of().advance(1800)).toBe(T0 + 3600)
    expect(clocks.of().set(T0 + 7200)).toBe(T0 + 7200)
    expect(clocks.of().view()).toEqual({ now: '2024-01-15T14:00:00Z', anchor: '2024-01-15T12:00:00Z', mode: 'frozen', rate: 1 })
  })

  it('never moves backwards', () => {
    const { clocks } = clocksAt()
    clocks.of().advance(60)
    expect(() => clocks.of().set(T0)).toThrow('The clock only moves forward: 2024-01-15T12:00:00Z is before its current instant 2024-01-15T12:01:00Z.')
    expect(clocks.of().now()).toBe(T0 + 60)
  })

  it('gives each session its own clock, starting at the anchor, and resets one or all', () => {
    const { clocks } = clocksAt()
    clocks.of('A').advance(3600)
    clocks.of().advance(60)
    expect(clocks.of('B').now()).toBe(T0)
    expect(clocks.of('A').now()).toBe(T0 + 3600)
    clocks.reset('A')
    expect(clocks.of('A').now()).toBe(T0)
    expect(clocks.of().now()).toBe(T0 + 60)
    clocks.reset()
    expect(clocks.of().now()).toBe(T0)
  })

  it('starts afresh at a new anchor (PATCH /__mock/config now)', () => {
    const { clocks, setAnchor } = clocksAt()
    clocks.of().advance(60)
    setAnchor(T0 + 86_400)
    expect(clocks.of().now()).toBe(T0 + 86_400)
  })

  it('runs the retry clock with real time too, so a retry settles whether time passes or the clock moves', () => {
    const { clocks, real } = clocksAt()
    expect(clocks.of().retryMs()).toBe(T0 * 1000)
    real.ms += 1500
    expect(clocks.of().retryMs()).toBe(T0 * 1000 + 1500)
    clocks.of().advance(3600)
    expect(clocks.of().retryMs()).toBe((T0 + 3600) * 1000 + 1500)
  })
})

describe('a live clock', () => {
  it('runs from the anchor at rate × real time, in whole seconds', () => {
    const { clocks, real } = clocksAt({ mode: 'live', rate: 60 })
    expect(clocks.of().now()).toBe(T0)
    real.ms += 999
    expect(clocks.of().now()).toBe(T0 + 59)
    real.ms += 1
    expect(clocks.of().now()).toBe(T0 + 60)
    real.ms += 59_000
    expect(clocks.of().now()).toBe(T0 + 3600)
    expect(clocks.of().view()).toMatchObject({ now: '2024-01-15T13:00:00Z', mode: 'live', rate: 60 })
  })

  it('can still travel: advance and set add to the running time', () => {
    const { clocks, real } = clocksAt({ mode: 'live', rate: 1 })
    real.ms += 10_000
    clocks.of().advance(3600)
    expect(clocks.of().now()).toBe(T0 + 3610)
    clocks.of().set(T0 + 7200)
    real.ms += 5_000
    expect(clocks.of().now()).toBe(T0 + 7205)
  })

  it('starts a new session at the anchor, running from its first use', () => {
    const { clocks, real } = clocksAt({ mode: 'live', rate: 2 })
    real.ms += 10_000
    expect(clocks.of().now()).toBe(T0 + 20)
    expect(clocks.of('late').now()).toBe(T0)
    real.ms += 1_000
    expect(clocks.of('late').now()).toBe(T0 + 2)
  })
})
