// The anonymiser: replaces phone numbers, names, e-mail addresses, call ids and free text in a
// recorded row's request_payload, response_body and response_headers with seeded fakes, and
// removes secrets. A fake depends only on (seed, kind, original value): the same value gets the
// same fake wherever it appears and in every run with the same seed, whatever the order of rows.
// With anonymisation off only secrets are removed, and an untouched row keeps its exact bytes.
// Imports only its sibling secrets.ts; faker is handed in (record.ts loads it lazily).
import { createHash } from 'node:crypto'
import type { Faker } from '@faker-js/faker'
import { REDACTED, SECRET_KEY, redactTokens } from './secrets.js'

/** What the anonymiser replaces, counted as distinct original values. */
export const KINDS = ['phone_numbers', 'emails', 'names', 'call_ids', 'free_text'] as const
export type Kind = (typeof KINDS)[number]

/** What a recording's header says was replaced. */
export interface ScrubSummary {
  anonymised: boolean
  seed?: number
  /** Distinct original values replaced, per kind (anonymisation on). */
  replaced?: Record<Kind, number>
  /** Secret values removed (always). */
  secrets_removed: number
}

export interface Scrubber {
  /** Scrubs the row's request_payload, response_body and response_headers in place; true when it changed. */
  row(row: Record<string, unknown>): boolean
  summary(): ScrubSummary
}

export type ScrubOptions = { anonymise: false } | { anonymise: true; seed: number; faker: Faker }

const CALL_ID_KEY = /^(call|call[_-]?(id|uuid|sid))$|[_-]call[_-]?(id|uuid|sid)$/i
const EMAIL_KEY = /e-?mail/i
const PHONE_KEY = /phone|msisdn|mobile|^(from|to|caller|callee|number|ani|dnis)$|_(number|phone)$/i
const NAME_KEY =
  /^((first|last|full|display|given|family|middle)_?name|name|(customer|contact|caller|callee|user|person|lead|client|patient|recipient)_?name)$/i
const TEXT_KEY = /transcript|summary|message|notes?$|comment|content|text|description|utterance|question|answer|feedback/i
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g
const EMAIL_ONLY = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/
const PHONE_IN_TEXT = /\+\d[\d ().-]{6,18}\d/g
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const digits = (s: string) => s.replace(/\D/g, '').length

/**
 * A scrubber for one recording.
 * @example
 * const s = createScrubber({ anonymise: true, seed: 1, faker: new Faker({ locale: [en] }) })
 * s.row(row) //=> true (row.request_payload.from is now another phone number)
 */
export function createScrubber(options: ScrubOptions): Scrubber {
  let secrets = 0
  let changed = false
  const fakes = new Map<Kind, Map<string, string>>(KINDS.map((k) => [k, new Map()]))
  const faker = options.anonymise ? options.faker : undefined

  const fake = (kind: Kind, original: string): string => {
    const memo = fakes.get(kind)!
    let out = memo.get(original)
    if (out === undefined) {
      faker!.seed(seedOf((options as { seed: number }).seed, kind, original))
      memo.set(original, (out = draw(faker!, kind, original)))
    }
    changed = true
    return out
  }

  /** PII inside a string no rule claimed as a whole: e-mails and phone numbers. */
  const embedded = (text: string): string =>
    faker ? text.replace(EMAIL, (m) => fake('emails', m)).replace(PHONE_IN_TEXT, (m) => fake('phone_numbers', m)) : text

  const string = (key: string, value: string): string => {
    if (SECRET_KEY.test(key) && value !== '') return secret()
    const tokens = redactTokens(value)
    if (tokens.count > 0) {
      secrets += tokens.count
      changed = true
      value = tokens.text
    }
    if (!faker || value === '' || value === REDACTED) return value
    if (CALL_ID_KEY.test(key)) return fake('call_ids', value)
    if (EMAIL_KEY.test(key) || EMAIL_ONLY.test(value)) return EMAIL_ONLY.test(value) || !/\s/.test(value) ? fake('emails', value) : embedded(value)
    if ((PHONE_KEY.test(key) && digits(value) >= 7) || (/^\+[\d ().-]{7,20}$/.test(value) && digits(value) >= 7)) return fake('phone_numbers', value)
    if (NAME_KEY.test(key)) return fake('names', value)
    if (TEXT_KEY.test(key) || value.trim().split(/\s+/).length >= 4) return fake('free_text', value)
    return embedded(value)
  }

  const secret = () => {
    secrets++
    changed = true
    return REDACTED
  }

  const walk = (key: string, value: unknown): unknown => {
    if (typeof value === 'string') return string(key, value)
    if (Array.isArray(value)) return value.map((item) => walk(key, item))
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) && v !== null && v !== '' ? secret() : walk(k, v)
      return out
    }
    return value
  }

  /** A response body: JSON is walked field by field; plain text has tokens and embedded PII replaced. */
  const body = (text: string): string => {
    const trimmed = text.trimStart()
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        const before = changed
        changed = false
        const out = walk('', JSON.parse(text))
        const touched = changed
        changed = before || touched
        return touched ? JSON.stringify(out) : text
      } catch {
        // Not JSON after all: treat it as text.
      }
    }
    return embedded(string('', text))
  }

  return {
    row(row) {
      changed = false
      if ('request_payload' in row) row.request_payload = walk('', row.request_payload)
      if (typeof row.response_body === 'string') row.response_body = body(row.response_body)
      if ('response_headers' in row) row.response_headers = walk('', row.response_headers)
      return changed
    },
    summary() {
      if (!options.anonymise) return { anonymised: false, secrets_removed: secrets }
      const replaced = Object.fromEntries(KINDS.map((k) => [k, fakes.get(k)!.size])) as Record<Kind, number>
      return { anonymised: true, seed: options.seed, replaced, secrets_removed: secrets }
    },
  }
}

/** The faker seed of one original value: a hash of (seed, kind, value), so no draw depends on another. */
function seedOf(seed: number, kind: Kind, value: string): number {
  return createHash('sha256').update(`${seed}\u0000${kind}\u0000${value}`).digest().readUInt32BE(0)
}

function draw(faker: Faker, kind: Kind, original: string): string {
  switch (kind) {
    case 'phone_numbers': {
      // Same shape, same country prefix: the first two digits stay, the rest are drawn.
      const drawn = faker.string.numeric(digits(original))
      let k = 0
      return original.replace(/\d/g, (d) => (k++ < 2 ? d : drawn[k - 1]))
    }
    case 'emails':
      return faker.internet.email({ provider: 'example.com' }).toLowerCase()
    case 'names':
      return /\s/.test(original.trim()) ? faker.person.fullName() : faker.person.firstName()
    case 'call_ids':
      return UUID.test(original)
        ? faker.string.uuid()
        : (original.match(/^[A-Za-z]+[_-]/)?.[0] ?? '') + faker.string.alphanumeric({ length: 16, casing: 'lower' })
    case 'free_text':
      return faker.lorem.words(Math.max(1, Math.min(200, original.trim().split(/\s+/).length)))
  }
}
