// Time arithmetic of the log world: the retention window, the retry backoff schedule and the
// timestamp format. Pure integer math; no clock is read here (`now` is always a parameter).
import { utf8 } from '../encode/json-text.js'
import { capture, type ByteWriter } from '../encode/json-writer.js'

/**
 * The last instant any clock may reach, 9999-12-31T23:59:59Z in epoch seconds: the last one the
 * API's four-digit-year timestamps can show (docs/time-travel.md).
 */
export const MAX_INSTANT = 253_402_300_799

/** Logs are kept 30 days (docs, "Notes"); every generated row lies in [now - 30 days, now]. */
export const RETENTION_SECONDS = 30 * 86_400

/** Backoff before attempt 2, in seconds; each further wait is ×3, capped at one hour. */
export const BACKOFF_FIRST_SECONDS = 10
export const BACKOFF_FACTOR = 3
export const BACKOFF_CAP_SECONDS = 3_600
/** Seeded jitter added to each wait: up to +20 %. */
export const BACKOFF_JITTER = 0.2

/**
 * The un-jittered wait after attempt `attempt` fails, before attempt + 1 is sent.
 * @example
 * [1, 2, 3, 4, 5, 6, 7].map(backoffSeconds) //=> [10, 30, 90, 270, 810, 2430, 3600]
 */
export function backoffSeconds(attempt: number): number {
  let wait = BACKOFF_FIRST_SECONDS
  for (let k = 1; k < attempt && wait < BACKOFF_CAP_SECONDS; k++) wait *= BACKOFF_FACTOR
  return Math.min(wait, BACKOFF_CAP_SECONDS)
}

/**
 * The wait with jitter `u` ∈ [0, 1): base + floor(base × 0.2 × u).
 * @example
 * jitteredBackoff(2, 0.5) //=> 33
 */
export function jitteredBackoff(attempt: number, u: number): number {
  const base = backoffSeconds(attempt)
  return base + Math.floor(base * BACKOFF_JITTER * u)
}

/**
 * Seconds from the start of attempt k to the start of attempt k + 1: the attempt's own duration
 * (rounded up to whole seconds), then the backoff wait.
 * @example
 * gapAfter(1, 30_000, 0) //=> 40 (a 30 s timeout, then 10 s)
 */
export function gapAfter(attempt: number, durationMs: number, u: number): number {
  return Math.ceil(durationMs / 1000) + jitteredBackoff(attempt, u)
}

const PAD2 = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)))

/**
 * Writes epoch seconds as the docs print log timestamps: `YYYY-MM-DDTHH:MM:SSZ` (UTC, no
 * fraction). Integer civil-date arithmetic (H. Hinnant's days→civil), no Date object.
 * @example
 * writeTimestamp(w, 1705316400) // writes 2024-01-15T11:00:00Z
 */
export function writeTimestamp(w: ByteWriter, epochSeconds: number): void {
  const days = Math.floor(epochSeconds / 86_400)
  // Rows of a page mostly share a day: its date part is remembered, as bytes.
  if (days !== lastDays) {
    lastDays = days
    lastDate = dates.get(days) ?? remember(days)
  }
  w.dateTime(lastDate, epochSeconds - days * 86_400)
}

/**
 * The string twin of writeTimestamp.
 * @example
 * formatTimestamp(1705316400) //=> '2024-01-15T11:00:00Z'
 */
export function formatTimestamp(epochSeconds: number): string {
  return capture((w) => writeTimestamp(w, epochSeconds))
}

let lastDays = NaN
let lastDate: Uint8Array = new Uint8Array(0)
/** Date parts by day number: a page's days and its neighbours' (bounded, then started over). */
const dates = new Map<number, Uint8Array>()

function remember(days: number): Uint8Array {
  if (dates.size >= 1024) dates.clear()
  const date = utf8(civilDate(days))
  dates.set(days, date)
  return date
}

function civilDate(days: number): string {
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  // ISO 8601 years have four digits: year 999 is 0999 (a fixture row may be that old).
  return `${year < 1000 ? String(year).padStart(4, '0') : year}-${PAD2[month]}-${PAD2[day]}`
}

/**
 * Parses a `YYYY-MM-DDTHH:MM:SSZ` timestamp into epoch seconds (NaN for an impossible date).
 * @example
 * parseTimestamp('2024-01-15T11:00:00Z') //=> 1705316400
 */
export function parseTimestamp(text: string): number {
  return Math.floor(parseInstant(text) / 1000)
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/

/**
 * Parses an ISO-8601 instant with a zone into epoch milliseconds, or NaN. Unlike Date.parse it
 * refuses dates that do not exist instead of rolling them over (2024-02-30, 24:00, minute 60).
 * @example
 * parseInstant('2024-02-29T12:00:00Z') //=> 1709208000000
 * parseInstant('2024-02-30T00:00:00Z') //=> NaN
 */
export function parseInstant(text: string): number {
  const m = INSTANT.exec(text)
  if (!m) return Number.NaN
  const [year, month, day, hour, minute, second = '0', zoneHours = '0', zoneMinutes = '0'] = m.slice(1).map((part) => part ?? undefined)
  const y = Number(year)
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Number(month) - 1]
  const real =
    days !== undefined &&
    Number(day) >= 1 &&
    Number(day) <= days &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second) <= 59 &&
    Number(zoneHours) <= 23 &&
    Number(zoneMinutes) <= 59
  return real ? Date.parse(text) : Number.NaN
}
