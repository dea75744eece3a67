// A polite client of the Talkover API: a bounded request rate, Retry-After honoured on 429 and 503
// (up to ten minutes), 5xx and network failures retried with exponential backoff, every try bounded
// by a timeout, and a connection nobody takes (refused, no such host) given up within a second. Sleep and clock are injected so tests
// never wait. The token goes into the Authorization header and nowhere else: no message, error
// or log line of this module contains it. Imports nothing of the project.

/** The real API's base URL. */
export const TALKOVER_BASE_URL = 'https://app.talkover.ai/api/v1'

export type Sleep = (ms: number) => Promise<void>

export interface UpstreamOptions {
  /** Base URL with or without /api/v1, e.g. https://app.talkover.ai/api/v1 or http://127.0.0.1:4010. */
  baseUrl: string
  token: string
  /** Most requests started per minute (default 90: under the Standard plan's 100/min). */
  ratePerMinute?: number
  /** Retries of a 5xx or a network failure before giving up (default 5; waits 1 s, 2 s, 4 s, …). */
  maxRetries?: number
  /** Most 429 answers in a row before giving up (default 10). */
  max429?: number
  /** How long one try may take, answer and body, before it is abandoned, ms (default 30000). */
  timeoutMs?: number
  fetch?: typeof fetch
  sleep?: Sleep
  /** Epoch milliseconds. */
  clock?: () => number
}

export interface UpstreamResponse {
  status: number
  headers: Headers
  text: string
}

/** The upstream could not be asked (unreachable, kept failing): one sentence, never the token. */
export class UpstreamError extends Error {
  override name = 'UpstreamError'
}

export interface Upstream {
  /** GET `path` (below the base URL) with `query`; answers any status but 429/5xx, which it retries. */
  get(path: string, query?: Record<string, string | number>): Promise<UpstreamResponse>
  /** The same with another method and no body (verify's harmless retry of a log that cannot exist). */
  send(method: 'GET' | 'POST', path: string, query?: Record<string, string | number>): Promise<UpstreamResponse>
  /** The base URL requests go to (ends in /api/v1). */
  readonly base: string
  /** Requests sent so far, retries included. */
  readonly requests: number
}

/** Longest delay setTimeout takes; a longer one would fire after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1

export const timerSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, MAX_TIMER_MS)))

/** Longest Retry-After the client waits; a longer one ends the run (the upstream asked not to be asked). */
export const MAX_RETRY_AFTER_MS = 600_000

/** Default time one try may take, ms (`--timeout 30`). */
export const DEFAULT_TIMEOUT_MS = 30_000

/** Tries of a connection nobody takes (refused, no such host, no route): waiting longer rarely helps. */
const NOBODY_TRIES = 3
const NOBODY_THERE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])
/** Tries of a request that got no answer within the timeout. */
const TIMEOUT_TRIES = 2

/**
 * The base URL requests go to: a bare origin gets /api/v1.
 * @example
 * apiBase('http://127.0.0.1:4010') //=> 'http://127.0.0.1:4010/api/v1'
 */
export function apiBase(baseUrl: string): string {
  const url = new URL(baseUrl)
  const path = url.pathname.replace(/\/+$/, '')
  return `${url.origin}${path === '' ? '/api/v1' : path}`
}

/**
 * Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or undefined.
 * @example
 * retryAfterMs('3', 0) //=> 3000
 */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs)
}

/**
 * The upstream of a `record` or `verify` run: its flags (`--upstream`, the token, `--rate`,
 * `--timeout` in seconds) and the command's injected I/O.
 * @example
 * upstreamOf({ upstream: 'http://127.0.0.1:4010', token: 'talq_x', rate: 90 }, { clock: Date.now })
 */
export function upstreamOf(
  s: { upstream: string; token: string; rate: number; timeout?: number },
  io: Pick<UpstreamOptions, 'fetch' | 'sleep' | 'clock'>,
): Upstream {
  return createUpstream({
    baseUrl: s.upstream,
    token: s.token,
    ratePerMinute: s.rate,
    timeoutMs: s.timeout && s.timeout * 1000,
    fetch: io.fetch,
    sleep: io.sleep,
    clock: io.clock,
  })
}

/**
 * Creates the client.
 * @example
 * const up = createUpstream({ baseUrl: 'http://127.0.0.1:4010', token: 'talq_x' })
 * const res = await up.get('/agents/a/webhooks/w/logs', { per_page: 100, page: 1 })
 */
export function createUpstream(options: UpstreamOptions): Upstream {
  const { token, ratePerMinute = 90, maxRetries = 5, max429 = 10, timeoutMs = DEFAULT_TIMEOUT_MS } = options
  const doFetch = options.fetch ?? fetch
  const sleep = options.sleep ?? timerSleep
  const clock = options.clock ?? Date.now
  const base = apiBase(options.baseUrl)
  const origin = new URL(base).origin
  const interval = 60_000 / ratePerMinute
  let lastStart = -Infinity
  let requests = 0

  const paced = async () => {
    const wait = lastStart + interval - clock()
    if (wait > 0) await sleep(wait)
    lastStart = clock()
    requests++
  }

  const send = async (method: 'GET' | 'POST', path: string, query: Record<string, string | number> = {}): Promise<UpstreamResponse> => {
    const url = new URL(base + path)
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v))
    let failures = 0
    let limited = 0
    let timeouts = 0
    const where = `${method} ${url.pathname}`
    /** Waits as Retry-After asks, or ends the run when it asks for longer than the client waits. */
    const waitAsAsked = async (res: Response, otherwise: number) => {
      const asked = retryAfterMs(res.headers.get('retry-after'), clock())
      if (asked !== undefined && asked > MAX_RETRY_AFTER_MS)
        throw new UpstreamError(
          `${origin} answered ${res.status} to ${where} and asked to wait ${Math.ceil(asked / 1000)} s (Retry-After), longer than the ${MAX_RETRY_AFTER_MS / 1000} s this command waits. Please try again later.`,
        )
      await sleep(asked ?? otherwise)
    }
    for (;;) {
      await paced()
      let res: Response
      let text: string
      const abort = new AbortController()
      const timer = setTimeout(() => abort.abort(), timeoutMs)
      try {
        res = await doFetch(url, { method, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: abort.signal })
        text = await res.text()
      } catch (error) {
        if (abort.signal.aborted) {
          if (++timeouts < TIMEOUT_TRIES) {
            await sleep(backoff(timeouts))
            continue
          }
          throw new UpstreamError(
            `${origin} did not answer ${where} within ${timeoutMs / 1000} s, ${timeouts} times in a row. Please check --upstream, or raise --timeout.`,
          )
        }
        const code = (error as { cause?: { code?: string } }).cause?.code
        const nobody = code !== undefined && NOBODY_THERE.has(code)
        if (failures++ < (nobody ? Math.min(maxRetries, NOBODY_TRIES - 1) : maxRetries)) {
          await sleep(nobody ? backoff(failures) / 4 : backoff(failures))
          continue
        }
        throw new UpstreamError(
          `Failed to reach ${origin} (${code ?? (error as Error).message}) after ${failures} tries. Please check --upstream and your network.`,
        )
      } finally {
        clearTimeout(timer)
      }
      if (res.status === 429) {
        if (limited++ >= max429)
          throw new UpstreamError(`${origin} kept answering 429 Too Many Requests (${limited} times in a row). Please try again later or lower --rate.`)
        await waitAsAsked(res, backoff(limited))
        continue
      }
      if (res.status >= 500) {
        if (failures++ < maxRetries) {
          await (res.status === 503 ? waitAsAsked(res, backoff(failures)) : sleep(backoff(failures)))
          continue
        }
        throw new UpstreamError(`${origin} answered ${res.status} to ${where} ${failures} times in a row. Please try again later.`)
      }
      return { status: res.status, headers: res.headers, text }
    }
  }

  return {
    get: (path, query) => send('GET', path, query),
    send,
    base,
    get requests() {
      return requests
    },
  }
}

/** Exponential backoff: 1 s, 2 s, 4 s, … capped at 30 s. */
const backoff = (n: number) => Math.min(30_000, 1000 * 2 ** (n - 1))
