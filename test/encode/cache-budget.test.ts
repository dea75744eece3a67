// One byte budget (--cache-mb) cut into the share of every cache.
import { describe, expect, it } from 'vitest'
import { cacheShares, DEFAULT_CACHE_MB } from '../../src/encode/cache-budget.js'

describe('the cache budget', () => {
  it.each([1, DEFAULT_CACHE_MB, 1024])('gives every cache a share of %i MB and never more than the whole', (mb) => {
    const total = mb * 1024 * 1024
    const shares = cacheShares(total)
    const sum = shares.pages + shares.segments + shares.profiles + shares.validation
    expect(sum).toBeLessThanOrEqual(total)
    expect(sum).toBeGreaterThan(total - 8)
    for (const share of Object.values(shares)) expect(share).toBeGreaterThan(0)
  })

  it('gives encoded pages half, segments a quarter, profiles and validation results an eighth each', () => {
    expect(cacheShares(8 * 1024 * 1024)).toEqual({ pages: 4 * 1024 * 1024, segments: 2 * 1024 * 1024, profiles: 1024 * 1024, validation: 1024 * 1024 })
  })
})
