// How mockClient reaches the mock: fetch to a URL, or app.request in-process. Every exchange is
// bounded by a timeout (the client's, or the call's own) and by the AbortSignals given, and ends
// in a Response read whole or in a MockClientError saying why not.
import { milliseconds, mockBaseUrl } from './checks.js'
import { MockClientError } from './errors.js'

/** Anything with Hono's `request(path, init)`: the app createApp returns. */
export interface InProcessApp {
  request(input: string, init?: RequestInit): Response | Promise<Response>
}

/** What every mockClient call accepts last: its own timeout and an AbortSignal. */
export interface CallOptions {
  /** Milliseconds before the call gives up; default the client's `timeout`. */
  timeout?: number
  /** Aborts the call. */
  signal?: AbortSignal
}

/** The client's default per-call timeout, in milliseconds. */
export const DEFAULT_TIMEOUT = 10_000

export interface Exchange {
  res: Response
  /** The body as text: read under the same timeout (`undefined` when the caller reads it). */
  text: string | undefined
}

/**
 * A sender to `target` bounded by `timeout` and `signal` (the client's), each call by its own too.
 * @example
 * const send = transport('http://127.0.0.1:4010', { timeout: 2000 })
 * const { res, text } = await send('GET', '/__mock/config', {}, { timeout: 500 })
 */
export function transport(target: string | URL | InProcessApp, defaults: CallOptions = {}) {
  const app = typeof target === 'object' && 'request' in target ? target : undefined
  const base = app ? undefined : mockBaseUrl(target as string | URL)
  const clientTimeout = milliseconds(defaults.timeout ?? DEFAULT_TIMEOUT, 1, 'mockClient')
  const how = app ? 'mockClient(app, { timeout })' : 'mockClient(url, { timeout })'

  /** Sends; `readBody: false` leaves the body to the caller (fetch) and its own signal unbounded by the timeout. */
  return async function send(method: string, path: string, init: RequestInit = {}, call: CallOptions = {}, readBody = true): Promise<Exchange> {
    const ms = milliseconds(call.timeout ?? clientTimeout, 1, `${method} ${path}`)
    const own = init.signal ?? undefined
    // A fetch that brings its own signal (a test of a hang, say) is bounded by that signal alone.
    const timer = own && !readBody ? undefined : AbortSignal.timeout(ms)
    const signal = AbortSignal.any([timer, defaults.signal, call.signal, own].filter((s): s is AbortSignal => s !== undefined))
    const shown = base === undefined ? path : `${base}${path}`
    const stopped = (): MockClientError =>
      timer?.aborted
        ? new MockClientError(
            `talkover-mock did not answer ${method} ${shown} within ${ms} ms: ${base === undefined ? 'the in-process app never answered.' : `is the mock running, and is ${base} the mock?`} Raise the limit with ${how} or the call's { timeout }.`,
            'timeout',
          )
        : new MockClientError(`talkover-mock: ${method} ${shown} was aborted (${reasonOf(signal.reason)}).`, 'aborted', undefined, undefined, {
            cause: signal.reason,
          })
    try {
      return await untilAborted(signal, async () => {
        const req = { ...init, method, signal }
        const res = await (app ? app.request(path, req) : fetch(shown, req))
        return { res, text: readBody ? await res.text() : undefined }
      })
    } catch (error) {
      // The caller's own request signal keeps fetch's semantics: its AbortError/TimeoutError as is.
      if (own?.aborted) throw error
      if (signal.aborted) throw stopped()
      if (base !== undefined && error instanceof TypeError)
        throw new MockClientError(
          `talkover-mock could not reach ${method} ${shown} (${reasonOf(error.cause ?? error)}): is the mock running? Start it (npx talkover-mock) or check the URL given to mockClient.`,
          'unreachable',
          undefined,
          undefined,
          { cause: error },
        )
      throw error
    }
  }
}

/** Runs `work`, rejecting as soon as `signal` aborts (an in-process app may not watch it). */
function untilAborted<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason)
    if (signal.aborted) return abort()
    signal.addEventListener('abort', abort, { once: true })
    work()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', abort))
  })
}

const reasonOf = (reason: unknown): string => {
  if (reason instanceof Error) {
    const code = (reason as { code?: unknown }).code
    return typeof code === 'string' && !reason.message.includes(code) ? `${code}: ${reason.message}` : reason.message
  }
  return String(reason)
}
