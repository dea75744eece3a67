// How a check's answers become its verdict: pass (✓), warning (!) or failure (✗), with one
// sentence saying why. Pure.
import type { SendResult } from '../delivery/send.js'

/** What a check wants: every answer 2xx, a refusal (4xx), or 2xx for an unknown event. */
export type Expect = 'accept' | 'refuse' | 'accept-unknown'

export type Verdict = 'pass' | 'warn' | 'fail'

export interface Judgement {
  verdict: Verdict
  note: string
}

/**
 * The verdict of one check from its answers (one per request it sent, in order).
 * @example
 * judge('refuse', [{ kind: 'response', status: 503, … }]) //=> { verdict: 'warn', note: 'refused with 503: …' }
 */
export function judge(expect: Expect, results: readonly SendResult[]): Judgement {
  for (const r of results) {
    if (r.kind === 'response' && r.status >= 300 && r.status < 400)
      return fail(`answered ${r.status}, a redirect: senders do not follow redirects, so the delivery fails. Point the webhook at the final URL.`)
  }
  if (expect === 'refuse') return refusal(results[0])
  const bad = results.findIndex((r) => r.kind !== 'response' || r.status < 200 || r.status >= 300)
  if (bad === -1)
    return { verdict: 'pass', note: results.length > 1 ? `answered ${results.map((r) => (r as { status: number }).status).join(' then ')}` : 'acknowledged' }
  const r = results[bad]
  const which = results.length > 1 ? `delivery ${bad + 1} of ${results.length}: ` : ''
  if (r.kind === 'error') return fail(`${which}${clause(r.error)}: the sender counts that as a failure and retries.`)
  if (expect === 'accept-unknown' && r.status === 410)
    return { verdict: 'warn', note: 'answered 410 Gone: the sender stops retrying, but logs the delivery as failed. Prefer 2xx for events you ignore.' }
  return fail(`${which}answered ${r.status}: the sender counts any non-2xx as a failure and retries it.`)
}

/** A request that must be refused: 4xx passes, 2xx fails, 5xx or no answer is a warning (the sender would retry). */
function refusal(r: SendResult): Judgement {
  if (r.kind === 'error') return { verdict: 'warn', note: `${clause(r.error)}: refuse it with 400 or 401 at once, or the sender retries it.` }
  if (r.status >= 200 && r.status < 300) return fail(`accepted it with ${r.status}: anyone could send this request and be believed.`)
  if (r.status >= 500) return { verdict: 'warn', note: `refused with ${r.status}: the sender retries a 5xx, so answer 400 or 401 instead.` }
  return { verdict: 'pass', note: `refused with ${r.status}` }
}

const fail = (note: string): Judgement => ({ verdict: 'fail', note })
/** A sender's error sentence as a clause, so `: …` can follow it (no `.:`). */
const clause = (error: string) => error.replace(/\.$/, '')
