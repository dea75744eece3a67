// A small least-recently-used memo. It only ever holds results of pure functions, so evicting an
// entry (or never storing it) can change speed but never an answer.

/**
 * A Map-backed LRU with a fixed capacity.
 * @example
 * const lru = new Lru<number>(2)
 * lru.get('a', () => 1) //=> 1 (computed), then served from memory
 */
export class Lru<T> {
  private readonly map = new Map<string, T>()

  constructor(private readonly capacity: number) {}

  /** The value for `key`, computing and remembering it when absent. */
  get(key: string, compute: () => T): T {
    const hit = this.map.get(key)
    if (hit !== undefined) {
      this.map.delete(key)
      this.map.set(key, hit)
      return hit
    }
    const value = compute()
    this.map.set(key, value)
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!)
    return value
  }

  get size(): number {
    return this.map.size
  }
}
