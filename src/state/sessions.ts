// A bounded store of per-session state: at most `max` sessions, least recently used evicted
// first, and a session idle for `idleMs` forgotten. Generic, so any per-session state fits.
// Pure apart from the clock it is handed.
import { NO_SESSION, type Forgettable, type SessionKey, type StateBudget } from './budget.js'

export interface SessionStoreOptions<T> {
  /** Most sessions kept at once; the least recently used one goes first. */
  max: number
  /** A session not used for this long (ms) is forgotten; its next use starts afresh. */
  idleMs: number
  /** Builds the state of a session seen for the first time (or again after it expired). */
  create: (id: string) => T
  /** Milliseconds, only compared with each other. */
  clock: () => number
  /** Told when a session's state is dropped (expired, evicted by count, or reset). */
  onDrop?: (id: string, state: T) => void
}

export interface SessionStore<T> {
  /** The session's state, created when missing; counts as a use. */
  get(id: string): T
  /** The session's state if it is live, without creating it or counting a use. */
  peek(id: string): T | undefined
  /** Replaces the session's state (counts as a use). */
  set(id: string, state: T): void
  /** Forgets one session, or all of them. */
  reset(id?: string): void
  /** Ids of the live sessions, least recently used first. */
  ids(): string[]
  readonly size: number
}

/** Default bounds: enough for a large parallel test run, small enough to stay flat in memory. */
export const SESSION_MAX = 1000
export const SESSION_IDLE_MS = 10 * 60 * 1000

/**
 * Creates a session store.
 * @example
 * const store = createSessionStore({ max: 1000, idleMs: 600_000, create: () => ({ count: 0 }), clock })
 * store.get('test-1').count++
 */
export function createSessionStore<T>({ max, idleMs, create, clock, onDrop }: SessionStoreOptions<T>): SessionStore<T> {
  // Map order is use order (oldest first), so expiry and eviction both look at the front only.
  const entries = new Map<string, { state: T; usedAt: number }>()

  const sweep = (now: number) => {
    for (const [id, entry] of entries) {
      if (now - entry.usedAt < idleMs) break
      entries.delete(id)
      onDrop?.(id, entry.state)
    }
  }
  const touch = (id: string, state: T) => {
    const now = clock()
    entries.delete(id)
    entries.set(id, { state, usedAt: now })
    while (entries.size > max) {
      const [oldest, dropped] = entries.entries().next().value as [string, { state: T }]
      entries.delete(oldest)
      onDrop?.(oldest, dropped.state)
    }
    return state
  }

  return {
    get(id) {
      sweep(clock())
      const entry = entries.get(id)
      return touch(id, entry ? entry.state : create(id))
    },
    peek(id) {
      sweep(clock())
      return entries.get(id)?.state
    },
    set(id, state) {
      sweep(clock())
      touch(id, state)
    },
    reset(id) {
      if (id === undefined) {
        if (onDrop) for (const [key, entry] of entries) onDrop(key, entry.state)
        entries.clear()
      } else {
        const entry = entries.get(id)
        if (entry && entries.delete(id)) onDrop?.(id, entry.state)
      }
    },
    ids() {
      sweep(clock())
      return [...entries.keys()]
    },
    get size() {
      sweep(clock())
      return entries.size
    },
  }
}

/** State of one kind for every session, plus one for requests without X-Mock-Session. */
export interface SessionBooks<T> {
  /** The state of a session (or of requests without one), created when missing. */
  book(session?: string): T
  /** Forgets one session's state, or everybody's. */
  reset(session?: string): void
}

/** A per-session book the state budget can charge and forget (see budget.ts). */
export interface BudgetedBook extends Forgettable {
  /** Set by createSessionBooks: charges bytes to this book's session before a write. */
  charge: (bytes: number) => void
}

/**
 * Per-session state with the default bounds, and a separate state for requests without a session.
 * With a budget, every book (a BudgetedBook) charges it, and it forgets least recently used
 * sessions whole; without one (e.g. the clocks, a few numbers each) only the bounds apply.
 * @example
 * const books = createSessionBooks(createRetryBook, clock, createStateBudget(64 << 20))
 * books.book('test-1')
 * books.reset('test-1')
 */
export function createSessionBooks<T extends object>(create: () => T, clock: () => number, budget?: StateBudget): SessionBooks<T> {
  const make = (key: SessionKey): T => {
    const book = create()
    if (budget) (book as unknown as BudgetedBook).charge = (bytes) => budget.charge(key, book as unknown as BudgetedBook, bytes)
    return book
  }
  const release = (key: SessionKey, book: T) => budget?.release(key, book as unknown as BudgetedBook)
  let global = make(NO_SESSION)
  const books = createSessionStore<T>({ max: SESSION_MAX, idleMs: SESSION_IDLE_MS, create: make, clock, onDrop: release })
  return {
    book: (session) => (session === undefined ? global : books.get(session)),
    reset(session) {
      if (session !== undefined) return books.reset(session)
      release(NO_SESSION, global)
      global = make(NO_SESSION)
      books.reset()
    },
  }
}
