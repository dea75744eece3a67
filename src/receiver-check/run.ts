// Folder receiver-check/: `talkover-mock check-receiver` and POST /__mock/receiver-check. It sends
// a short series of signed deliveries to one receiver and reports, per check, what was sent, what
// the receiver answered and the verdict. It reuses live delivery's parts (delivery/: the allow-list,
// the capped sender, Standard Webhooks signing and headers) and the world's event names; it may
// import delivery/, http/, state/ and world/. Only the entry points (cli.ts, app.ts) import it.
//
// This file runs the checks one after another against a URL the allow-list already accepted.
import type { Target } from '../delivery/attempt.js'
import { send as realSend, type SendRequest, type SendResult } from '../delivery/send.js'
import { redactUrl } from '../http/redact.js'
import { showHeaders } from '../http/redact-request.js'
import { CHECKS, type Check } from './checks.js'
import { judge, type Verdict } from './judge.js'

/** Each request's deadline without --timeout or a webhook's own: Talkover's default webhook timeout. */
export const DEFAULT_TIMEOUT_S = 30
/** The longest timeout a check takes, as a webhook's `timeout` (5–120 s). */
export const MAX_TIMEOUT_S = 120
/** How much of each answer the report keeps. */
export const REPORT_BODY_CHARS = 512

export interface RunOptions {
  /** The receiver as live delivery would send to it (URL, method, secret, custom headers). */
  target: Target
  /** The target's URL, already accepted by the allow-list. */
  url: URL
  /** Deadline of each request, ms. */
  timeoutMs: number
  /** Real wall-clock ms: `webhook-timestamp`. */
  wallClock: () => number
  /** A fresh `webhook-id`, unique across runs. */
  newId: () => string
  /** Stops the run (the mock is closing); the checks not sent yet fail. */
  signal?: AbortSignal
  /** Replaces the HTTP sender. A test hook. */
  send?: (req: SendRequest) => Promise<SendResult>
  /** Only these checks (by id). A test hook. */
  only?: readonly string[]
  /** Once this much time has passed (ms, by wallClock), the checks left fail unsent; default (requests + 1) × the timeout. */
  budgetMs?: number
}

export interface SentRequest {
  method: string
  headers: Record<string, string>
  body: string
  status?: number
  error?: string
  duration_ms: number
  response_body?: string
}

export interface CheckResult {
  id: string
  title: string
  verdict: Verdict
  note: string
  why: string
  sent: string
  requests: SentRequest[]
}

export interface CheckReport {
  url: string
  /** Seconds each request may take. */
  timeout: number
  outcome: 'passed' | 'failed' | 'unreachable'
  passed: number
  warnings: number
  failed: number
  /** Why nothing could be checked (outcome `unreachable`). */
  problem?: string
  checks: CheckResult[]
}

const UNREACHABLE = /^(Connection refused|Could not resolve host|No route to host|SSL )/
const TIMED_OUT = /^Connection timed out/
/** After this many timeouts in all (in a row or not), the checks left are not sent. */
export const MAX_TIMEOUTS = 3

/** How many requests the checks send (a few send two). */
export function requestCount(checks: readonly Check[], target: Target): number {
  return checks.reduce((n, c) => n + c.probes({ target, now: 0, newId: () => 'msg_count' }).length, 0)
}
/** The URL as the report shows it: user info and query values redacted (the one redaction helper). */
export const shownUrl = redactUrl

/**
 * Runs every check against one receiver, in order, and reports. A receiver that cannot be reached
 * on the first request is `unreachable` (nothing else is sent); after two timeouts in a row, three
 * in all, or once the budget ((requests + 1) × the timeout, which a receiver answering each request
 * within the timeout never spends) is spent, the checks left fail without being sent, so a hung
 * receiver costs a few timeouts, not thirty-five, and a correct but slow one still passes. Custom header values and a URL's
 * user info and query values are hidden in the report.
 * @example
 * await runChecks({ target, url: new URL(target.url), timeoutMs: 30_000, wallClock: Date.now, newId })
 * //=> { url: 'http://127.0.0.1:3000/hook', timeout: 30, outcome: 'passed', passed: 35, warnings: 0, failed: 0, checks: [...] }
 */
export async function runChecks(options: RunOptions): Promise<CheckReport> {
  const sendOne = options.send ?? realSend
  const checks = options.only ? CHECKS.filter((c) => options.only!.includes(c.id)) : CHECKS
  const results: CheckResult[] = []
  let timeoutsInARow = 0
  let timeouts = 0
  const base = { url: shownUrl(options.target.url), timeout: options.timeoutMs / 1000 }
  const started = options.wallClock()
  const budgetRequests = requestCount(checks, options.target) + 1
  const budgetMs = options.budgetMs ?? options.timeoutMs * budgetRequests
  const hidden = new Set(options.target.customHeaders.map((h) => h.key.toLowerCase()))
  for (const check of checks) {
    const skipped = options.signal?.aborted
      ? 'not sent: the check was cancelled (the client left, or talkover-mock closed).'
      : timeoutsInARow >= 2
        ? `not sent: the receiver did not answer the last two requests within ${base.timeout} s.`
        : timeouts >= MAX_TIMEOUTS
          ? `not sent: the receiver did not answer ${MAX_TIMEOUTS} requests within ${base.timeout} s.`
          : options.wallClock() - started > budgetMs
            ? `not sent: the check ran out of its ${budgetMs / 1000} s (${budgetRequests} requests' worth of the ${base.timeout} s timeout); the receiver answers slower than its timeout.`
            : undefined
    if (skipped) {
      results.push(resultOf(check, { verdict: 'fail', note: skipped }, []))
      continue
    }
    const probes = check.probes({ target: options.target, now: Math.floor(options.wallClock() / 1000), newId: options.newId })
    const requests: SentRequest[] = []
    const answers: SendResult[] = []
    for (const probe of probes) {
      const method = options.target.method
      const answer = await sendOne({ url: options.url, method, headers: probe.headers, body: probe.body, timeoutMs: options.timeoutMs, signal: options.signal })
      if (results.length === 0 && answers.length === 0 && answer.kind === 'error' && UNREACHABLE.test(answer.error)) {
        const problem = `Could not reach ${base.url}: ${answer.error}. Start the receiver (or correct the URL) and run the check again.`
        return { ...base, outcome: 'unreachable', passed: 0, warnings: 0, failed: 0, problem, checks: [] }
      }
      answers.push(answer)
      requests.push(sentOf(method, probe, answer, hidden))
      const timedOut = answer.kind === 'error' && TIMED_OUT.test(answer.error)
      timeoutsInARow = timedOut ? timeoutsInARow + 1 : 0
      if (timedOut) timeouts += 1
    }
    results.push(resultOf(check, judge(check.expect, answers), requests))
  }
  const count = (v: Verdict) => results.filter((r) => r.verdict === v).length
  const failed = count('fail')
  return { ...base, outcome: failed > 0 ? 'failed' : 'passed', passed: count('pass'), warnings: count('warn'), failed, checks: results }
}

function resultOf(check: Check, { verdict, note }: { verdict: Verdict; note: string }, requests: SentRequest[]): CheckResult {
  return { id: check.id, title: check.title, verdict, note, why: check.why, sent: check.sent, requests }
}

function sentOf(method: string, probe: { headers: Record<string, string>; body: string }, answer: SendResult, hidden: Set<string>): SentRequest {
  // The one header view: a custom header's value may be a credential, so it is [redacted] like any header not allow-listed.
  const headers = showHeaders(probe.headers, hidden)
  const sent = { method, headers, body: probe.body, duration_ms: answer.durationMs }
  if (answer.kind === 'error') return { ...sent, error: answer.error }
  return { ...sent, status: answer.status, response_body: answer.body.slice(0, REPORT_BODY_CHARS) }
}
