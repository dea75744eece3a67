// The byte-bounded memo every cache is made of: it never holds more than its budget, whatever is
// asked, and with a doorkeeper it keeps only what is asked for twice.
import { describe, expect, it } from 'vitest'
import { ENTRY_OVERHEAD_BYTES, entryBytes, Lru } from '../../src/encode/lru.js'

const budget = (entries: number, valueBytes: number, key = 'k-0000') => entries * entryBytes(key, valueBytes)

describe('an Lru bounded by bytes', () => {
  it('never holds more than its budget while computing many distinct keys, and keeps the recently used', () => {
    const lru = new Lru<number>(budget(10, 100), () => 100)
    let computed = 0
    const get = (key: string) => lru.get(key, () => ++computed)
    for (let i = 0; i < 10_000; i++) {
      get(`k-${String(i).padStart(4, '0')}`)
      get('k-hot1') // asked for all the time: never evicted
      expect(lru.bytes).toBeLessThanOrEqual(lru.maxBytes)
    }
    expect(lru.size).toBe(10)
    const before = computed
    get('k-hot1')
    expect(computed).toBe(before)
  })

  it('counts each entry as its key, its overhead and its value', () => {
    const lru = new Lru<string>(1_000_000, (value) => value.length)
    lru.get('abc', () => 'x'.repeat(500))
    expect(lru.bytes).toBe(3 + ENTRY_OVERHEAD_BYTES + 500)
  })

  it('returns but never keeps a value larger than an eighth of its budget', () => {
    const lru = new Lru<number>(8 * entryBytes('big', 1000), (n) => n)
    expect(lru.get('big', () => 1001)).toBe(1001)
    expect(lru.size).toBe(0)
    lru.get('big', () => 1000)
    expect(lru.size).toBe(1)
  })

  it('forgets everything on clear()', () => {
    const lru = new Lru<number>(budget(4, 8), () => 8, { admitOnSecondMiss: true })
    lru.get('a', () => 1)
    lru.get('a', () => 1)
    lru.clear()
    expect([lru.size, lru.bytes]).toEqual([0, 0])
  })
})

describe('an Lru that admits on the second miss', () => {
  it('computes a value asked for once without keeping it, and keeps it when asked again', () => {
    const lru = new Lru<number>(1024 * 1024, () => 100, { admitOnSecondMiss: true })
    let computed = 0
    lru.get('once', () => ++computed)
    expect(lru.size).toBe(0)
    lru.get('once', () => ++computed)
    expect(lru.size).toBe(1)
    lru.get('once', () => ++computed)
    expect(computed).toBe(2)
  })

  it('remembers recent misses within a 32nd of its budget, so a long crawl of new keys keeps nothing and stays bounded', () => {
    const lru = new Lru<number>(64 * 1024, () => 100, { admitOnSecondMiss: true })
    for (let i = 0; i < 100_000; i++) {
      lru.get(`page-${i}`, () => i)
      expect(lru.bytes).toBeLessThanOrEqual((64 * 1024) / 32)
    }
    expect(lru.size).toBe(0)
  })

  it('forgets a miss once the recent misses have moved on, then needs two misses again', () => {
    const lru = new Lru<number>(32 * entryBytes('k-000', 0) * 4, () => 8, { admitOnSecondMiss: true })
    lru.get('old', () => 1)
    for (let i = 0; i < 1000; i++) lru.get(`k-${String(i).padStart(3, '0')}`, () => i)
    lru.get('old', () => 1)
    expect(lru.size).toBe(0)
  })
})
