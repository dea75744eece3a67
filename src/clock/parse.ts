// Parsing what people type for time: durations like "1h30m" (or plain seconds) and ISO-8601
// instants with a zone. Pure; every failure is one sentence saying what was wrong and how to fix it.
import { MAX_INSTANT, parseInstant as strictInstant } from '../world/time.js'

export { MAX_INSTANT }

/** MAX_INSTANT as people read it. */
export const MAX_INSTANT_TEXT = '9999-12-31T23:59:59Z'

/** Longest single move of a clock: 100 years, so instants stay far inside safe integers. */
export const MAX_ADVANCE_SECONDS = 100 * 365 * 86_400

const UNITS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 }

/**
 * Seconds in a duration: a whole number of seconds (3600, or "3600") or units in the order
 * d, h, m, s ("1h30m", "2d", "45s", "1d2h3m4s").
 * @example
 * parseDuration('1h30m') //=> { ok: true, seconds: 5400 }
 * parseDuration(-5) //=> { ok: false, problem: 'Invalid advance -5: …' }
 */
export function parseDuration(value: unknown, label = 'advance'): { ok: true; seconds: number } | { ok: false; problem: string } {
  const problem = `Invalid ${label} ${JSON.stringify(value)}: use whole seconds like 3600 or a duration like "1h30m" (units d, h, m, s), at most 100 years; a clock only moves forward.`
  let seconds = NaN
  if (typeof value === 'number') seconds = value
  else if (typeof value === 'string') {
    const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value)
    if (/^\d+$/.test(value)) seconds = Number(value)
    else if (m && value !== '') seconds = ['d', 'h', 'm', 's'].reduce((sum, unit, i) => sum + Number(m[i + 1] ?? 0) * UNITS[unit], 0)
  }
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_ADVANCE_SECONDS) return { ok: false, problem }
  return { ok: true, seconds }
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

/**
 * Epoch seconds of an ISO-8601 instant with a zone (fractions of a second are dropped), or
 * undefined when it is not one. It may lie past MAX_INSTANT (9999-12-31T23:59:59-12:00 does):
 * callers refuse that with their own sentence.
 * @example
 * parseInstant('2024-01-16T00:00:00Z') //=> 1705363200
 * parseInstant('tomorrow') //=> undefined
 */
export function parseInstant(text: unknown): number | undefined {
  if (typeof text !== 'string' || !ISO.test(text)) return undefined
  // The strict parser refuses dates that do not exist (2024-02-30) instead of rolling them over.
  const ms = strictInstant(text)
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000)
}

/**
 * An instant as the API prints it: `YYYY-MM-DDTHH:MM:SSZ`.
 * @example
 * formatInstant(1705320000) //=> '2024-01-15T12:00:00Z'
 */
export function formatInstant(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
