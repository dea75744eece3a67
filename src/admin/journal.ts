// A bounded journal of recent requests: a ring buffer that keeps the newest `capacity` entries
// and, when given a byte budget, drops the oldest ones while the entries weigh more than it, so
// memory stays flat under any load and any request size. Pure.

export interface Journal<T> {
  /** Adds an entry; `weight` (what it weighed elsewhere: a replica's mirror of the fleet's journal) instead of weighing it here. */
  push(entry: T, weight?: number): void
  /** Entries newest first, optionally filtered, at most `limit` of them. */
  list(filter?: (entry: T) => boolean, limit?: number): T[]
  /** Drops the entries matching `filter`, or all of them. */
  clear(filter?: (entry: T) => boolean): void
  readonly size: number
  readonly capacity: number
}

/** A byte budget: what the entries may weigh together, and how much one weighs (fixed when pushed). */
export interface JournalBytes<T> {
  maxBytes: number
  weigh: (entry: T) => number
}

/**
 * Creates a journal holding at most `capacity` entries (0 keeps none) and, with `bytes`, at most
 * `bytes.maxBytes` of them by weight (the newest entry is always kept).
 * @example
 * const journal = createJournal<number>(2)
 * journal.push(1); journal.push(2); journal.push(3)
 * journal.list() //=> [3, 2]
 * const small = createJournal<string>(100, { maxBytes: 5, weigh: (s) => s.length })
 * small.push('abc'); small.push('de'); small.push('f')
 * small.list() //=> ['f', 'de']
 */
export function createJournal<T>(capacity: number, bytes?: JournalBytes<T>): Journal<T> {
  let ring: (T | undefined)[] = new Array(capacity)
  let weights = new Float64Array(bytes ? capacity : 0)
  let next = 0
  let size = 0
  let total = 0

  const dropOldest = () => {
    const oldest = (next - size + capacity) % capacity
    ring[oldest] = undefined
    total -= weights[oldest]
    size--
  }

  return {
    push(entry, given) {
      if (capacity === 0) return
      if (bytes) {
        if (size === capacity) dropOldest()
        const weight = given ?? bytes.weigh(entry)
        weights[next] = weight
        total += weight
      }
      ring[next] = entry
      next = (next + 1) % capacity
      size = Math.min(size + 1, capacity)
      if (bytes) while (size > 1 && total > bytes.maxBytes) dropOldest()
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
      weights = new Float64Array(bytes ? capacity : 0)
      next = 0
      size = 0
      total = 0
      for (const entry of kept) this.push(entry)
    },
    get size() {
      return size
    },
    capacity,
  }
}
