// The byte writer's fixed-width and copying writers against the plain way of writing the same
// text (String(n), toString(16), Date#toISOString, Buffer.from), over many inputs.
import { describe, expect, it } from 'vitest'
import { utf8 } from '../../src/encode/json-text.js'
import { ByteWriter } from '../../src/encode/json-writer.js'
import { fmix } from '../../src/encode/random.js'

const written = (write: (w: ByteWriter) => void, size = 16) => {
  // A small writer, so the writes also have to grow it.
  const w = new ByteWriter(size)
  write(w)
  return w.toString()
}

/** Deterministic spread of unsigned 32-bit words. */
const words = Array.from({ length: 2_000 }, (_, i) => fmix(i * 7919 + 1))
const hex8 = (x: number) => x.toString(16).padStart(8, '0')

describe('the byte writer', () => {
  it('copies runs of bytes, short and long, ASCII or not, exactly as Buffer.from encodes their text', () => {
    const texts = ['', 'a', '","webhook_id":"wh-1","event":', 'x'.repeat(9), 'é"ü\\😀', 'y'.repeat(200), ...words.slice(0, 50).map((x) => 'k'.repeat(x % 70))]
    for (const text of texts) {
      expect(written((w) => w.bytes(utf8(text)))).toBe(text)
      expect(written((w) => (w.ascii('{'), w.bytes(utf8(text)), w.bytes(utf8(text))))).toBe(`{${text}${text}`)
    }
  })

  it('writes non-negative integers as String(n) does, past 32 bits too (and a fraction as it prints)', () => {
    const numbers = [0, 9, 10, 99, 100, 101, 999, 1000, 65_535, 4_294_967_295, 4_294_967_296, 2 ** 40 + 3, 1e21, 12.5, ...words]
    for (let n = 0; n <= 12_000; n += 7) numbers.push(n)
    for (const n of numbers) expect(written((w) => w.uint(n))).toBe(String(n))
  })

  it('writes four words as a UUID, 8-4-4-4-12 lower-case hex digits', () => {
    for (let i = 0; i + 3 < words.length; i += 4) {
      const [a, b, c, d] = words.slice(i, i + 4)
      const plain = `${hex8(a)}-${hex8(b).slice(0, 4)}-${hex8(b).slice(4)}-${hex8(c).slice(0, 4)}-${hex8(c).slice(4)}${hex8(d)}`
      expect(written((w) => w.uuid(a, b, c, d))).toBe(plain)
    }
    expect(written((w) => w.uuid(0, 0xffffffff, 0x0000ffff, 1))).toBe('00000000-ffff-ffff-0000-ffff00000001')
  })

  it('writes a date part and a time of day as Date#toISOString does, to the second', () => {
    const instants = [0, 59, 60, 3_599, 3_600, 86_399, 86_400, 951_782_400, 1_705_316_400, 4_102_444_799, ...words.map((x) => x - 2 ** 31)]
    for (const t of instants) {
      const iso = new Date(t * 1000).toISOString()
      const days = Math.floor(t / 86_400)
      expect(written((w) => w.dateTime(utf8(iso.slice(0, 10)), t - days * 86_400))).toBe(iso.replace('.000Z', 'Z'))
    }
  })
})
