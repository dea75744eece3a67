// Validation results of repeated URLs: every operation's memo counted in one byte budget, and only
// URLs validated twice are kept.
import { describe, expect, it } from 'vitest'
import { RESULT_BYTES, ValidationMemo } from '../../src/http/validation-memo.js'
import type { ValidationResult } from '../../src/http/validate.js'

const ok = { ok: true, input: { path: {}, query: {}, headers: {} } } as unknown as ValidationResult

describe('the validation memo', () => {
  it('holds the results of all operations within its budget, starting over when the next would pass it', () => {
    const memo = new ValidationMemo(64 * 1024)
    const list = memo.forOperation()
    const other = memo.forOperation()
    for (let i = 0; i < 10_000; i++) {
      const url = `/api/v1/agents/a/webhooks/w-${i}/logs?per_page=25`
      for (let twice = 0; twice < 2; twice++) memo.remember(i % 2 ? list : other, url, ok)
      expect(memo.bytes).toBeLessThanOrEqual(memo.maxBytes)
    }
    expect(memo.size).toBeGreaterThan(0)
    expect(memo.size).toBe(list.size + other.size)
    expect(memo.size).toBeLessThanOrEqual(Math.floor(memo.maxBytes / RESULT_BYTES))
  })

  it('keeps a result only the second time its URL is validated, so a crawl of new URLs keeps none', () => {
    const memo = new ValidationMemo(64 * 1024)
    const list = memo.forOperation()
    for (let i = 0; i < 10_000; i++) {
      memo.remember(list, `/api/v1/agents/a/webhooks/w-${i}/logs`, ok)
      expect(memo.bytes).toBeLessThanOrEqual(memo.maxBytes / 32)
    }
    expect(memo.size).toBe(0)
    memo.remember(list, '/again', ok)
    memo.remember(list, '/again', ok)
    expect(list.get('/again')).toBe(ok)
  })

  it('answers a remembered URL from its operation only', () => {
    const memo = new ValidationMemo(64 * 1024)
    const list = memo.forOperation()
    const other = memo.forOperation()
    expect(memo.remember(list, '/x', ok)).toBe(ok)
    expect(memo.remember(list, '/x', ok)).toBe(ok)
    expect(list.get('/x')).toBe(ok)
    expect(other.get('/x')).toBeUndefined()
  })

  it('freezes (keeps) a result only when it is remembered, never for a URL seen once', () => {
    const memo = new ValidationMemo(64 * 1024)
    const list = memo.forOperation()
    const kept: string[] = []
    const keep = (r: typeof ok) => (kept.push('kept'), Object.freeze({ ...r }))
    expect(memo.remember(list, '/once', ok, keep)).toBe(ok)
    expect(kept).toEqual([])
    const second = memo.remember(list, '/once', ok, keep)
    expect(kept).toEqual(['kept'])
    expect(Object.isFrozen(second) && list.get('/once') === second).toBe(true)
  })

  it('does not keep a URL too long for its budget', () => {
    const memo = new ValidationMemo(16 * 1024)
    const list = memo.forOperation()
    for (let twice = 0; twice < 2; twice++) memo.remember(list, `/${'x'.repeat(1024)}`, ok)
    expect(memo.size).toBe(0)
  })
})
