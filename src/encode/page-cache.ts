// A byte-bounded LRU of encoded response bodies. A repeated list request then costs a Map lookup
// instead of generating and encoding its rows again. The caller builds the key from EVERY input
// of the page (seed, now, agent, webhook, page, per_page, retry-overlay version …): a key that
// misses an input would serve stale bytes, so build it with pageKey() next to the generator call.

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
  private readonly map = new Map<string, Uint8Array<ArrayBuffer>>()
  private used = 0

  constructor(readonly maxBytes: number) {}

  /** The body for `key`, building and remembering it when absent. */
  get(key: string, build: () => Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
    const hit = this.map.get(key)
    if (hit !== undefined) {
      this.map.delete(key)
      this.map.set(key, hit)
      return hit
    }
    const body = build()
    if (body.byteLength > this.maxBytes / 8) return body
    this.map.set(key, body)
    this.used += body.byteLength
    for (const [oldKey, old] of this.map) {
      if (this.used <= this.maxBytes) break
      this.map.delete(oldKey)
      this.used -= old.byteLength
    }
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
