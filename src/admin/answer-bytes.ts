// The bytes of the journal's answer bodies: one buffer of a fixed size written round and round, so
// keeping an answer allocates nothing and the bodies of the newest answers take a bounded, constant
// amount of memory (issue 28: an 8 KiB copy per journaled request, kept for a thousand entries and
// then left to a full collection, was ~20 MB of the server's RSS under load). An answer's place is
// its position in everything ever written: once newer bodies have gone once round past it, its bytes
// are gone and it reads as undefined. Pure.

/** Where one body sits in the answers' bytes. */
export interface BodyPlace {
  readonly at: number
  readonly length: number
}

export interface AnswerBytes {
  /** Copies at most `max` bytes of a body (a text as UTF-8, never half a character) and says where they are and whether it was cut. */
  write(body: string | Uint8Array, max: number): BodyPlace & { truncated: boolean }
  /** The bytes at a place as UTF-8 text, or undefined when newer bodies have overwritten them. */
  read(place: BodyPlace): string | undefined
}

/**
 * Answer bytes of `size` bytes, allocated at the first write (a journal that keeps no answer costs
 * nothing; untouched pages of the buffer are not resident either).
 * @example
 * const bytes = createAnswerBytes(16)
 * const place = bytes.write('{"a":1}', 8) //=> { at: 0, length: 7, truncated: false }
 * bytes.read(place) //=> '{"a":1}'
 */
export function createAnswerBytes(size: number): AnswerBytes {
  let ring: Buffer | undefined
  /** Bytes ever taken, the skipped ends of the buffer included: the next body's position. */
  let written = 0
  return {
    write(body, max) {
      ring ??= Buffer.alloc(size)
      const want = Math.min(max, size)
      // A body never wraps: one that would not fit before the end starts at the beginning.
      if ((written % size) + want > size) written += size - (written % size)
      const offset = written % size
      let length: number
      let truncated: boolean
      if (typeof body === 'string') {
        length = ring.write(body, offset, want, 'utf8')
        truncated = length < body.length || (body.length * 3 > length && Buffer.byteLength(body) > length)
      } else {
        length = Math.min(body.byteLength, want)
        ring.set(body.subarray(0, length), offset)
        truncated = length < body.byteLength
      }
      const place = { at: written, length, truncated }
      written += length
      return place
    },
    read({ at, length }) {
      if (ring === undefined || written - at > size) return undefined
      return ring.toString('utf8', at % size, (at % size) + length)
    },
  }
}
