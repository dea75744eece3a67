// The anonymiser, by what is safe to keep: in a recorded row only the allow-list of keep.ts stays
// as it was (structural fields, enumerations, counts, timestamps, header values of a known
// grammar); every other value is replaced by a seeded fake of its kind (phone number, e-mail,
// name, id, host, URL, number, date, free text), and secrets are removed. A fake depends only on
// (seed, kind, original value): the same value gets the same fake wherever it appears (a call id
// in `call_id`, in `call.id` and inside a recording URL alike) and in every run with the same
// seed, whatever the order of rows. With anonymisation off only secrets are removed, and an
// untouched row keeps its exact bytes. Faker is handed in (record.ts loads it lazily).
import { createHash } from 'node:crypto'
import type { Faker } from '@faker-js/faker'
import { digitCount, draw, KINDS, type DrawnKind, type Kind } from './fakes.js'
import { kindOf, PHONE_KEY } from './classify.js'
import { fakeEmbedded, fakeUrl } from './fake-url.js'
import { errorText } from './error-text.js'
import { keepsKey, keepsText, keepsValue } from './keep.js'
import { keptHeader, URL_HEADERS } from './kept-header.js'
import { REDACTED, SECRET_KEY, redactSecrets } from './secrets.js'

export { KINDS, type Kind } from './fakes.js'

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
  /** Scrubs a recorded row in place (every field but the row's own structure); true when it changed. */
  row(row: Record<string, unknown>): boolean
  /** A webhook's name and URL as the recording may keep them. */
  settings(settings: { name?: string; webhook_url?: string }): void
  summary(): ScrubSummary
}

export type ScrubOptions = { anonymise: false } | { anonymise: true; seed: number; faker: Faker }

/** A row's own fields, kept: Talkover's ids, the event, attempt, status, codes, duration and times. */
const ROW_FIELDS = new Set([
  'id',
  'webhook_id',
  'campaign_id',
  'agent_id',
  'event',
  'attempt',
  'status',
  'http_status',
  'duration_ms',
  'delivered_at',
  'created_at',
])

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

  const memo = (kind: Kind, original: string, make: () => string): string => {
    const seen = fakes.get(kind)!
    let out = seen.get(original)
    if (out === undefined) seen.set(original, (out = make()))
    changed = true
    return out
  }
  const fake = (kind: DrawnKind, original: string): string =>
    memo(kind, original, () => {
      faker!.seed(seedOf((options as { seed: number }).seed, kind, original))
      return draw(faker!, kind, original)
    })
  const secret = () => {
    secrets++
    changed = true
    return REDACTED
  }

  const url = (original: string): string => memo('urls', original, () => fakeUrl(original, { fake, secret }))
  const embedded = (text: string): string => fakeEmbedded(text, { fake, url })

  /** A string no allow-list keeps: the fake of its kind (classify.ts). */
  const replace = (key: string, value: string): string => {
    const kind = kindOf(key, value)
    return kind === 'urls' ? url(value) : fake(kind, value)
  }

  /** The text with its secrets removed (token shapes, URL passwords, secret-named query values), counted. */
  const clean = (text: string): string => {
    const tokens = redactSecrets(text)
    if (tokens.count === 0) return text
    secrets += tokens.count
    changed = true
    return tokens.text
  }

  const string = (key: string, original: string): string => {
    if (SECRET_KEY.test(key) && original !== '') return secret()
    const value = clean(original)
    if (!faker || value === '' || value === REDACTED || keepsValue(key, value)) return value
    return replace(key, value)
  }

  const number = (key: string, value: number): number => {
    if (!faker || keepsValue(key, value) || !Number.isFinite(value)) return value
    const text = String(value)
    if (/e/i.test(text)) return value
    return Number(PHONE_KEY.test(key) && digitCount(text) >= 7 ? fake('phone_numbers', text) : fake('numbers', text))
  }

  const walk = (key: string, value: unknown): unknown => {
    if (typeof value === 'string') return string(key, value)
    if (typeof value === 'number') return number(key, value)
    if (Array.isArray(value)) return value.map((item) => walk(key, item))
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {}
      // A key that is not a plain identifier (an e-mail, a phone number, a name) is itself replaced.
      for (const [k, v] of Object.entries(value))
        out[faker && !keepsKey(k) ? replace('', k) : k] = SECRET_KEY.test(k) && v !== null && v !== '' ? secret() : walk(k, v)
      return out
    }
    return value
  }

  /** A response body: JSON is walked field by field; plain text is kept only when it says nothing (OK). */
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
    const cleaned = clean(text)
    return !faker || keepsText(cleaned) ? cleaned : fake('free_text', cleaned)
  }

  const headers = (value: unknown): unknown => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return walk('', value)
    const out: Record<string, unknown> = {}
    for (const [name, v] of Object.entries(value)) {
      if (typeof v !== 'string') out[name] = walk(name, v)
      else if (SECRET_KEY.test(name) || /^set-cookie2?$/i.test(name)) out[name] = v === '' ? v : secret()
      else {
        const cleaned = clean(v)
        const kept = faker && cleaned !== REDACTED ? keptHeader(name, cleaned) : cleaned
        if (kept !== undefined && kept !== cleaned) changed = true
        out[name] = kept ?? (URL_HEADERS.has(name.toLowerCase()) ? embedded(cleaned) : replace(name, cleaned))
      }
    }
    return out
  }

  return {
    row(row) {
      changed = false
      for (const [key, value] of Object.entries(row)) {
        if (key === 'request_payload') row.request_payload = walk('', value)
        else if (key === 'response_body') row.response_body = typeof value === 'string' ? body(value) : walk(key, value)
        else if (key === 'response_headers') row.response_headers = headers(value)
        else if (key === 'error' && typeof value === 'string') {
          const cleaned = clean(value)
          row.error = faker ? errorText(cleaned, row.http_status, { host: (h) => fake('hosts', h), url }) : cleaned
          if (row.error !== value) changed = true
        } else if (!ROW_FIELDS.has(key)) row[key] = walk(key, value)
      }
      return changed
    },
    settings(s) {
      if (!faker) return
      if (s.name !== undefined) s.name = fake('free_text', s.name)
      if (s.webhook_url !== undefined) s.webhook_url = url(s.webhook_url)
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
