// The fakes of an anonymised recording, one draw per kind of value, each from a faker seeded by
// the caller for that one value. Shapes are kept where a consumer may parse them: a phone number
// keeps its punctuation and country prefix, an id its UUID form or prefix, a date its format, a
// number its digit count; hosts end in .example.com and IPs lie in 198.18.0.0/15 (benchmarking),
// so nothing fake is anybody's real address. Pure apart from the faker handed in.
import type { Faker } from '@faker-js/faker'

/** What the anonymiser replaces, counted as distinct original values. */
export const KINDS = ['phone_numbers', 'emails', 'names', 'ids', 'free_text', 'hosts', 'urls', 'numbers', 'dates'] as const
export type Kind = (typeof KINDS)[number]

/** Kinds drawn here (URLs are composed of other fakes by the anonymiser). */
export type DrawnKind = Exclude<Kind, 'urls'>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const digitCount = (s: string) => s.replace(/\D/g, '').length

/**
 * The fake of one original value of a kind.
 * @example
 * draw(faker, 'phone_numbers', '+55 11 98765-4321') //=> '+55 31 40218-9077'
 */
export function draw(faker: Faker, kind: DrawnKind, original: string): string {
  switch (kind) {
    case 'phone_numbers':
      // Same shape, same country prefix: the first two digits stay, the rest are drawn.
      return redrawDigits(faker, original, 2)
    case 'numbers':
      return redrawDigits(faker, original, 0)
    case 'emails':
      return faker.internet.email({ provider: 'example.com' }).toLowerCase()
    case 'names':
      return /\s/.test(original.trim()) ? faker.person.fullName() : faker.person.firstName()
    case 'ids':
      return UUID.test(original)
        ? faker.string.uuid()
        : (original.match(/^[A-Za-z]+[_-]/)?.[0] ?? '') + faker.string.alphanumeric({ length: Math.max(8, Math.min(32, original.length)), casing: 'lower' })
    case 'hosts':
      if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(original)) return `198.${18 + faker.number.int(1)}.${faker.number.int(255)}.${1 + faker.number.int(253)}`
      if (original.includes(':')) return `2001:db8::${faker.string.hexadecimal({ length: 4, prefix: '', casing: 'lower' })}`
      return `${faker.word
        .noun()
        .toLowerCase()
        .replace(/[^a-z]/g, '')}-${faker.string.alphanumeric({ length: 5, casing: 'lower' })}.example.com`
    case 'dates': {
      const day = faker.date.between({ from: '1940-01-01T00:00:00Z', to: '2005-12-31T00:00:00Z' }).toISOString()
      return /^\d{4}-\d{2}-\d{2}$/.test(original) ? day.slice(0, 10) : `${day.slice(0, 19)}Z`
    }
    case 'free_text':
      return faker.lorem.words(Math.max(1, Math.min(200, original.trim().split(/\s+/).length)))
  }
}

/** The text with its digits drawn anew after the first `keep`, and never starting with a 0 that was not one. */
function redrawDigits(faker: Faker, original: string, keep: number): string {
  const drawn = faker.string.numeric({ length: Math.max(1, digitCount(original)), allowLeadingZeros: true })
  let k = 0
  return original.replace(/\d/g, (d) => {
    const i = k++
    if (i < keep) return d
    // A leading digit stays non-zero, so a number keeps its length.
    return i === 0 && drawn[i] === '0' ? String(1 + (Number(drawn[i + 1] ?? 1) % 9)) : drawn[i]
  })
}
