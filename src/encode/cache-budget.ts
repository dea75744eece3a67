// The one byte budget every memo of the server is cut from (--cache-mb): encoded pages, the answers
// written before Hono, decoded history segments, webhook profiles and the validation results of
// repeated URLs. Each cache
// measures its entries in bytes (an honest estimate of what an entry keeps alive) and never holds
// more than its share, whatever the number of distinct URLs, seeds or webhooks asked for.

/**
 * The budget when none is set: 8 MiB, of which 3 go to encoded pages (~65 pages of 100 rows, ~270
 * of 25) and 1 to the answers written before Hono. Under the bench's mixed load a 16 MiB budget
 * held ~7 MB more RSS (125 against 118 MB); a user whose tests repeat more distinct pages raises
 * --cache-mb.
 */
export const DEFAULT_CACHE_MB = 8

/** Bytes of each cache, in the proportions of `SHARES`. */
export interface CacheShares {
  /** Encoded list bodies (encode/page-cache.ts). */
  pages: number
  /** Repeated pure answers written by node:http before Hono (http/answer-cache.ts); mostly the page cache's own buffers, counted whole. */
  answers: number
  /** Decoded history segments, typed arrays of up to 1,024 rows (world/segments.ts). */
  segments: number
  /** Webhook profiles: the settings a history is generated from (world/world.ts). */
  profiles: number
  /** Frozen validation results of repeated URLs, all operations together (http/routes.ts). */
  validation: number
}

/** Sixteenths of the budget: pages are what a repeated request saves the most on. */
const SHARES: Readonly<Record<keyof CacheShares, number>> = { pages: 6, answers: 2, segments: 4, profiles: 2, validation: 2 }

/**
 * Cuts `totalBytes` into each cache's share.
 * @example
 * cacheShares(8 * 1024 * 1024) //=> { pages: 3145728, answers: 1048576, segments: 2097152, profiles: 1048576, validation: 1048576 }
 */
export function cacheShares(totalBytes: number): CacheShares {
  const sixteenth = Math.floor(totalBytes / 16)
  return {
    pages: SHARES.pages * sixteenth,
    answers: SHARES.answers * sixteenth,
    segments: SHARES.segments * sixteenth,
    profiles: SHARES.profiles * sixteenth,
    validation: SHARES.validation * sixteenth,
  }
}
