// The journal is bounded by bytes as well as by entries: a journal of 100000 entries cannot be
// filled with large requests until the heap runs out.
import { describe, expect, it } from 'vitest'
import { JOURNAL_BYTES, JOURNAL_HEADER_BYTES, entryBytes, keptHeaders } from '../../src/admin/entry-bounds.js'
import { createJournal } from '../../src/admin/journal.js'
import { createApp } from '../../src/app.js'
import { DOCS_LOGS, get } from '../support/http.js'

describe('a journal with a byte budget', () => {
  const weigh = (s: string) => s.length

  it('drops the oldest entries while the entries weigh more than the budget', () => {
    const journal = createJournal<string>(100, { maxBytes: 5, weigh })
    for (const s of ['abc', 'de', 'f']) journal.push(s)
    expect(journal.list()).toEqual(['f', 'de'])
    expect(journal.size).toBe(2)
  })

  it('always keeps the newest entry, even one heavier than the budget', () => {
    const journal = createJournal<string>(100, { maxBytes: 5, weigh })
    journal.push('ab')
    journal.push('abcdefgh')
    expect(journal.list()).toEqual(['abcdefgh'])
  })

  it('still keeps at most capacity entries, and forgets the weight of what it overwrote', () => {
    const journal = createJournal<string>(2, { maxBytes: 4, weigh })
    for (const s of ['aa', 'bb', 'c', 'd']) journal.push(s)
    expect(journal.list()).toEqual(['d', 'c'])
    journal.push('ee')
    expect(journal.list()).toEqual(['ee', 'd'])
  })

  it('counts again from what a filtered clear keeps', () => {
    const journal = createJournal<string>(10, { maxBytes: 6, weigh })
    for (const s of ['aa', 'bb', 'cc']) journal.push(s)
    journal.clear((s) => s === 'bb')
    journal.push('ddd')
    expect(journal.list()).toEqual(['ddd', 'cc'])
  })
})

describe('what one entry keeps of its headers', () => {
  it('keeps a small header list by reference', () => {
    const raw = ['Content-Type', 'application/json', 'Authorization', 'Bearer talq_x']
    expect(keptHeaders(raw).headers).toBe(raw)
  })

  it(`keeps names and shown values only, within ${JOURNAL_HEADER_BYTES} bytes and 64 headers, of a large list`, () => {
    const raw = ['User-Agent', 'ua', 'X-Pad', 'x'.repeat(20_000)]
    for (let i = 0; i < 100; i++) raw.push(`X-H-${i}`, 'v')
    const { headers, truncated } = keptHeaders(raw)
    expect(truncated).toBe(true)
    expect(headers).toEqual(expect.arrayContaining(['User-Agent', 'ua', 'X-Pad', '[redacted]']))
    expect((headers as string[]).length).toBe(128)
    expect((headers as string[]).join('').length).toBeLessThanOrEqual(JOURNAL_HEADER_BYTES)
  })
})

describe('the journal of an app', () => {
  it(`holds at most ${JOURNAL_BYTES} bytes of entries however large the requests: --journal-size 100000 with 64 KiB queries`, async () => {
    const app = createApp({ journalSize: 100_000 })
    const pad = `?pad=${'x'.repeat(64 * 1024)}`
    const n = Math.ceil(JOURNAL_BYTES / (64 * 1024)) + 50
    for (let i = 0; i < n; i++) await get(app, `${DOCS_LOGS}${pad}`)
    const res = await app.request('/__mock/requests/count')
    const { count } = (await res.json()).data
    expect(count).toBeLessThan(n)
    expect(count).toBeGreaterThan(400)
    expect(count * entryBytes({ seq: 1, time: 0, method: 'GET', path: DOCS_LOGS, query: pad.slice(1), duration_ms: 0 })).toBeLessThanOrEqual(JOURNAL_BYTES)
  })
})
