// The journal entry (API and spec routes) and the access-log line of every request, as a wrapper
// of a request runner: it keeps a synchronous route synchronous, so @hono/node-server can write
// the answer at once (an `app.use` middleware would make every answer a promise).
import type { IncomingMessage } from 'node:http'
import type { Context, MiddlewareHandler } from 'hono'
import type { MockControl } from './control.js'
import { bodyShare, keptBody, keptHeaders } from './entry-bounds.js'
import type { HeaderSource, RecordedEntry } from './requests.js'
import { faultTrace, isEmulatedNetworkFailure } from '../faults/layer.js'
import { describeDecision } from '../faults/decide.js'
import { redactSecretQuery } from '../http/redact.js'
import { answerOf } from '../http/respond.js'
import type { Runner } from '../http/routes.js'

/**
 * Wraps runners so each request is journaled and logged once it is answered (or fails), and
 * keeps the session it names (X-Mock-Session, or `?session=` on the admin API) alive.
 * @example
 * const observed = observer(control, console.log)
 * app.get('/openapi.yaml', observed(run))
 */
export function observer(
  control: MockControl,
  log: ((line: string) => void) | undefined,
  refresh: (session: string) => void = () => {},
): (run: Runner) => Runner {
  return (run) => (c) => {
    const started = control.clock()
    // Any request naming a session keeps all of it alive, whatever it asks and answers.
    const session = c.req.header('x-mock-session') || (c.req.path.startsWith('/__mock/') ? c.req.query('session') : undefined)
    if (session) refresh(session)
    // Another replica's write applied here (fleet/replicate.ts): that replica journals and logs it.
    if ((c.env as { fleetReplay?: true } | undefined)?.fleetReplay) return run(c)
    let res: Response | Promise<Response>
    try {
      res = run(c)
    } catch (error) {
      finish(c, control, log, started, error)
      throw error
    }
    if (!(res instanceof Promise)) return finish(c, control, log, started, undefined, res)
    return res.then(
      (answer) => finish(c, control, log, started, undefined, answer),
      (error: unknown) => {
        finish(c, control, log, started, error)
        throw error
      },
    )
  }
}

/**
 * The same as a middleware, for the admin routes, whose token check is a middleware of its own
 * (they are not on the hot path).
 * @example
 * app.use('/__mock/*', observing(observer(control, log)))
 */
export function observing(observed: (run: Runner) => Runner): MiddlewareHandler {
  return async (c, next) => {
    await observed(async () => {
      await next()
      return c.res
    })(c)
  }
}

/**
 * Journals and logs requests the answer cache wrote on the socket (http/answer-cache.ts): exactly
 * what finish() below records for a GET that took the fault layer's quiet path, k included. The
 * path and query are split once per kept answer (describe), not per request.
 * @example
 * const journal = cacheJournal(control, log)
 * journal.answered(journal.describe('/api/v1/agents/a/webhooks/w/logs?per_page=5'), 200, startedAt)
 */
export function cacheJournal(control: MockControl, log: ((line: string) => void) | undefined) {
  return {
    describe(url: string): { path: string; search: string } {
      const [path, search] = pathAndSearch(`http://cache${url}`)
      return { path, search }
    },
    answered(
      { path, search }: { path: string; search: string },
      status: number,
      started: number,
      incoming: IncomingMessage,
      answer?: { headers: Record<string, string>; body: Uint8Array },
    ): void {
      const k = control.count()
      const duration = elapsed(control, started)
      if (log) log(accessLine('GET', path, search, status, duration))
      const entry = journalEntry('GET', path, search, incoming.rawHeaders, status, duration)
      entry.k = k
      const kept = answer && control.keepAnswer(answer.headers, answer.body)
      if (kept) entry.answer = kept
      control.record(entry, started, true)
    },
  }
}

/** Milliseconds since `started` on the control's clock, to one decimal. */
const elapsed = (control: MockControl, started: number) => Math.round((control.clock() - started) * 10) / 10

/** The access-log line of an answered request (`-` when no response was sent), before any fault notes. */
const accessLine = (method: string, path: string, search: string, status: number | undefined, duration: number) =>
  `${method} ${path}${redactSecretQuery(search)} ${status ?? '-'} ${duration.toFixed(1)}ms`

/**
 * A request's journal entry: seq and time first, as the journal shows them (record() fills them
 * in); no status when none was sent. The headers are a reference (a bounded copy when they are
 * large), read and redacted when shown.
 */
function journalEntry(method: string, path: string, search: string, source: HeaderSource, status: number | undefined, duration: number): RecordedEntry {
  const { headers, truncated } = keptHeaders(source)
  const entry: RecordedEntry = { seq: 0, time: 0, method, path, query: search.slice(1), headers, status, duration_ms: duration }
  if (status === undefined) delete entry.status
  if (truncated) entry.headers_truncated = true
  return entry
}

function finish(c: Context, control: MockControl, log: ((line: string) => void) | undefined, started: number, error: unknown, res?: Response): Response {
  const duration = elapsed(control, started)
  const trace = faultTrace(c)
  // A thrown error that is not an emulated network failure becomes app.onError's 500.
  const status =
    trace?.noResponse || (error !== undefined && isEmulatedNetworkFailure(error))
      ? undefined
      : error !== undefined
        ? 500
        : (trace?.writtenStatus ?? res!.status)
  const [path, search] = pathAndSearch(c.req.url)
  const admin = path.startsWith('/__mock/')
  // The dashboard reads the admin API every second: its reads (marked X-Mock-Dashboard) would bury
  // the access log, so they are left out of it. Its changes (PATCH, reset) are logged.
  if (log && !(admin && c.req.method === 'GET' && c.req.header('x-mock-dashboard') !== undefined)) {
    const extra = [trace && describeDecision(trace.decision), trace?.session && `session=${trace.session}`, trace?.clientAborted && 'client-aborted']
    log([accessLine(c.req.method, path, search, status, duration), ...extra].filter(Boolean).join(' '))
  }
  if (!admin) {
    // On a real socket node:http's raw header list (building a Headers object costs), in-process the request's Headers.
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
    const entry = journalEntry(c.req.method, path, search, incoming?.rawHeaders ?? c.req.raw.headers, status, duration)
    keepBody(c, entry, control)
    if (trace) {
      const { decision } = trace
      if (trace.session !== undefined) entry.session = trace.session
      entry.k = decision.k
      if (decision.delayMs > 0) entry.latency_ms = decision.delayMs
      const { outcome } = decision
      if (outcome.kind === 'status') entry.fault = { kind: 'status', status: outcome.status, via: decision.source! }
      if (outcome.kind === 'network') entry.fault = { kind: outcome.fault, via: decision.source! }
      if (trace.clientAborted) entry.client_aborted = true
    }
    const retry = c.get('retry')
    if (retry) entry.retry = retry
    const webhook = c.get('webhook')
    if (webhook) entry.webhook = webhook
    // What was answered, unless a network fault cut or withheld it.
    const answer = status !== undefined && res && !(entry.fault && entry.fault.kind !== 'status') ? answerOf(res) : undefined
    const kept = answer && control.keepAnswer(answer.headers, answer.body)
    if (kept) entry.answer = kept
    control.record(entry, started, trace?.counted === true)
  }
  return res!
}

/**
 * Puts the body the route read (writes only: a GET's is never read) into the entry, redacted and
 * then bounded (so a cut never reveals what redaction would hide), once the read has settled:
 * Hono keeps it as a promise in `bodyCache`.
 */
function keepBody(c: Context, entry: RecordedEntry, control: MockControl): void {
  const method = c.req.method
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return
  const max = bodyShare(control.journalCapacity)
  const read = c.req.bodyCache.text as Promise<string> | string | undefined
  if (read === undefined) return
  const type = c.req.header('content-type')
  void Promise.resolve(read).then(
    (text) => {
      try {
        Object.assign(entry, keptBody(text, type, max))
      } catch {
        // Never an unhandled rejection from what a client sent; a body that cannot be redacted is not shown.
        entry.body = '[a body that could not be redacted, not shown]'
      }
    },
    () => {},
  )
}

/** A path and query that WHATWG URL parsing leaves as they are: no dot segments, nothing to percent-encode, no fragment. */
const PLAIN = /^\/[\w\-.~/%:@!$&'()*+,;=]*(\?[\w\-.~/%:@!$&'()*+,;=?]+)?$/
const DOT_SEGMENT = /\/(\.|%2e){1,2}(\/|\?|$)/i

/**
 * `pathname` and `search` of a request URL, exactly as `new URL(url)` gives them, without building
 * a URL object for the usual plain URL.
 * @example
 * pathAndSearch('http://localhost/api/v1/x?page=2') //=> ['/api/v1/x', '?page=2']
 */
export function pathAndSearch(url: string): [string, string] {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  const rest = start < 0 ? '/' : url.slice(start)
  if (PLAIN.test(rest) && !DOT_SEGMENT.test(rest)) {
    const q = rest.indexOf('?')
    return q < 0 ? [rest, ''] : [rest.slice(0, q), rest.slice(q)]
  }
  const parsed = new URL(url)
  return [parsed.pathname, parsed.search]
}
