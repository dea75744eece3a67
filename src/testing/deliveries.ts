// deliveries.waitFor: polls the live deliveries until one matches, within one deadline that bounds
// the whole wait, requests in flight included; the caller's AbortSignal stops it sooner.
import type { components } from '../http/openapi-types.js'
import { milliseconds } from './checks.js'
import { MockAssertionError, MockClientError } from './errors.js'
import type { CallOptions } from './transport.js'

type MockDelivery = components['schemas']['MockDelivery']
type MockDeliveryAttempt = components['schemas']['MockDeliveryAttempt']

/** What `deliveries.waitFor` looks for: a delivery to `webhook` whose attempt `attempt` ended with `status` (a log status like `success`, or the receiver's HTTP status). */
export interface DeliveryMatch {
  webhook?: string
  event?: string
  attempt?: number
  status?: MockDeliveryAttempt['status'] | number
}

/** How long `waitFor` waits (whole wait, default 5000 ms), how often it asks (default 25 ms), and what stops it. */
export interface WaitForOptions {
  timeout?: number
  interval?: number
  signal?: AbortSignal
}

/** Polls `list` until a delivery matches `match`; a MockAssertionError listing the attempts so far when `timeout` ends. */
export async function waitForDelivery(
  list: (call: CallOptions) => Promise<MockDelivery[]>,
  /** The list call as a message names it: `GET http://127.0.0.1:4010/__mock/deliveries`. */
  where: string,
  clientTimeout: number,
  match: DeliveryMatch,
  options: WaitForOptions = {},
): Promise<{ delivery: MockDelivery; attempt: MockDeliveryAttempt }> {
  const timeout = milliseconds(options.timeout ?? 5000, 0, 'deliveries.waitFor')
  const interval = milliseconds(options.interval ?? 25, 0, 'deliveries.waitFor', 'interval')
  const deadline = Date.now() + timeout
  let seen: MockDelivery[] = []
  let answered = false
  const expired = (cause?: unknown) => {
    const attempts = seen.flatMap((d) =>
      d.attempts.map((a) => `  ${d.webhook_id} ${d.event} attempt ${a.attempt}: ${a.status}${a.http_status ? ` (${a.http_status})` : ''}`),
    )
    // A poll cut short by the deadline after earlier answers is no sign of a dead mock.
    const why =
      cause && !answered
        ? `: the mock did not answer ${where} in time (is the mock running?).`
        : attempts.length
          ? `.\nAttempts so far:\n${attempts.slice(0, 10).join('\n')}`
          : '. Nothing was delivered (is the mock running with --deliver live?).'
    return new MockAssertionError(`No delivery matched ${JSON.stringify(match)} within ${timeout} ms${why}`, 1, 0, { cause })
  }
  for (;;) {
    if (options.signal?.aborted) throw aborted(where, options.signal)
    const left = deadline - Date.now()
    try {
      // The client's own limit still holds when the deadline is further away.
      seen = await list({ timeout: Math.max(1, Math.min(left, clientTimeout)), signal: options.signal })
      answered = true
    } catch (error) {
      if (error instanceof MockClientError && error.kind === 'timeout' && left <= clientTimeout) throw expired(error)
      throw error
    }
    const found = matching(seen, match)
    if (found) return found
    if (Date.now() >= deadline) throw expired()
    await sleep(Math.min(interval, deadline - Date.now()), options.signal, where)
  }
}

function matching(list: MockDelivery[], match: DeliveryMatch) {
  for (const delivery of list) {
    if (match.webhook !== undefined && delivery.webhook_id !== match.webhook) continue
    if (match.event !== undefined && delivery.event !== match.event) continue
    const attempt = delivery.attempts.find(
      (a) =>
        (match.attempt === undefined || a.attempt === match.attempt) &&
        (match.status === undefined || (typeof match.status === 'number' ? a.http_status === match.status : a.status === match.status)),
    )
    if (attempt) return { delivery, attempt }
  }
  return undefined
}

const sleep = (ms: number, signal: AbortSignal | undefined, where: string) =>
  new Promise<void>((done, fail) => {
    const timer = setTimeout(finish, Math.max(0, ms))
    function finish() {
      signal?.removeEventListener('abort', abort)
      done()
    }
    function abort() {
      clearTimeout(timer)
      fail(aborted(where, signal as AbortSignal))
    }
    signal?.addEventListener('abort', abort, { once: true })
  })

const aborted = (where: string, signal: AbortSignal) =>
  new MockClientError(`talkover-mock: deliveries.waitFor (${where}) was aborted.`, 'aborted', undefined, undefined, { cause: signal.reason })
