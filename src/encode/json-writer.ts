// Folder encode/: the bottom layer, pure primitives that know nothing of the domain: this JSON
// byte writer (with its digit tables, digits.ts, and JSON string literals, json-text.ts), hashing
// and seeded randomness (random.ts), and bounded caches (lru, page-cache).
// It imports nothing else of src/.
//
// Writes JSON text straight into bytes. Generated rows are assembled here instead of by string
// concatenation: a 100-row page made of template strings is a rope of ~10,000 pieces that V8 must
// flatten and node must UTF-8 encode, which cost more than generating the rows. Pure.

import { digits2, hex4, hex8, HEX } from './digits.js'

/**
 * A growable byte buffer with writers for the pieces rows are made of. Strings given to ascii()
 * must be ASCII (our own constants); text() takes any string and writes it as UTF-8.
 * @example
 * const w = new ByteWriter()
 * w.ascii('{"n":'); w.uint(42); w.ascii('}')
 * w.toString() //=> '{"n":42}'
 */
export class ByteWriter {
  buf: Buffer
  pos = 0

  constructor(size = 64 * 1024) {
    this.buf = Buffer.allocUnsafeSlow(size)
  }

  /** Empties the writer (keeps its memory). */
  reset(): this {
    this.pos = 0
    return this
  }

  /** Makes room for `n` more bytes. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n))
    this.buf.copy(bigger, 0, 0, this.pos)
    this.buf = bigger
  }

  /** An ASCII string, byte for byte. */
  ascii(s: string): void {
    const n = s.length
    this.room(n)
    const buf = this.buf
    let pos = this.pos
    for (let i = 0; i < n; i++) buf[pos++] = s.charCodeAt(i)
    this.pos = pos
  }

  /** Any string, as UTF-8 (ASCII is copied in place; anything else goes through the encoder). */
  text(s: string): void {
    const n = s.length
    this.room(n)
    const buf = this.buf
    let pos = this.pos
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i)
      if (c >= 0x80) {
        this.pos = pos
        this.room((n - i) * 3)
        this.pos += this.buf.write(s.slice(i), this.pos, 'utf8')
        return
      }
      buf[pos++] = c
    }
    this.pos = pos
  }

  /**
   * A run of bytes made once (see utf8() in json-text.ts): constant pieces of rows are copied, not re-encoded.
   * TypedArray.set costs ~30–60 ns whatever the length; a byte loop only wins below ~10 bytes.
   */
  bytes(run: Uint8Array): void {
    const n = run.length
    this.room(n)
    const buf = this.buf
    const pos = this.pos
    if (n > 8) buf.set(run, pos)
    else for (let i = 0; i < n; i++) buf[pos + i] = run[i]
    this.pos = pos + n
  }

  /** One byte (an ASCII character code). */
  byte(code: number): void {
    this.room(1)
    this.buf[this.pos++] = code
  }

  /** A non-negative integer in decimal. */
  uint(n: number): void {
    if (n < 10) return this.byte(48 + n)
    if (n >>> 0 !== n) return this.ascii(String(n)) // not a 32-bit whole number: as JS prints it
    let digits = 2
    for (let limit = 100; n >= limit && digits < 10; limit *= 10) digits++
    this.room(digits)
    const buf = this.buf
    let pos = this.pos + digits
    this.pos = pos
    while (n >= 10) {
      const q = Math.floor(n / 10)
      buf[--pos] = 48 + n - q * 10
      n = q
    }
    buf[--pos] = 48 + n
  }

  /**
   * A date part (e.g. `2024-01-15`, made once per day) and a time of day given as 0–86,399 seconds,
   * as `<date>THH:MM:SSZ`.
   * @example
   * w.dateTime(utf8('2024-01-15'), 39_600) // writes 2024-01-15T11:00:00Z
   */
  dateTime(date: Uint8Array, seconds: number): void {
    const n = date.length
    this.room(n + 10)
    const buf = this.buf
    let pos = this.pos
    for (let i = 0; i < n; i++) buf[pos++] = date[i]
    const hh = (seconds / 3_600) | 0
    const rest = seconds - hh * 3_600
    const mm = (rest / 60) | 0
    buf[pos] = 84 // T
    digits2(buf, pos + 1, hh)
    buf[pos + 3] = 58 // :
    digits2(buf, pos + 4, mm)
    buf[pos + 6] = 58
    digits2(buf, pos + 7, rest - mm * 60)
    buf[pos + 9] = 90 // Z
    this.pos = pos + 10
  }

  /** A non-negative integer in decimal, at least `width` digits (zero-padded). */
  padded(n: number, width: number): void {
    const s = String(n)
    for (let i = s.length; i < width; i++) this.byte(48)
    this.ascii(s)
  }

  /** Hex digits `from`…`to` (0–8) of an unsigned 32-bit integer's eight. */
  hex(x: number, from = 0, to = 8): void {
    this.room(8)
    const buf = this.buf
    let pos = this.pos
    for (let i = from; i < to; i++) {
      const byte = (x >>> (24 - 8 * (i >> 1))) & 255
      buf[pos++] = HEX[2 * byte + (i & 1)]
    }
    this.pos = pos
  }

  /**
   * 128 bits given as four unsigned 32-bit words, as a UUID's 8-4-4-4-12 lower-case hex digits.
   * @example
   * w.uuid(0x01234567, 0x89abcdef, 0, 0xffffffff) // writes 01234567-89ab-cdef-0000-0000ffffffff
   */
  uuid(w0: number, w1: number, w2: number, w3: number): void {
    this.room(36)
    const buf = this.buf
    const pos = this.pos
    hex8(buf, pos, w0)
    buf[pos + 8] = 45 // -
    hex4(buf, pos + 9, w1 >>> 16)
    buf[pos + 13] = 45
    hex4(buf, pos + 14, w1 & 0xffff)
    buf[pos + 18] = 45
    hex4(buf, pos + 19, w2 >>> 16)
    buf[pos + 23] = 45
    hex4(buf, pos + 24, w2 & 0xffff)
    hex8(buf, pos + 28, w3)
    this.pos = pos + 36
  }

  /** The bytes written so far, copied into a Buffer of their own. */
  copy(): Buffer<ArrayBuffer> {
    const out = Buffer.allocUnsafeSlow(this.pos)
    this.buf.copy(out, 0, 0, this.pos)
    return out
  }

  /** The bytes written so far as a string (UTF-8). */
  toString(): string {
    return this.buf.toString('utf8', 0, this.pos)
  }
}

const scratch = new ByteWriter(4 * 1024)

/**
 * Runs a writer function on a scratch writer and returns what it wrote as a string: the string
 * twin of every byte writer, so each piece of JSON is built by one piece of code. Writer
 * functions never call capture() themselves (the scratch writer is shared).
 * @example
 * capture((w) => w.uint(7)) //=> '7'
 */
export function capture(write: (w: ByteWriter) => void): string {
  write(scratch.reset())
  return scratch.toString()
}
