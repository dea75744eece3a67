import { describe, expect, it } from 'vitest'
import { honourRetryAfter, parseBackoff, waitAfter } from '../../src/delivery/backoff.js'

describe('the retry schedule', () => {
  it("defaults to the generated world's backoff without jitter", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map((a) => waitAfter(undefined, a))).toEqual([10, 30, 90, 270, 810, 2430, 3600, 3600].map((s) => s * 1000))
  })

  it('follows --deliver-backoff, repeating its last value', () => {
    expect([1, 2, 3, 4, 9].map((a) => waitAfter([1, 2, 4], a))).toEqual([1000, 2000, 4000, 4000, 4000])
    expect(waitAfter([0.05], 3)).toBe(50)
  })

  it.each([
    ['1,2,4', [1, 2, 4]],
    ['0.5, 1.25', [0.5, 1.25]],
    ['.1', [0.1]],
    ['0', [0]],
  ])('parses %s', (raw, list) => expect(parseBackoff(raw)).toEqual(list))

  it.each(['', '1,,2', '-1', 'abc', '1e3', '86401', '0.0001'])('refuses %j with a reason', (raw) => {
    expect(typeof parseBackoff(raw)).toBe('string')
  })
})

describe('Retry-After on 429 and 503', () => {
  const now = Date.parse('2024-01-15T12:00:00Z')
  it('is honoured in seconds or as an HTTP date, up to twice the scheduled wait', () => {
    expect(honourRetryAfter('1', 2000, now)).toBe(1000)
    expect(honourRetryAfter('3', 2000, now)).toBe(3000)
    expect(honourRetryAfter('60', 2000, now)).toBe(4000)
    expect(honourRetryAfter('Mon, 15 Jan 2024 12:00:03 GMT', 2000, now)).toBe(3000)
    expect(honourRetryAfter('Mon, 15 Jan 2024 11:00:00 GMT', 2000, now)).toBe(0)
  })

  it('falls back to the schedule when absent or unreadable', () => {
    expect(honourRetryAfter(undefined, 2000, now)).toBe(2000)
    expect(honourRetryAfter('soon', 2000, now)).toBe(2000)
  })
})
