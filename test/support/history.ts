// Invariants of a webhook's whole history, as one checker the property tests share. It returns
// the broken rules as sentences (an empty list means the history is sound), so a failing test
// says which rule broke on which row.
import { encodeLog } from '../../src/world/log-json.js'
import { backoffSeconds, BACKOFF_JITTER, RETENTION_SECONDS } from '../../src/world/time.js'
import { expectSchema } from './contract.js'
import type { LogRecord, WebhookProfile } from '../../src/world/model.js'

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  410: 'Gone',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/** The longest wait the backoff schedule allows after `attempt`. */
const maxWait = (attempt: number) => backoffSeconds(attempt) + Math.floor(backoffSeconds(attempt) * BACKOFF_JITTER)

/**
 * Every rule a full history must keep. `rows` must be the complete history, newest first. For a
 * world seen at a later instant pass `now` (the instant), `total` (the list's count) and `cutoff`
 * (the oldest instant retention keeps): a delivery cut by retention may then miss its first attempts.
 * @example
 * expect(historyProblems(profile, logsPage(world, profile, 0, profile.total))).toEqual([])
 */
export function historyProblems(
  profile: WebhookProfile,
  rows: LogRecord[],
  { window = true, now = profile.now, total = profile.total, cutoff = Number.NEGATIVE_INFINITY } = {},
): string[] {
  const problems: string[] = []
  const moved = now !== profile.now
  const say = (r: LogRecord, what: string) =>
    problems.length < 20 && problems.push(`${profile.agentId}/${profile.webhookId} row ${r.id} (attempt ${r.attempt}, ${r.status}): ${what}`)
  if (rows.length !== total) problems.push(`${rows.length} rows for a total of ${total}`)
  if (new Set(rows.map((r) => r.id)).size !== rows.length) problems.push('duplicate ids')
  rows.forEach((r, i) => {
    if (i > 0 && r.createdAt > rows[i - 1].createdAt) say(r, 'is newer than the row before it')
    if (window && (r.createdAt > now || r.createdAt < now - RETENTION_SECONDS)) say(r, 'lies outside the 30-day window')
    if (r.attempt > profile.maxRetries + 1) say(r, `attempt exceeds 1 + max_retries (${profile.maxRetries})`)
    if (r.status !== 'pending' && r.status !== 'success' && r.status !== 'failed' && r.status !== 'retrying') say(r, 'unknown status')
    const json = JSON.parse(encodeLog(r))
    try {
      expectSchema(json, '#/components/schemas/WebhookLog')
    } catch (error) {
      say(r, (error as Error).message.split('\n')[0])
    }
    if (r.status === 'success' && window && r.deliveredAt! > now) say(r, 'was delivered after now')
    if (r.status === 'failed' || r.status === 'retrying') {
      const timedOut = r.error!.match(/^Connection timed out after (\d+) seconds$/)
      if (timedOut && (r.durationMs! < profile.timeout * 1000 || r.durationMs! > profile.timeout * 1000 + 100 || Number(timedOut[1]) !== profile.timeout))
        say(r, 'timed out with a duration far from the timeout')
      if (!timedOut && r.durationMs! >= profile.timeout * 1000) say(r, 'took longer than the timeout without timing out')
      if (r.httpStatus === undefined ? !/^(Connection|SSL|Could not resolve host)/.test(r.error!) : r.error !== REASONS[r.httpStatus])
        say(r, 'has an error that does not fit its http_status')
    }
  })
  const chains = new Map<string, LogRecord[]>()
  for (const r of rows) chains.set(r.payloadJson, [...(chains.get(r.payloadJson) ?? []), r])
  for (const chain of chains.values()) {
    chain.sort((a, b) => a.attempt - b.attempt)
    const last = chain[chain.length - 1]
    // Retention may have dropped the first attempts of a delivery that began near the cutoff.
    const cut = chain[0].createdAt < cutoff + 6 * 3_600
    chain.forEach((r, k) => {
      if (!cut && r.attempt !== k + 1) say(r, `attempts of a delivery are ${chain.map((c) => c.attempt).join(',')}, not 1…${chain.length}`)
      if (r.event !== chain[0].event) say(r, 'has another event than its delivery')
      if (k > 0 && r.createdAt <= chain[k - 1].createdAt) say(r, 'is not later than the attempt before it')
      if (r !== last && r.status !== 'retrying') say(r, 'is not the last attempt but is not retrying')
    })
    // With failure_rate 1 a delivery cut to one row by a full segment ends failed at attempt 1 (docs/fixtures.md).
    const cutShort = profile.failureRate >= 1 && last.attempt === 1
    if (last.status === 'failed' && last.attempt !== profile.maxRetries + 1 && !cutShort) say(last, 'failed before 1 + max_retries attempts')
    // At the anchor a pending row is a first attempt queued in the last seconds; later, any attempt
    // still under way (at most the timeout, plus the second it was sent in).
    if (last.status === 'pending' && !moved && (last.attempt !== 1 || last.createdAt < now - 5))
      say(last, 'is pending but not a delivery queued in the last seconds')
    if (last.status === 'pending' && moved && last.createdAt < now - 5 - profile.timeout - 2) say(last, 'is pending long after its attempt must have ended')
    if (last.status === 'retrying' && last.createdAt + Math.ceil(last.durationMs! / 1000) + maxWait(last.attempt) <= now)
      say(last, 'is the last attempt and retrying, but its next attempt was due before now')
  }
  return problems
}
