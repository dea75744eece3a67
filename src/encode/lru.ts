// A small least-recently-used memo. It only ever holds results of pure functions, so evicting an
// entry (or never storing it) can change speed but never an answer.

/**
 * A Map-backed LRU with a fixed capacity. A hit only marks its entry (no Map writes on the hot
 * path); eviction gives marked entries a second chance, which keeps recently used ones, as LRU does.
 * @example
 * const lru = new Lru<number>(2)
 * lru.get('a', () => 1) //=> 1 (computed), then served from memory
 */
export class Lru<T> {
  private readonly map = new Map<string, { value: T; used: boolean }>()

  constructor(private readonly capacity: number) {}

  /** The value for `key`, computing and remembering it when absent. */
  get(key: string, compute: () => T): T {
    const hit = this.map.get(key)
    if (hit !== undefined) {
      hit.used = true
      return hit.value
    }
    const value = compute()
    this.map.set(key, { value, used: false })
    while (this.map.size > this.capacity) evictOne(this.map)
    return value
  }

  get size(): number {
    return this.map.size
  }
}

/**
 * Drops the oldest entry not used since it was inserted or last given a second chance; entries used
 * meanwhile move to the back, unmarked. Returns the dropped entry.
 */
export function evictOne<E extends { used: boolean }>(map: Map<string, E>): E | undefined {
  for (const [key, entry] of map) {
    map.delete(key)
    if (!entry.used) return entry
    entry.used = false
    map.set(key, entry)
  }
  return undefined
}
