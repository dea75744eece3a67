// Validation results of repeated URLs, remembered within a byte budget shared by every operation
// (the validation share of --cache-mb). Validation is a pure function of the URL and the declared
// headers, so a forgotten result is only validated again: the memo changes speed, never an answer.
import type { ValidationResult } from './validate.js'

/**
 * What a remembered result keeps alive besides its key: the frozen result, its input objects
 * and their strings, or an error body, and the Map's slot (~0.6-1 kB measured; rounded up).
 */
export const RESULT_BYTES = 1024

/** What a recently seen URL costs besides its characters: the string header and the Set's slot. */
const KEY_BYTES = 64

/**
 * The memos of every operation, together never above `maxBytes` by the estimate: when the next
 * result would pass it, all of them start over (a cheap, bounded reset that keeps no order). A
 * result is kept the second time its URL is validated among the recent ones: a URL asked for once
 * (a new page, a one-off seed) is validated, used and dropped young, instead of being promoted to
 * the old generation and then thrown away when the memo starts over. The recent URLs take a 32nd of
 * the budget.
 * @example
 * const memo = new ValidationMemo(2 * 1024 * 1024)
 * const listLogs = memo.forOperation()
 * listLogs.get(url) ?? memo.remember(listLogs, url, validate(…))
 */
export class ValidationMemo {
  private readonly maps: Map<string, ValidationResult>[] = []
  private held = 0
  private readonly seen = new Set<string>()
  private seenBytes = 0
  private readonly maxSeenBytes: number
  private readonly maxResultBytes: number

  constructor(readonly maxBytes: number) {
    this.maxSeenBytes = Math.floor(maxBytes / 32)
    this.maxResultBytes = maxBytes - this.maxSeenBytes
  }

  /** A new, empty memo for one operation, counted in this budget. */
  forOperation(): Map<string, ValidationResult> {
    const map = new Map<string, ValidationResult>()
    this.maps.push(map)
    return map
  }

  /**
   * Remembers `keep(result)` under `key` in `map` (one of forOperation's) if `key` was seen
   * recently, and returns what it kept, else `result`: a URL asked for once never pays for `keep`
   * (freezing the result, for the router).
   */
  remember(
    map: Map<string, ValidationResult>,
    key: string,
    result: ValidationResult,
    keep: (r: ValidationResult) => ValidationResult = (r) => r,
  ): ValidationResult {
    // Keys may hold any character a header carries: count two bytes each.
    const keyBytes = 2 * key.length + KEY_BYTES
    if (!this.seen.delete(key)) {
      if (this.seenBytes + keyBytes > this.maxSeenBytes) {
        this.seen.clear()
        this.seenBytes = 0
      }
      if (keyBytes <= this.maxSeenBytes) {
        this.seen.add(key)
        this.seenBytes += keyBytes
      }
      return result
    }
    this.seenBytes -= keyBytes
    const bytes = 2 * key.length + RESULT_BYTES
    if (bytes > this.maxResultBytes / 8) return result
    if (this.held + bytes > this.maxResultBytes) {
      for (const m of this.maps) m.clear()
      this.held = 0
    }
    const kept = keep(result)
    map.set(key, kept)
    this.held += bytes
    return kept
  }

  /** Results held, all operations together. */
  get size(): number {
    let n = 0
    for (const m of this.maps) n += m.size
    return n
  }

  /** Bytes held by the estimate (results and recently seen URLs): never more than maxBytes. */
  get bytes(): number {
    return this.held + this.seenBytes
  }
}
