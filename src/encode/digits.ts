// Digits written straight into a byte array at a position, from tables made once: what the JSON
// byte writer (json-writer.ts) uses for hex words, UUIDs and times of day. Pure; imports nothing.

/** The two lower-case hex digits of every byte: HEX[2b], HEX[2b + 1]. */
export const HEX = new Uint8Array(512)
for (let i = 0; i < 256; i++) {
  const h = i.toString(16).padStart(2, '0')
  HEX[2 * i] = h.charCodeAt(0)
  HEX[2 * i + 1] = h.charCodeAt(1)
}

/** Writes 0–99 as two decimal digits at `pos`. */
export function digits2(buf: Uint8Array, pos: number, n: number): void {
  const tens = (n / 10) | 0
  buf[pos] = 48 + tens
  buf[pos + 1] = 48 + n - tens * 10
}

/** Writes the four hex digits of a 16-bit integer at `pos`. */
export function hex4(buf: Uint8Array, pos: number, x: number): void {
  const hi = 2 * (x >>> 8)
  const lo = 2 * (x & 255)
  buf[pos] = HEX[hi]
  buf[pos + 1] = HEX[hi + 1]
  buf[pos + 2] = HEX[lo]
  buf[pos + 3] = HEX[lo + 1]
}

/** Writes the eight hex digits of an unsigned 32-bit integer at `pos`. */
export function hex8(buf: Uint8Array, pos: number, x: number): void {
  hex4(buf, pos, x >>> 16)
  hex4(buf, pos + 4, x & 0xffff)
}
