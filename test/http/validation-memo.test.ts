// Validation results of repeated URLs: every operation's memo counted in one byte budget.
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
      memo.remember(i % 2 ? list : other, `/api/v1/agents/a/webhooks/w-${i}/logs?per_page=25`, ok)
      expect(memo.bytes).toBeLessThanOrEqual(memo.maxBytes)
    }
    expect(memo.size).toBeGreaterThan(0)
    expect(memo.size).toBe(list.size + other.size)
    expect(memo.size).toBeLessThanOrEqual(Math.floor(memo.maxBytes / RESULT_BYTES))
  })

  it('answers a remembered URL from its operation only', () => {
    const memo = new ValidationMemo(64 * 1024)
    const list = memo.forOperation()
    const other = memo.forOperation()
    expect(memo.remember(list, '/x', ok)).toBe(ok)
    expect(list.get('/x')).toBe(ok)
    expect(other.get('/x')).toBeUndefined()
  })

  it('does not keep a key longer than an eighth of its budget', () => {
    const memo = new ValidationMemo(16 * 1024)
    memo.remember(memo.forOperation(), `/${'x'.repeat(2048)}`, ok)
    expect(memo.size).toBe(0)
  })
})
