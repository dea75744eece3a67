// One byte budget (--cache-mb) cut into the share of every cache.
import { describe, expect, it } from 'vitest'
import { cacheShares, DEFAULT_CACHE_MB } from '../../src/encode/cache-budget.js'

describe('the cache budget', () => {
  it.each([1, DEFAULT_CACHE_MB, 1024])('gives every cache a share of %i MB and never more than the whole', (mb) => {
    const total = mb * 1024 * 1024
    const shares = cacheShares(total)
    const sum = shares.pages + shares.answers + shares.segments + shares.profiles + shares.validation
    expect(sum).toBeLessThanOrEqual(total)
    expect(sum).toBeGreaterThan(total - 16)
    for (const share of Object.values(shares)) expect(share).toBeGreaterThan(0)
  })

  it('gives pages and the answers before Hono half, segments a quarter, profiles and validation results an eighth each', () => {
    const MB = 1024 * 1024
    expect(cacheShares(8 * MB)).toEqual({ pages: 3 * MB, answers: MB, segments: 2 * MB, profiles: MB, validation: MB })
  })
})
