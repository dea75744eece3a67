// One byte budget for all per-session state (retry rows, webhook writes, attempt counters), across
// every session and the requests without one. Each write is charged to its session before it is
// made; a write that would pass the budget is refused (StateFull, answered 409 with a sentence)
// and changes nothing. The budget never forgets anything to make room: only idle named sessions
// are forgotten, whole (sessions.ts), and their bytes given back. Pure: it only counts what it is told.

/** Thrown by a charge that does not fit: the write is refused before anything changed. */
export class StateFull extends Error {
  override name = 'StateFull'
}

/** A book whose state the budget can forget in place (the session keeps using the same object). */
export interface Forgettable {
  /** Empties the book, keeping what must outlive its writes (e.g. the serial of created ids). */
  forget(): void
}

/** The session requests without X-Mock-Session belong to. */
export const NO_SESSION = Symbol('no session')
export type SessionKey = string | typeof NO_SESSION

export interface StateBudget {
  /** Charges `bytes` (negative: gives back) to a session's book; throws StateFull, changing nothing, when it does not fit. */
  charge(session: SessionKey, book: Forgettable, bytes: number): void
  /** Gives back what one book of a session holds (it was dropped: reset, or its session forgotten). */
  release(session: SessionKey, book: Forgettable): void
  /** Bytes charged now, all sessions together. */
  readonly used: number
  readonly maxBytes: number
}

/**
 * Creates the budget of one app.
 * @example
 * const budget = createStateBudget(64 * 1024 * 1024)
 * budget.charge('test-1', book, 3_700) // before adding a retry row to test-1's book; throws StateFull when full
 */
export function createStateBudget(maxBytes: number): StateBudget {
  // Bytes are kept per book, so a book dropped on its own (a reset of one kind) gives back its own.
  const sessions = new Map<SessionKey, Map<Forgettable, number>>()
  let used = 0
  return {
    charge(session, book, bytes) {
      if (bytes > 0 && used + bytes > maxBytes) {
        const mb = Math.round(maxBytes / (1024 * 1024))
        throw new StateFull(
          `The mock's state is full: all sessions' retries and webhook writes together hold the --state-budget-mb of ${mb} MB, so this write was refused and nothing changed. Reset sessions you no longer need (POST /__mock/reset?session=<id>; idle sessions are forgotten after 10 minutes) or start the mock with a larger --state-budget-mb (its heap needs 1 MB more --max-old-space-size in NODE_OPTIONS for each MB over 64).`,
        )
      }
      let books = sessions.get(session)
      if (!books) sessions.set(session, (books = new Map()))
      books.set(book, (books.get(book) ?? 0) + bytes)
      used += bytes
    },
    release(session, book) {
      const books = sessions.get(session)
      const bytes = books?.get(book)
      if (!books || bytes === undefined) return
      books.delete(book)
      used -= bytes
      if (books.size === 0) sessions.delete(session)
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
