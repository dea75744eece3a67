// One byte budget for all per-session state (retry rows, webhook writes, attempt counters), across
// every session and the requests without one. Each write is charged to its session before it is
// made; when the total passes the budget, the least recently used sessions are forgotten whole
// (never a part of one, so a session never sees half of its writes). A session whose own state
// alone would pass the budget starts afresh with the write. Pure: it only counts what it is told.

/** A book whose state the budget can forget in place (the session keeps using the same object). */
export interface Forgettable {
  /** Empties the book, keeping what must outlive its writes (e.g. the serial of created ids). */
  forget(): void
}

/** The session requests without X-Mock-Session belong to. */
export const NO_SESSION = Symbol('no session')
export type SessionKey = string | typeof NO_SESSION

export interface StateBudget {
  /** Charges `bytes` (negative: gives back) to a session's book; may forget other sessions, or this one, first. */
  charge(session: SessionKey, book: Forgettable, bytes: number): void
  /** Gives back what one book of a session holds (it was dropped: reset, expiry, eviction by count). */
  release(session: SessionKey, book: Forgettable): void
  /** Bytes charged now, all sessions together. */
  readonly used: number
  readonly maxBytes: number
}

/**
 * Creates the budget of one app.
 * @example
 * const budget = createStateBudget(64 * 1024 * 1024)
 * budget.charge('test-1', book, 3_700) // before adding a retry row to test-1's book
 */
export function createStateBudget(maxBytes: number): StateBudget {
  // Map order is use order (oldest first): eviction looks at the front only. Bytes are kept per
  // book, so a session's retry book and webhook book can be dropped apart (their stores expire apart).
  const sessions = new Map<SessionKey, { bytes: number; books: Map<Forgettable, number> }>()
  let used = 0
  const forget = (key: SessionKey) => {
    const entry = sessions.get(key)
    if (!entry) return
    for (const book of entry.books.keys()) book.forget()
    used -= entry.bytes
    sessions.delete(key)
  }
  return {
    charge(session, book, bytes) {
      let entry = sessions.get(session)
      sessions.delete(session)
      if (entry && bytes > 0 && entry.bytes + bytes > maxBytes) {
        // This session alone would pass the budget: it starts afresh, then makes the write.
        sessions.set(session, entry)
        forget(session)
        entry = undefined
      }
      entry ??= { bytes: 0, books: new Map() }
      sessions.set(session, entry)
      entry.books.set(book, (entry.books.get(book) ?? 0) + bytes)
      entry.bytes += bytes
      used += bytes
      for (const key of sessions.keys()) {
        if (used <= maxBytes || key === session) break
        forget(key)
      }
    },
    release(session, book) {
      const entry = sessions.get(session)
      const bytes = entry?.books.get(book)
      if (!entry || bytes === undefined) return
      entry.books.delete(book)
      entry.bytes -= bytes
      used -= bytes
      if (entry.books.size === 0) sessions.delete(session)
    },
    get used() {
      return used
    },
    maxBytes,
  }
}

/**
 * Rough bytes a string costs on the V8 heap (2 per character, to be safe with two-byte strings).
 * @example
 * stringBytes('abc') //=> 6
 */
export const stringBytes = (text: string | undefined): number => (text === undefined ? 0 : 2 * text.length)
