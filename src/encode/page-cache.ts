// A byte-bounded LRU of encoded response bodies. A repeated list request then costs a Map lookup
// instead of generating and encoding its rows again. The caller builds the key from EVERY input
// of the page (seed, now, agent, webhook, page, per_page, retry-overlay version …): a key that
// misses an input would serve stale bytes, so build it with pageKey() next to the generator call.
import { evictOne } from './lru.js'

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

/**
 * Least-recently-used bodies, evicted once their bytes pass `maxBytes`. A body larger than an
 * eighth of the budget is returned but not kept, so one huge page cannot flush the rest.
 * @example
 * const pages = new PageCache(32 * 1024 * 1024)
 * pages.get(pageKey(seed, agentId, webhookId, page, perPage), () => encodePage(rows, pagination))
 */
export class PageCache {
  private readonly map = new Map<string, { body: Uint8Array<ArrayBuffer>; used: boolean }>()
  private used = 0

  constructor(readonly maxBytes: number) {}

  /** The body for `key`, building and remembering it when absent. A hit only marks it (see Lru). */
  get(key: string, build: () => Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
    const hit = this.map.get(key)
    if (hit !== undefined) {
      hit.used = true
      return hit.body
    }
    const body = build()
    if (body.byteLength > this.maxBytes / 8) return body
    this.map.set(key, { body, used: false })
    this.used += body.byteLength
    while (this.used > this.maxBytes) this.used -= evictOne(this.map)!.body.byteLength
    return body
  }

  /** Forgets every body (e.g. when state the keys do not capture is reset). */
  clear(): void {
    this.map.clear()
    this.used = 0
  }

  /** Bodies held. */
  get size(): number {
    return this.map.size
  }

  /** Bytes held. */
  get bytes(): number {
    return this.used
  }
}
