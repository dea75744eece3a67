// The answers' shared bytes (issue 28): a fixed buffer written round and round, so the journal's
// answer bodies take constant memory and only the newest stay readable.
import { describe, expect, it } from 'vitest'
import { createAnswerBytes } from '../../src/admin/answer-bytes.js'

describe("the journal's answer bytes", () => {
  it('reads back a text or bytes body whole, and the first bytes of a long one, marked truncated', () => {
    const bytes = createAnswerBytes(64)
    const text = bytes.write('{"a":1}', 16)
    const raw = bytes.write(new TextEncoder().encode('{"b":2}'), 16)
    const long = bytes.write('x'.repeat(40), 16)
    expect([bytes.read(text), bytes.read(raw), bytes.read(long)]).toEqual(['{"a":1}', '{"b":2}', 'x'.repeat(16)])
    expect([text.truncated, raw.truncated, long.truncated]).toEqual([false, false, true])
  })

  it('never keeps half a character of a text it cuts', () => {
    const bytes = createAnswerBytes(64)
    const cut = bytes.write('ab€€', 6) // a, b, then 3 bytes a euro: the second one does not fit
    expect(bytes.read(cut)).toBe('ab€')
    expect(cut).toMatchObject({ length: 5, truncated: true })
  })

  it('gives up an old body once newer ones have gone round past it, and never splits one at the end', () => {
    const bytes = createAnswerBytes(32)
    const first = bytes.write('0123456789ab', 16)
    const second = bytes.write('cdefghijklmn', 16)
    const third = bytes.write('ABCDEFGHIJKL', 16) // 24 + 12 > 32: starts at the beginning again, over the first
    expect(third.at).toBe(32)
    expect([bytes.read(first), bytes.read(second), bytes.read(third)]).toEqual([undefined, 'cdefghijklmn', 'ABCDEFGHIJKL'])
    const fourth = bytes.write('MNOPQRSTUVWX', 16) // over the second
    expect([bytes.read(second), bytes.read(third), bytes.read(fourth)]).toEqual([undefined, 'ABCDEFGHIJKL', 'MNOPQRSTUVWX'])
  })
})
