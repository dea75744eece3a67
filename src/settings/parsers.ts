// Parsers shared by the settings' rows: whole numbers, rates, choices and instants, each failing
// with one sentence that names the setting and the accepted form; and the check that refuses an
// unknown option of createApp/startServer, naming the closest one.
import { parseInstant } from '../world/time.js'
import { ConfigError } from './model.js'

/** A parser of whole numbers in [min, max]; `form` says the accepted form in the error. */
export const wholeNumber = (min: number, max: number, form: string) => (raw: string, flag: string) => {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`Invalid ${flag} "${raw}": use ${form}.`)
  }
  return Number(raw)
}

export const rate = (raw: string, flag: string) => {
  if (!/^(\d{1,2}(\.\d{0,12})?|\.\d{1,12})$/.test(raw) || Number(raw) > 1)
    throw new ConfigError(`Invalid ${flag} "${raw}": use a number from 0 to 1, like 0.1.`)
  return Number(raw)
}

/** A parser of one of `choices`. */
export const oneOf =
  <T extends string | number>(choices: readonly T[]) =>
  (raw: string, flag: string): T => {
    const hit = choices.find((c) => String(c) === raw)
    if (hit === undefined) {
      const list = choices.map(String)
      throw new ConfigError(`Invalid ${flag} "${raw}": use ${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}.`)
    }
    return hit
  }

/**
 * Parses `--now`: an ISO-8601 instant, or `wall` for the real time at start. Whole seconds only:
 * log timestamps have no fraction.
 * @example
 * parseNow('2024-01-15T12:00:00Z') //=> 1705320000
 */
export function parseNow(raw: string, flag = '--now', wallClock: () => number = () => NaN): number {
  if (raw === 'wall') {
    const at = wallClock()
    if (!Number.isFinite(at))
      throw new ConfigError(`Invalid ${flag} "wall": no clock to read here; use an ISO-8601 time with a zone like 2024-01-15T12:00:00Z.`)
    return inRange(Math.floor(at / 1000), flag, raw)
  }
  const ms = parseInstant(raw)
  if (Number.isNaN(ms)) {
    throw new ConfigError(`Invalid ${flag} "${raw}": use an ISO-8601 time with a zone like 2024-01-15T12:00:00Z, or "wall" for the time at start.`)
  }
  return inRange(Math.floor(ms / 1000), flag, raw)
}

/**
 * The instants `now` may take: every timestamp the world shows (rows and webhooks up to ~13 months
 * before `now`, retries after it) then keeps a four-digit year after 1970, as openapi.yaml's
 * Timestamp requires.
 */
export const NOW_RANGE = { min: '1971-01-01T00:00:00Z', max: '9998-12-31T23:59:59Z' } as const

function inRange(now: number, flag: string, raw: string): number {
  if (now < Date.parse(NOW_RANGE.min) / 1000 || now > Date.parse(NOW_RANGE.max) / 1000) {
    throw new ConfigError(`Invalid ${flag} "${raw}": use a time from ${NOW_RANGE.min} to ${NOW_RANGE.max}, like 2024-01-15T12:00:00Z.`)
  }
  return now
}

/**
 * Refuses keys of an options object that are not options, naming the closest one: a typo must
 * not be ignored silently.
 * @example
 * refuseUnknownOptions({ journalsize: 5 }, ['seed', 'journalSize'], 'createApp')
 * // throws 'Unknown createApp option "journalsize": did you mean "journalSize"? The options are seed, journalSize.'
 */
export function refuseUnknownOptions(options: object, known: readonly string[], what: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ConfigError(`Unknown ${what} option "${key}": did you mean "${closest(key, known)}"? The options are ${known.join(', ')}.`)
    }
  }
}

/**
 * The candidate fewest edits away from `name` (Levenshtein distance, ignoring case); the first on a tie.
 * @example
 * closest('journalsize', ['seed', 'journalSize']) //=> 'journalSize'
 */
export function closest(name: string, candidates: readonly string[]): string {
  let best = candidates[0]
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance]
  }
  return best
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = row
  }
  return previous[b.length]
}
