// A byte-bounded LRU of encoded response bodies. A repeated list request then costs a Map lookup
// instead of generating and encoding its rows again. The caller builds the key from EVERY input
// of the page (seed, now, agent, webhook, page, per_page, retry-overlay version …): a key that
// misses an input would serve stale bytes, so build it with pageKey() next to the generator call.
import { Lru } from './lru.js'

/**
 * An unambiguous cache key from the inputs of a page: each part is length-prefixed, so no id
 * (whatever characters it holds) can make two different inputs collide.
 * @example
 * pageKey(42, 1705320000, 'agent-uuid', 'webhook-uuid', 1, 100) //=> '2:42|10:1705320000|10:agent-uuid|…'
 */
export function pageKey(...parts: readonly (string | number)[]): string {
  let key = ''
  for (let i = 0; i < parts.length; i++) {
    const part = String(parts[i])
    key += `${part.length}:${part}|`
  }
  return key
}

/** What a body costs besides its bytes: the Uint8Array and ArrayBuffer objects, the backing store record and malloc's header. */
export const BODY_OVERHEAD_BYTES = 256

/**
 * Least-recently-used bodies, evicted once their bytes (with every entry's overhead) pass
 * `maxBytes`. A body is kept the second time its key misses among the recent misses (see
 * LruOptions.admitOnSecondMiss): a page asked for once is built, sent and dropped young. A body
 * larger than an eighth of the budget is returned but not kept, so one huge page cannot flush the rest.
 * @example
 * const pages = new PageCache(32 * 1024 * 1024)
 * pages.get(pageKey(seed, agentId, webhookId, page, perPage), () => encodePage(rows, pagination))
 */
export class PageCache extends Lru<Uint8Array<ArrayBuffer>> {
  constructor(maxBytes: number) {
    super(maxBytes, (body) => body.byteLength + BODY_OVERHEAD_BYTES, { admitOnSecondMiss: true })
  }
}
