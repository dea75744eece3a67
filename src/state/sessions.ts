// Sessions and their per-session state. One registry per app says which sessions are alive: a
// session is forgotten whole (every store's part of it at once), and only when idle for `idleMs`;
// any use of any part keeps all of it alive. Beyond `max` sessions, the least recently used one
// that holds no writes goes (it reads exactly like a fresh one); sessions that hold writes are
// bounded by the state budget instead (budget.ts). Pure apart from the clock it is handed.
import { NO_SESSION, type Forgettable, type SessionKey, type StateBudget } from './budget.js'

export { NO_SESSION }

/** Default bounds: enough for a large parallel test run, small enough to stay flat in memory. */
export const SESSION_MAX = 1000
export const SESSION_IDLE_MS = 10 * 60 * 1000

export interface SessionRegistry {
  /** Counts a use of a session (it is alive from now on); forgets idle sessions first. */
  touch(id: string): void
  /** Counts a use of a session only if it is alive (a request naming it keeps it, never makes it). */
  refresh(id: string): void
  /** Forgets idle sessions, without counting a use. */
  sweep(): void
  /**
   * Notes that a session has a live delivery sending or waiting to retry: it is not idle (never
   * forgotten) until the returned release is called, and its idle time starts again then.
   */
  hold(id: string): () => void
  /** Notes that a session holds writes: it is then never dropped to make room, only when idle. */
  mark(id: string): void
  /** Forgets one session whole, or every session. */
  forget(id?: string): void
  /** Registers what a store drops when a session is forgotten. */
  onForget(drop: (id: string) => void): void
  /** Live sessions, least recently used first. */
  ids(): string[]
}

/**
 * The registry of one app's sessions.
 * @example
 * const registry = createSessionRegistry({ clock: () => performance.now() })
 * registry.touch('test-1') // test-1 and all its state stay alive for 10 more minutes
 */
export function createSessionRegistry({
  max = SESSION_MAX,
  idleMs = SESSION_IDLE_MS,
  clock,
}: {
  max?: number
  idleMs?: number
  clock: () => number
}): SessionRegistry {
  // Map order is use order (oldest first), so expiry looks at the front only.
  const entries = new Map<string, { usedAt: number; wrote: boolean; held?: number }>()
  const drops: ((id: string) => void)[] = []
  const forgetOne = (id: string) => {
    entries.delete(id)
    for (const drop of drops) drop(id)
  }
  const sweep = () => {
    const now = clock()
    for (const [id, entry] of entries) {
      if (entry.held) continue
      if (now - entry.usedAt < idleMs) break
      forgetOne(id)
    }
  }
  return {
    touch(id) {
      sweep()
      // The same entry object moves to the end (a hold's release finds it again).
      const entry = entries.get(id) ?? { usedAt: 0, wrote: false }
      entries.delete(id)
      entry.usedAt = clock()
      entries.set(id, entry)
      if (entries.size <= max) return
      // Too many: the least recently used session that holds no writes goes (none lost). When
      // every one holds writes they stay: the state budget bounds those.
      for (const [other, e] of entries) {
        if (other !== id && !e.wrote && !e.held) return forgetOne(other)
      }
    },
    refresh(id) {
      sweep()
      const entry = entries.get(id)
      if (!entry) return
      entries.delete(id)
      entries.set(id, { usedAt: clock(), wrote: entry.wrote })
    },
    sweep,
    hold(id) {
      this.touch(id)
      const entry = entries.get(id)!
      entry.held = (entry.held ?? 0) + 1
      let released = false
      return () => {
        if (released) return
        released = true
        const current = entries.get(id)
        if (current !== entry) return // forgotten by a reset meanwhile
        entry.held! -= 1
        // Idle from the end of its last delivery on.
        entries.delete(id)
        entry.usedAt = clock()
        entries.set(id, entry)
      }
    },
    mark(id) {
      const entry = entries.get(id)
      if (entry) entry.wrote = true
      else entries.set(id, { usedAt: clock(), wrote: true })
    },
    forget(id) {
      if (id !== undefined) return forgetOne(id)
      for (const key of [...entries.keys()]) forgetOne(key)
    },
    onForget(drop) {
      drops.push(drop)
    },
    ids() {
      sweep()
      return [...entries.keys()]
    },
  }
}

export interface SessionStoreOptions<T> {
  /** Builds the state of a session seen for the first time (or again after it was forgotten). */
  create: (id: string) => T
  /** The app's session registry (which sessions are alive); default a registry of this store alone. */
  registry?: SessionRegistry
  /** Bounds of the store's own registry when none is given. */
  max?: number
  idleMs?: number
  /** Milliseconds, only compared with each other (for the store's own registry). */
  clock?: () => number
  /** Told when a session's state is dropped (forgotten, or reset). */
  onDrop?: (id: string, state: T) => void
}

export interface SessionStore<T> {
  /** The session's state, created when missing; counts as a use of the session. */
  get(id: string): T
  /** The session's state if it is live, without creating it or counting a use. */
  peek(id: string): T | undefined
  /** Replaces the session's state (counts as a use). */
  set(id: string, state: T): void
  /** Drops this store's state of one session, or of all of them. */
  reset(id?: string): void
  /** Ids of the sessions this store holds state for, least recently used first. */
  ids(): string[]
  readonly size: number
}

/**
 * Creates a store of one kind of per-session state, alive as long as its session is.
 * @example
 * const store = createSessionStore({ create: () => ({ count: 0 }), registry })
 * store.get('test-1').count++
 */
export function createSessionStore<T>({ create, registry, max, idleMs, clock, onDrop }: SessionStoreOptions<T>): SessionStore<T> {
  const reg = registry ?? createSessionRegistry({ max, idleMs, clock: clock ?? (() => 0) })
  const entries = new Map<string, T>()
  const drop = (id: string) => {
    const state = entries.get(id)
    if (state !== undefined && entries.delete(id)) onDrop?.(id, state)
  }
  reg.onForget(drop)
  return {
    get(id) {
      reg.touch(id)
      let state = entries.get(id)
      if (state === undefined) entries.set(id, (state = create(id)))
      return state
    },
    peek(id) {
      reg.sweep()
      return entries.get(id)
    },
    set(id, state) {
      reg.touch(id)
      entries.set(id, state)
    },
    reset(id) {
      if (id !== undefined) return drop(id)
      for (const key of [...entries.keys()]) drop(key)
    },
    ids() {
      return reg.ids().filter((id) => entries.has(id))
    },
    get size() {
      reg.sweep()
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

/** A per-session book the state budget can charge (see budget.ts). */
export interface BudgetedBook extends Forgettable {
  /** Set by createSessionBooks: charges bytes to this book's session before a write (throws StateFull when it does not fit). */
  charge: (bytes: number) => void
}

/**
 * Per-session state kept as long as its session is alive (see the registry), and a separate state
 * for requests without a session, never forgotten. With a budget, every book (a BudgetedBook)
 * charges it before each write, and a write marks its session as holding writes.
 * @example
 * const books = createSessionBooks(createRetryBook, registry, createStateBudget(64 << 20))
 * books.book('test-1')
 * books.reset('test-1')
 */
export function createSessionBooks<T extends object>(create: (key: SessionKey) => T, registry: SessionRegistry, budget?: StateBudget): SessionBooks<T> {
  const make = (key: SessionKey): T => {
    const book = create(key)
    if (budget)
      (book as unknown as BudgetedBook).charge = (bytes) => {
        budget.charge(key, book as unknown as BudgetedBook, bytes)
        if (key !== NO_SESSION) registry.mark(key)
      }
    return book
  }
  const release = (key: SessionKey, book: T) => budget?.release(key, book as unknown as BudgetedBook)
  let global = make(NO_SESSION)
  const books = createSessionStore<T>({ create: make, registry, onDrop: release })
  return {
    // Requests without a session forget idle named sessions too, so their bytes come back.
    book: (session) => (session === undefined ? (registry.sweep(), global) : books.get(session)),
    reset(session) {
      if (session !== undefined) return books.reset(session)
      release(NO_SESSION, global)
      global = make(NO_SESSION)
      books.reset()
    },
  }
}
