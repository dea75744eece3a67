// The Hono side of fault injection, for /api/* only: reads the request's controls, asks the
// control for a decision, waits the delay, then answers normally, with an injected status, or
// with a network fault. On a real socket (@hono/node-server) faults act on the socket; in-process
// (app.request) they are emulated the way fetch reports them: a rejected promise or a body error.
import type { HttpBindings } from '@hono/node-server'
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response'
import type { Context, MiddlewareHandler } from 'hono'
import type { MockControl } from './control.js'
import type { Sleep } from './fault-options.js'
import { apiError } from './errors.js'
import { INJECTED_STATUSES, type Decision } from './faults.js'
import { controlsReader } from './overrides.js'
import { sendError, sendJson } from './respond.js'
import type { Spec } from './spec.js'

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

export interface FaultMiddlewareOptions {
  control: MockControl
  spec: Spec
  sleep: Sleep
}

/**
 * Middleware applying faults to the API routes. Mount it on `/api/*` only.
 * @example
 * app.use('/api/*', faultMiddleware({ control, spec, sleep: timerSleep }))
 */
export function faultMiddleware({ control, spec, sleep }: FaultMiddlewareOptions): MiddlewareHandler {
  const read = controlsReader(spec)

  return async (c, next) => {
    const controls = read(c.req.method, c.req.path, c.req.header())
    if ('error' in controls) return sendError(controls.error)
    const { session, facts, examples } = controls
    const { decision, config } = control.decide(session, facts)
    const trace: FaultTrace = { session, decision }
    traces.set(c, trace)
    const signal = c.req.raw.signal
    const socket = (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket

    const noResponse = (clientAborted: boolean): void => {
      trace.noResponse = true
      if (clientAborted) trace.clientAborted = true
      if (socket) {
        socket.destroy()
        // Clear first: assigning over a finalised response would merge it into the new one.
        c.res = undefined
        c.res = RESPONSE_ALREADY_SENT
        return
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
    if (outcome.kind === 'none' || (outcome.kind === 'network' && outcome.fault === 'truncate')) await next()
    else if (outcome.kind === 'status') c.res = injectedResponse(outcome.status, decision, examples, config.retryAfter)
    await delayed
    if (signal.aborted) return noResponse(true)
    if (outcome.kind !== 'network') return
    if (outcome.fault === 'reset') return noResponse(false)
    if (outcome.fault === 'hang') {
      await sleep(config.hangMs, signal)
      return noResponse(signal.aborted)
    }
    await truncate(c, socket !== undefined)
  }
}

function injectedResponse(status: number, decision: Decision, examples: Map<number, string> | undefined, retryAfter: number): Response {
  const marker = { 'X-Mock-Injected': `${decision.source}; k=${decision.k}` }
  const example = !(INJECTED_STATUSES as readonly number[]).includes(status) && examples?.get(status)
  if (example) return sendJson(status, example, marker)
  const error = apiError('injected', status, retryAfter)
  return sendError({ ...error, headers: { ...error.headers, ...marker } })
}

/** Replaces the response with its headers and the first half of its body, then a broken connection. */
async function truncate(c: Context, onSocket: boolean): Promise<void> {
  const res = c.res
  const bytes = new Uint8Array(await res.arrayBuffer())
  const half = bytes.subarray(0, bytes.length >> 1)
  const headers = Object.fromEntries(res.headers)
  headers['content-length'] = String(bytes.length)
  // Clear first: assigning over a finalised response would merge it into the new one.
  c.res = undefined
  if (onSocket) {
    const { outgoing } = c.env as HttpBindings
    outgoing.writeHead(res.status, headers)
    outgoing.write(half, () => outgoing.socket?.destroy())
    c.res = RESPONSE_ALREADY_SENT
    return
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
  c.res = new Response(body, { status: res.status, headers })
}
