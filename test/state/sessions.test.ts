// The generic session store (bounded, LRU, idle expiry) and the bounded journal, with a fake clock.
import { describe, expect, it } from 'vitest'
import { createJournal } from '../../src/admin/journal.js'
import { createSessionStore } from '../../src/state/sessions.js'

function store(max = 3, idleMs = 1000) {
  let now = 0
  let created = 0
  const s = createSessionStore({ max, idleMs, create: (id) => ({ id, n: ++created, hits: 0 }), clock: () => now })
  return { s, advance: (ms: number) => (now += ms), created: () => created }
}

describe('session store', () => {
  it('creates a session on first use and returns the same state afterwards', () => {
    const { s, created } = store()
    s.get('a').hits++
    s.get('a').hits++
    expect(s.get('a')).toEqual({ id: 'a', n: 1, hits: 2 })
    expect(created()).toBe(1)
  })

  it('evicts the least recently used session beyond the bound', () => {
    const { s } = store(3)
    for (const id of ['a', 'b', 'c']) s.get(id)
    s.get('a')
    s.get('d')
    expect(s.ids()).toEqual(['c', 'a', 'd'])
    expect(s.size).toBe(3)
    expect(s.peek('b')).toBeUndefined()
  })

  it('forgets a session idle for idleMs and starts it afresh', () => {
    const { s, advance } = store(10, 1000)
    s.get('a').hits = 5
    s.get('b')
    advance(600)
    s.get('b')
    advance(400)
    expect(s.ids()).toEqual(['b'])
    expect(s.get('a')).toMatchObject({ hits: 0, n: 3 })
  })

  it('peeks without creating or refreshing', () => {
    const { s, advance } = store(10, 1000)
    expect(s.peek('x')).toBeUndefined()
    expect(s.size).toBe(0)
    s.get('y')
    advance(900)
    s.peek('y')
    advance(100)
    expect(s.peek('y')).toBeUndefined()
  })

  it('resets one session or all', () => {
    const { s } = store()
    s.get('a')
    s.get('b')
    s.reset('a')
    expect(s.ids()).toEqual(['b'])
    s.reset()
    expect(s.size).toBe(0)
  })

  it('stays at its bound under many distinct sessions', () => {
    const { s } = store(1000, 60_000)
    for (let i = 0; i < 50_000; i++) s.get(`t-${i}`)
    expect(s.size).toBe(1000)
    expect(s.ids()[0]).toBe('t-49000')
  })
})

describe('journal', () => {
  it('keeps the newest entries, newest first', () => {
    const j = createJournal<number>(3)
    for (let i = 1; i <= 5; i++) j.push(i)
    expect(j.list()).toEqual([5, 4, 3])
    expect(j.size).toBe(3)
    expect(j.list(undefined, 2)).toEqual([5, 4])
    expect(j.list((n) => n % 2 === 1)).toEqual([5, 3])
  })

  it('clears all entries or only matching ones', () => {
    const j = createJournal<number>(4)
    for (let i = 1; i <= 6; i++) j.push(i)
    j.clear((n) => n % 2 === 0)
    expect(j.list()).toEqual([5, 3])
    j.push(7)
    expect(j.list()).toEqual([7, 5, 3])
    j.clear()
    expect(j.list()).toEqual([])
  })

  it('keeps nothing with capacity 0', () => {
    const j = createJournal<number>(0)
    j.push(1)
    expect(j.list()).toEqual([])
  })
})
