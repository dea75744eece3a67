// UUIDs: random-looking v4 UUIDs from four words, and log ids. Log ids are UUID-shaped (v4 layout)
// and invertible, keyed by 64 bits of (seed, owner, owner id, webhook id): the profile's `key` and
// `idKey`. The first 32 bits are the row index through a 4-round Feistel permutation whose rounds
// alternate the two keys, so an id decodes back to its row in O(1); the other 90 bits are a hash
// of both keys and the index, so ids look random, a guessed id does not match, and two webhooks
// share ids only if all 64 key bits collide (not after ~2^16 webhooks, as with one 32-bit key).
import { capture, type ByteWriter } from '../encode/json-writer.js'
import { fmix, mix } from '../encode/random.js'

// `key` is the id key of the rows (the profile's key for its history, the timeline's for rows after
// the anchor); `wide` is the profile's idKey, the other 32 bits.
function round(key: number, wide: number, r: number, half: number): number {
  return fmix((half ^ mix(r & 1 ? wide : key, 0xfe1 + r)) >>> 0) & 0xffff
}

/** Keyed bijection of [0, 2^32). */
function permute(key: number, wide: number, index: number): number {
  let left = index >>> 16
  let right = index & 0xffff
  for (let r = 0; r < 4; r++) {
    const next = left ^ round(key, wide, r, right)
    left = right
    right = next
  }
  return ((left << 16) | right) >>> 0
}

function unpermute(key: number, wide: number, word: number): number {
  let left = word >>> 16
  let right = word & 0xffff
  for (let r = 3; r >= 0; r--) [left, right] = [right ^ round(key, wide, r, left), left]
  return ((left << 16) | right) >>> 0
}

/**
 * The id of row `index` keyed by (`key`, `wide`): 64 bits, e.g. (profile.key, profile.idKey).
 * @example
 * logId(profile.key, profile.idKey, 0) //=> 'c2f1…-…-4…-…-…' (the same in every process)
 */
export function logId(key: number, wide: number, index: number): string {
  return capture((w) => writeLogId(w, key, wide, index))
}

/** Writes logId(key, wide, index). */
export function writeLogId(w: ByteWriter, key: number, wide: number, index: number): void {
  const w1 = fmix((mix(key ^ 0x1d5eed, index) ^ wide) >>> 0)
  const w2 = mix(w1, 0x2e7)
  writeUuid(w, permute(key, wide, index), w1, w2, mix(w2, index))
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/**
 * The row index an id claims to be (check it by regenerating that row), or undefined.
 * @example
 * logIndex(key, wide, logId(key, wide, 41)) //=> 41
 */
export function logIndex(key: number, wide: number, id: string): number | undefined {
  return UUID_V4.test(id) ? unpermute(key, wide, parseInt(id.slice(0, 8), 16)) : undefined
}

/**
 * Writes a UUID in the v4 layout from four 32-bit words (version and variant bits forced).
 * @example
 * writeUuid(w, 0, 0, 0, 0) // writes 00000000-0000-4000-8000-000000000000
 */
export function writeUuid(w: ByteWriter, w0: number, w1: number, w2: number, w3: number): void {
  // Version nibble 4 (the 13th digit) and variant bits 10 (the 17th digit is 8–b).
  w.uuid(w0, ((w1 & 0xffff0fff) | 0x4000) >>> 0, ((w2 & 0x3fffffff) | 0x80000000) >>> 0, w3)
}

/**
 * The string twin of writeUuid.
 * @example
 * uuid(0, 0, 0, 0) //=> '00000000-0000-4000-8000-000000000000'
 */
export function uuid(w0: number, w1: number, w2: number, w3: number): string {
  return capture((w) => writeUuid(w, w0, w1, w2, w3))
}
