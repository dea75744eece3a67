// A small least-recently-used memo, bounded by bytes. It only ever holds results of pure
// functions, so evicting an entry (or never storing it) can change speed but never an answer.

/**
 * What one entry costs besides its value: the key string's header, the Map's slot and the
 * entry record (measured on V8 11/12, rounded up).
 */
export const ENTRY_OVERHEAD_BYTES = 96

/** Bytes of an entry: its key (one byte per character for the ASCII keys used here), overhead and value. */
export const entryBytes = (key: string, valueBytes: number): number => key.length + ENTRY_OVERHEAD_BYTES + valueBytes

/** Options of an Lru. */
export interface LruOptions {
  /**
   * Keep a value only the second time its key misses among the recent misses (a doorkeeper, as in
   * TinyLFU): what is asked for once (a crawl through a long history, a one-off seed) is computed,
   * used and dropped young instead of evicting what is asked for again and lingering in the old
   * generation until a full collection. The keys of recent misses take a 32nd of the budget.
   */
  admitOnSecondMiss?: boolean
}

/**
 * A Map-backed LRU holding at most `maxBytes`, each value sized by `sizeOf` (an honest estimate of
 * what it keeps alive). A hit only marks its entry (no Map writes on the hot path); eviction gives
 * marked entries a second chance, which keeps recently used ones, as LRU does. A value larger than
 * an eighth of the budget is returned but not kept, so one huge entry cannot flush the rest.
 * @example
 * const lru = new Lru<number>(64 * 1024, () => 8)
 * lru.get('a', () => 1) //=> 1 (computed), then served from memory
 */
export class Lru<T> {
  private readonly map = new Map<string, { value: T; used: boolean; bytes: number }>()
  private held = 0
  private readonly maxValueBytes: number
  private readonly missed: Set<string> | undefined
  private missedBytes = 0
  private readonly maxMissedBytes: number

  constructor(
    readonly maxBytes: number,
    private readonly sizeOf: (value: T) => number,
    { admitOnSecondMiss = false }: LruOptions = {},
  ) {
    this.maxMissedBytes = admitOnSecondMiss ? Math.floor(maxBytes / 32) : 0
    this.missed = admitOnSecondMiss ? new Set() : undefined
    this.maxValueBytes = maxBytes - this.maxMissedBytes
  }

  /**
   * Whether the key of the last get() had been asked for before: a hit, or (with
   * admitOnSecondMiss) the recent miss that admits it now. A page asked for once is never repeated.
   */
  repeated = false

  /** The value for `key`, computing and remembering it when absent. */
  get(key: string, compute: () => T): T {
    const hit = this.map.get(key)
    if (hit !== undefined) {
      hit.used = true
      this.repeated = true
      return hit.value
    }
    const value = compute()
    this.repeated = false
    this.keep(key, value)
    return value
  }

  /** Remembers `value` under `key` (absent), evicting the least recently used beyond the budget; with admitOnSecondMiss, only on the key's second miss. */
  keep(key: string, value: T): void {
    if (this.missed !== undefined && !this.admit(key)) return
    const bytes = entryBytes(key, this.sizeOf(value))
    if (bytes > this.maxValueBytes / 8) return
    this.map.set(key, { value, used: false, bytes })
    this.held += bytes
    while (this.held > this.maxValueBytes) this.held -= evictOne(this.map)!.bytes
  }

  /** Whether `key` missed recently (then it is admitted); otherwise it is noted as a recent miss. */
  private admit(key: string): boolean {
    const missed = this.missed!
    const bytes = entryBytes(key, 0)
    if (missed.delete(key)) {
      this.missedBytes -= bytes
      this.repeated = true
      return true
    }
    if (this.missedBytes + bytes > this.maxMissedBytes) {
      missed.clear()
      this.missedBytes = 0
    }
    missed.add(key)
    this.missedBytes += bytes
    return false
  }

  /** Forgets every entry and every recent miss. */
  clear(): void {
    this.map.clear()
    this.held = 0
    this.missed?.clear()
    this.missedBytes = 0
  }

  /** Entries held. */
  get size(): number {
    return this.map.size
  }

  /** Bytes held by the estimate (entries and the keys of recent misses): never more than maxBytes. */
  get bytes(): number {
    return this.held + this.missedBytes
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
