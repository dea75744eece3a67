// When the next automatic attempt of a live delivery is sent: the generated world's schedule by
// default, or the --deliver-backoff list, and how a receiver's Retry-After stretches a wait. Pure.
import { backoffSeconds } from '../world/time.js'

/** Longest wait one --deliver-backoff value may ask for: a day. */
export const MAX_BACKOFF_SECONDS = 86_400

/**
 * Parses `--deliver-backoff`: seconds between attempts, comma-separated, fractions allowed; the
 * last value repeats when a webhook allows more retries. Returns the list or what is wrong.
 * @example
 * parseBackoff('1,2,4') //=> [1, 2, 4]
 * parseBackoff('0.05') //=> [0.05]
 */
export function parseBackoff(raw: string): number[] | string {
  const parts = raw.split(',').map((s) => s.trim())
  if (parts.length === 0 || parts.length > 20) return 'it needs 1 to 20 values'
  const out: number[] = []
  for (const part of parts) {
    if (!/^(\d{1,5}(\.\d{1,3})?|\.\d{1,3})$/.test(part) || Number(part) > MAX_BACKOFF_SECONDS)
      return `"${part}" is not a number of seconds from 0 to ${MAX_BACKOFF_SECONDS}`
    out.push(Number(part))
  }
  return out
}

/**
 * Milliseconds to wait after attempt `attempt` failed, before attempt + 1: the list's value for
 * it (its last value once past the end), or the generated world's backoff without jitter
 * (10 s, 30 s, 90 s … capped at one hour).
 * @example
 * waitAfter(undefined, 1) //=> 10000
 * waitAfter([1, 2, 4], 5) //=> 4000
 */
export function waitAfter(schedule: readonly number[] | undefined, attempt: number): number {
  if (!schedule) return backoffSeconds(attempt) * 1000
  return Math.round(schedule[Math.min(attempt, schedule.length) - 1] * 1000)
}

/**
 * The wait a 429 or 503 asks for with `Retry-After` (seconds or an HTTP date), honoured up to
 * twice the scheduled wait; the scheduled wait when the header is absent or unreadable.
 * @example
 * honourRetryAfter('5', 2000, Date.now()) //=> 4000 (capped at 2 × 2 s)
 * honourRetryAfter('1', 2000, Date.now()) //=> 1000
 */
export function honourRetryAfter(header: string | undefined, scheduledMs: number, wallNowMs: number): number {
  if (header === undefined) return scheduledMs
  const text = header.trim()
  const asked = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - wallNowMs
  if (!Number.isFinite(asked)) return scheduledMs
  return Math.min(Math.max(0, asked), scheduledMs * 2)
}
