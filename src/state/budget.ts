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
  /** Forgets a session's accounting (its books were dropped: reset, expiry, eviction by count). */
  release(session: SessionKey): void
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
  // Map order is use order (oldest first): eviction looks at the front only.
  const sessions = new Map<SessionKey, { bytes: number; books: Set<Forgettable> }>()
  let used = 0
  const forget = (key: SessionKey) => {
    const entry = sessions.get(key)
    if (!entry) return
    for (const book of entry.books) book.forget()
    used -= entry.bytes
    sessions.delete(key)
  }
  return {
    charge(session, book, bytes) {
      let entry = sessions.get(session)
      sessions.delete(session)
      if (!entry) entry = { bytes: 0, books: new Set() }
      entry.books.add(book)
      sessions.set(session, entry)
      if (bytes > 0 && entry.bytes + bytes > maxBytes) {
        // This session alone would pass the budget: it starts afresh, then makes the write.
        forget(session)
        sessions.set(session, (entry = { bytes: 0, books: new Set([book]) }))
      }
      entry.bytes += bytes
      used += bytes
      for (const key of sessions.keys()) {
        if (used <= maxBytes || key === session) break
        forget(key)
      }
    },
    release(session) {
      const entry = sessions.get(session)
      if (!entry) return
      used -= entry.bytes
      sessions.delete(session)
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
