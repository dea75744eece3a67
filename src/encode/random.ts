// Seeded randomness: the only module that creates a PRNG. Everything here is integer arithmetic
// (Math.imul, shifts) or IEEE-exact division, so results are identical on every platform and Node
// version. (Faker only runs in tests, to build src/vocab-table.ts.)

/**
 * Murmur3's 32-bit finaliser: a bijective, well-mixing map of one unsigned integer.
 * @example
 * fmix(1) //=> 1364076727
 */
export function fmix(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * Combines a key with an integer into a new well-mixed key (for a fixed `key`, bijective in `n`).
 * @example
 * mix(hashKey(42, 'agent', 'webhook'), 7) // the key of segment 7
 */
export function mix(key: number, n: number): number {
  return fmix((key ^ fmix((n + 0x9e3779b9) >>> 0)) >>> 0)
}

/**
 * Hashes a seed and some strings into a 32-bit key (FNV-1a over UTF-16 units, then fmix). Parts are
 * separated by U+0000, so ('a/b', 'c') and ('a', 'b/c') differ.
 * @example
 * hashKey(42, 'agent-uuid', 'webhook-uuid') // same inputs, same key, in every process
 */
export function hashKey(seed: number, ...parts: string[]): number {
  let h = fmix((seed ^ 0x811c9dc5) >>> 0)
  for (let p = 0; p < parts.length; p++) {
    const text = parts[p]
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
    h = Math.imul(h ^ 0, 16777619) ^ p
  }
  return fmix(h >>> 0)
}

/**
 * A second 32-bit hash of a seed and some strings, built unlike hashKey (a multiply-xorshift
 * per UTF-16 unit, each part closed by its length), so that hashKey and hashKeyB together give a
 * 64-bit key whose halves do not collide together. Used where 32 bits are too few (log ids).
 * @example
 * hashKeyB(42, 'agent', 'agent-uuid', 'webhook-uuid') // same inputs, same key, in every process
 */
export function hashKeyB(seed: number, ...parts: string[]): number {
  let h = fmix((seed ^ 0x27d4eb2f) >>> 0) ^ 0x165667b1
  for (let p = 0; p < parts.length; p++) {
    const text = parts[p]
    for (let i = 0; i < text.length; i++) {
      h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995)
      h ^= h >>> 15
    }
    h = Math.imul(h ^ (text.length + 0x9e3779b9), 0xcc9e2d51) ^ p
  }
  return fmix(h >>> 0)
}

/**
 * sfc32, a small fast PRNG (period ≥ 2^32, passes PractRand far beyond what a page needs), seeded
 * from one 32-bit key. Instances are cheap: create one per segment, delivery or row, never share
 * one between two draws in progress (a hot loop may reseed() one of its own).
 * @example
 * const rng = new Rng(42)
 * rng.int(6) //=> 0…5, the same on every run
 */
export class Rng {
  // The four 32-bit words of state, in a typed array: plain fields would hold words above 2^30 as
  // boxed doubles, which made reseeding twice as slow.
  private readonly s = new Int32Array(4)

  constructor(seed: number) {
    this.reseed(seed)
  }

  /** Restarts this generator as `new Rng(seed)` would start, so a hot loop can reuse one object. */
  reseed(seed: number): this {
    const s = this.s
    s[0] = fmix(seed ^ 0x243f6a88)
    s[1] = fmix(seed ^ 0xb7e15162)
    s[2] = fmix(seed ^ 0x9e3779b9)
    s[3] = 1
    for (let i = 0; i < 6; i++) this.uint32()
    return this
  }

  /** The next unsigned 32-bit integer. */
  uint32(): number {
    const s = this.s
    const a = s[0]
    const b = s[1]
    const c = s[2]
    const d = s[3]
    const t = (((a + b) | 0) + d) | 0
    s[3] = (d + 1) | 0
    s[0] = b ^ (b >>> 9)
    s[1] = (c + (c << 3)) | 0
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0
    return t >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  /** An index drawn by integer weights given as a cumulative table (last entry = total). */
  weighted(cumulative: ArrayLike<number>): number {
    const x = this.int(cumulative[cumulative.length - 1])
    let i = 0
    while (cumulative[i] <= x) i++
    return i
  }
}

/**
 * Cumulative table for Rng.weighted.
 * @example
 * cumulate([3, 1]) //=> Int32Array [3, 4]
 */
export function cumulate(weights: readonly number[]): Int32Array {
  const out = new Int32Array(weights.length)
  let sum = 0
  weights.forEach((w, i) => (out[i] = sum += w))
  return out
}
