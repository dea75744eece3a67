// A bounded journal of recent requests: a ring buffer that keeps the newest `capacity` entries,
// so memory stays flat under any load. Pure.

export interface Journal<T> {
  push(entry: T): void
  /** Entries newest first, optionally filtered, at most `limit` of them. */
  list(filter?: (entry: T) => boolean, limit?: number): T[]
  /** Drops the entries matching `filter`, or all of them. */
  clear(filter?: (entry: T) => boolean): void
  readonly size: number
  readonly capacity: number
}

/**
 * Creates a journal holding at most `capacity` entries (0 keeps none).
 * @example
 * const journal = createJournal<number>(2)
 * journal.push(1); journal.push(2); journal.push(3)
 * journal.list() //=> [3, 2]
 */
export function createJournal<T>(capacity: number): Journal<T> {
  let ring: (T | undefined)[] = new Array(capacity)
  let next = 0
  let size = 0

  return {
    push(entry) {
      if (capacity === 0) return
      ring[next] = entry
      next = (next + 1) % capacity
      size = Math.min(size + 1, capacity)
    },
    list(filter, limit = Infinity) {
      const out: T[] = []
      for (let i = 1; i <= size && out.length < limit; i++) {
        const entry = ring[(next - i + capacity) % capacity] as T
        if (!filter || filter(entry)) out.push(entry)
      }
      return out
    },
    clear(filter) {
      const kept = filter ? this.list((e) => !filter(e)).reverse() : []
      ring = new Array(capacity)
      next = 0
      size = 0
      for (const entry of kept) this.push(entry)
    },
    get size() {
      return size
    },
    capacity,
  }
}
