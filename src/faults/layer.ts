// Folder faults/: latency, the seeded error schedule, the decision per request, per-request
// override headers, the createApp fault options and this Hono layer. It may import http/ and the
// settings table (options.ts); it knows nothing of the world, state, api or admin.
//
// The Hono side of fault injection, for /api/* only: a wrapper of each route's runner that reads
// the request's controls, asks the control for a decision, waits the delay, then answers
// normally, with an injected status, or with a network fault. On a real socket
// (@hono/node-server) faults act on the socket; in-process (app.request) they are emulated the way
// fetch reports them: a rejected promise or a body error.
import type { HttpBindings } from '@hono/node-server'
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response'
import type { Context } from 'hono'
import type { Sleep } from './options.js'
import { apiError } from '../http/errors.js'
import { INJECTED_STATUSES, nothingDecided, type Decision, type FaultConfig, type RequestFacts } from './decide.js'
import { CONTROL_HEADER_NAMES, controlsReader } from './overrides.js'
import type { Runner } from '../http/routes.js'
import type { Responder } from '../http/respond.js'
import type { Spec } from '../http/spec.js'

// node-server only honours the "already sent" marker on a native Response; its own lightweight
// Response (the global once a server runs) loses it unless its body is materialised first.
void RESPONSE_ALREADY_SENT.body

/** What the fault layer did to a request, for the access log and the journal. */
export interface FaultTrace {
  session?: string
  decision: Decision
  /** No response was sent: reset, hang, or the client left during the delay. */
  noResponse?: boolean
  clientAborted?: boolean
  /** The status written on the socket by the layer itself (truncate), which the returned marker does not carry. */
  writtenStatus?: number
  /** The request took the quiet path: only counted (replicas take its k from the fleet's count). */
  counted?: true
}

/** What replicas (fleet/replicate.ts) put on a request's env: see FleetEnv there. */
interface FleetHooks {
  fleetReplay?: true
  fleetSettled?: () => void
  fleetBeforeAnswer?: () => Promise<void>
}

const traces = new WeakMap<Context, FaultTrace>()

/** The fault layer's record of a request, if it went through it. */
export function faultTrace(c: Context): FaultTrace | undefined {
  return traces.get(c)
}

const emulated = new WeakSet<object>()

/** True for errors thrown on purpose to emulate a network failure in-process: let them through. */
export function isEmulatedNetworkFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && emulated.has(error)
}

/** The error fetch gives for a broken connection (`fetch failed`) or body (`terminated`). */
function networkError(message: 'fetch failed' | 'terminated', why: string, code: string): TypeError {
  const error = new TypeError(message, { cause: Object.assign(new Error(why), { code }) })
  emulated.add(error)
  return error
}

/**
 * The real wait: a timer, never a busy loop; resolves early only when `signal` aborts. Node's
 * timers may fire up to a millisecond early, so it sleeps again for any remainder: a client
 * timeout equal to the latency must see the full delay.
 */
export const timerSleep: Sleep = (ms, signal) =>
  new Promise((done) => {
    if (signal?.aborted) return done()
    const deadline = performance.now() + ms
    let timer: ReturnType<typeof setTimeout>
    const finish = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', finish)
      done()
    }
    const wait = () => {
      const left = deadline - performance.now()
      if (left <= 0) return finish()
      timer = setTimeout(wait, Math.ceil(left))
    }
    signal?.addEventListener('abort', finish, { once: true })
    wait()
  })

/** What the layer asks of the control plane (admin/control.ts): the decision for one request. */
export interface FaultDecider {
  decide(session: string | undefined, facts: RequestFacts): { decision: Decision; config: FaultConfig }
  /** True when a request without control headers can only be counted (see decidesNothing). */
  quiet(): boolean
  /** Counts such a request; returns its k. */
  count(): number
}

export interface FaultMiddlewareOptions {
  control: FaultDecider & { clock: () => number }
  spec: Spec
  sleep: Sleep
  /** Writes injected answers with the API's constant headers (CORS, rate limits). */
  respond: Responder
  /** The rate-limit headers of an injected 429 (Remaining 0, Retry-After, Reset). */
  throttled: (retryAfter: number, nowMs: number) => Record<string, string>
}

/**
 * Wraps a route runner of the API with fault injection. A request with no delay and no network
 * fault is answered at once, synchronously when the route is, so @hono/node-server can write it
 * without awaiting: an `app.use` middleware here halved the cached-page rate.
 * @example
 * const faults = faultLayer({ control, spec, sleep: timerSleep })
 * app.get('/api/…', faults(run))
 */
export function faultLayer({ control, spec, sleep, respond, throttled }: FaultMiddlewareOptions): (run: Runner) => Runner {
  const read = controlsReader(spec)
  const inject: Inject = (status, decision, examples, retryAfter) => {
    const marker = { 'X-Mock-Injected': `${decision.source}; k=${decision.k}` }
    const example = !(INJECTED_STATUSES as readonly number[]).includes(status) && examples?.get(status)
    if (example) return respond.json(status, example, marker)
    const error = apiError('injected', status, retryAfter)
    const limits = status === 429 ? throttled(retryAfter, control.clock()) : undefined
    return respond.error({ ...error, headers: { ...error.headers, ...limits, ...marker } })
  }

  return (run) => (c) => {
    // The fast path: nothing configured and nothing asked for. O(1): a flag and a header scan.
    if (control.quiet() && !hasControlHeader(c)) {
      // Counted here unless it is a write of the fleet's log, which the log counts (fleet/replicate.ts).
      traces.set(c, { decision: nothingDecided(control.count()), counted: (c.env as FleetHooks | undefined)?.fleetSettled === undefined || undefined })
      return run(c)
    }
    // Only the control headers: collecting every header would cost more than the decision.
    const headers: Record<string, string> = {}
    for (const name of CONTROL_HEADER_NAMES) {
      const value = c.req.header(name)
      if (value !== undefined) headers[name] = value
    }
    const controls = read(c.req.method, c.req.path, headers)
    if ('error' in controls) return respond.error(controls.error)
    const { session, facts, examples } = controls
    const { decision, config } = control.decide(session, facts)
    const trace: FaultTrace = { session, decision }
    traces.set(c, trace)
    const { outcome } = decision
    if (decision.delayMs === 0 && outcome.kind !== 'network') {
      return outcome.kind === 'status' ? inject(outcome.status, decision, examples, config.retryAfter) : run(c)
    }
    return delayedOrBroken(c, run, trace, config, examples, sleep, inject)
  }
}

/**
 * Whether the request carries any control header. On a real socket this looks in Node's parsed
 * headers (no Headers object is built); in-process it asks Hono for each name.
 */
function hasControlHeader(c: Context): boolean {
  const parsed = (c.env as Partial<HttpBindings> | undefined)?.incoming?.headers
  if (!parsed) return CONTROL_HEADER_NAMES.some((name) => c.req.header(name) !== undefined)
  for (const name of CONTROL_HEADER_NAMES) if (parsed[name] !== undefined) return true
  return false
}

/** The slow path: a delay, a network fault, or both. */
async function delayedOrBroken(
  c: Context,
  run: Runner,
  trace: FaultTrace,
  config: FaultConfig,
  examples: Map<number, string> | undefined,
  sleep: Sleep,
  inject: Inject,
): Promise<Response> {
  const { decision } = trace
  const signal = c.req.raw.signal
  const socket = (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket
  // Another replica's write applied here: its state change, without its waits.
  const fleet = (c.env ?? {}) as FleetHooks
  if (fleet.fleetReplay) sleep = async () => {}

  const noResponse = (clientAborted: boolean): Response => {
    trace.noResponse = true
    if (clientAborted) trace.clientAborted = true
    if (socket) {
      socket.destroy()
      return RESPONSE_ALREADY_SENT
    }
    if (clientAborted) {
      const reason: unknown = signal.reason ?? new DOMException('This operation was aborted', 'AbortError')
      if (typeof reason === 'object' && reason !== null) emulated.add(reason)
      throw reason
    }
    const fault = decision.outcome.kind === 'network' ? decision.outcome.fault : 'fault'
    throw networkError('fetch failed', `talkover-mock closed the connection without a response (injected ${fault})`, 'ECONNRESET')
  }

  // The delay is the response time: the request is handled on arrival and its response held
  // until the delay has passed, so handler work never adds to it (50 requests released by the
  // same timer tick only have to be written, not computed).
  const delayed = decision.delayMs > 0 ? sleep(decision.delayMs, signal) : undefined
  const { outcome } = decision
  let res: Response | undefined
  if (outcome.kind === 'none' || (outcome.kind === 'network' && outcome.fault === 'truncate')) res = await run(c)
  else if (outcome.kind === 'status') res = inject(outcome.status, decision, examples, config.retryAfter)
  // The state change is made: replicas may apply the next write while this one waits.
  fleet.fleetSettled?.()
  await delayed
  await fleet.fleetBeforeAnswer?.()
  if (signal.aborted) return noResponse(true)
  if (outcome.kind !== 'network') return res!
  if (outcome.fault === 'reset') return noResponse(false)
  if (outcome.fault === 'hang') {
    await sleep(config.hangMs, signal)
    return noResponse(signal.aborted)
  }
  return truncate(c, res!, trace, socket !== undefined)
}

/** An injected status: the spec's example for a declared status, else the errors table's body. */
type Inject = (status: number, decision: Decision, examples: Map<number, string> | undefined, retryAfter: number) => Response

/** The response's headers and the first half of its body, then a broken connection. */
async function truncate(c: Context, res: Response, trace: FaultTrace, onSocket: boolean): Promise<Response> {
  const bytes = new Uint8Array(await res.arrayBuffer())
  const half = bytes.subarray(0, bytes.length >> 1)
  const headers = Object.fromEntries(res.headers)
  headers['content-length'] = String(bytes.length)
  if (onSocket) {
    const { outgoing } = c.env as HttpBindings
    outgoing.writeHead(res.status, headers)
    trace.writtenStatus = res.status
    outgoing.write(half, () => outgoing.socket?.destroy())
    return RESPONSE_ALREADY_SENT
  }
  let delivered = false
  const body = new ReadableStream<Uint8Array>({
    // The half arrives on the first read and the error on the next: erroring right after
    // enqueueing would discard the queued half.
    pull(controller) {
      if (delivered) controller.error(networkError('terminated', 'talkover-mock closed the connection mid-body (injected truncate)', 'UND_ERR_SOCKET'))
      else controller.enqueue(half)
      delivered = true
    },
  })
  return new Response(body, { status: res.status, headers })
}
