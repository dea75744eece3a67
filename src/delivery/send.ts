// One HTTP attempt to a receiver over node:http(s): a fresh connection, the webhook's timeout for
// the whole exchange, redirects never followed, the response body read up to a cap. Failures come
// back as the error texts the generated logs use ("Connection refused", "Connection timed out
// after 30 seconds"…). Never throws. The URL must already have passed the allow-list.
import { request as httpRequest, type IncomingMessage } from 'node:http'

/** How much of a receiver's answer is kept: 64 KiB. */
export const BODY_CAP_BYTES = 65_536

export interface SendRequest {
  url: URL
  method: string
  headers: Record<string, string>
  body: string
  /** Deadline of the whole attempt (connect, send, answer), ms. */
  timeoutMs: number
  /** Aborts the attempt (the mock is closing). */
  signal?: AbortSignal
}

export type SendResult =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string; truncated: boolean; durationMs: number }
  | { kind: 'error'; error: string; durationMs: number; cancelled?: true }

/** The text of an attempt cut short by close(). */
export const CANCELLED = 'Cancelled: talkover-mock closed before the receiver answered.'

/**
 * Sends one attempt and reports what happened.
 * @example
 * await send({ url: new URL('http://127.0.0.1:3000/hook'), method: 'POST', headers, body: '{}', timeoutMs: 30_000 })
 * //=> { kind: 'response', status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}', truncated: false, durationMs: 12 }
 */
export async function send(req: SendRequest, monotonic: () => number = () => performance.now()): Promise<SendResult> {
  // node:https (and TLS) loads on the first https delivery only: nothing of it at start-up.
  const doRequest = req.url.protocol === 'https:' ? (await import('node:https')).request : httpRequest
  const started = monotonic()
  const elapsed = () => Math.max(0, Math.round(monotonic() - started))
  return new Promise((resolve) => {
    let settled = false
    const finish = (result: SendResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      req.signal?.removeEventListener('abort', onAbort)
      resolve(result)
    }
    const fail = (error: string, extra: { cancelled?: true } = {}) => finish({ kind: 'error', error, durationMs: elapsed(), ...extra })
    if (req.signal?.aborted) return fail(CANCELLED, { cancelled: true })

    const body = Buffer.from(req.body, 'utf8')
    const outgoing = doRequest(req.url, {
      method: req.method,
      headers: { ...req.headers, 'content-length': String(body.length) },
      agent: false,
    })
    const timer = setTimeout(() => {
      fail(`Connection timed out after ${formatSeconds(req.timeoutMs)} seconds`)
      outgoing.destroy()
    }, req.timeoutMs)
    const onAbort = () => {
      fail(CANCELLED, { cancelled: true })
      outgoing.destroy()
    }
    req.signal?.addEventListener('abort', onAbort, { once: true })
    outgoing.on('error', (error) => fail(describeError(error as NodeJS.ErrnoException, req.url.hostname)))
    outgoing.on('response', (res) =>
      readCapped(res, (text, truncated) => {
        finish({ kind: 'response', status: res.statusCode ?? 0, headers: lowerHeaders(res), body: text, truncated, durationMs: elapsed() })
        res.destroy()
      }),
    )
    outgoing.end(body)
  })
}

/** Reads at most BODY_CAP_BYTES of the answer; a longer answer is cut on a character boundary. */
function readCapped(res: IncomingMessage, done: (text: string, truncated: boolean) => void): void {
  const chunks: Buffer[] = []
  let size = 0
  let ended = false
  const end = (truncated: boolean) => {
    if (ended) return
    ended = true
    const bytes = Buffer.concat(chunks).subarray(0, BODY_CAP_BYTES)
    // stream: true leaves an incomplete trailing UTF-8 sequence out instead of writing U+FFFD.
    done(new TextDecoder().decode(bytes, { stream: truncated }), truncated)
  }
  res.on('data', (chunk: Buffer) => {
    chunks.push(chunk)
    size += chunk.length
    if (size > BODY_CAP_BYTES) end(true)
  })
  res.on('end', () => end(false))
  // A receiver that closes mid-body still answered: keep what arrived.
  res.on('error', () => end(false))
  res.on('close', () => end(false))
}

/** Response headers with lower-case names; repeated ones joined with ", " (set-cookie too). */
function lowerHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined || !/^[a-z0-9-]+$/.test(name)) continue
    out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

const formatSeconds = (ms: number) => String(Math.round(ms / 10) / 100)

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|ERR_OSSL_)/

/** A socket error in the words the generated logs use. */
function describeError(error: NodeJS.ErrnoException, host: string): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'Connection refused'
    case 'ECONNRESET':
    case 'EPIPE':
      return 'Connection reset by peer'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Could not resolve host: ${host}`
    case 'EPROTO':
      // curl's words for a handshake that never worked, e.g. https to a plain-http port.
      return 'SSL connect error: the receiver did not answer TLS (is it serving https?)'
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'No route to host'
    default:
      if (error.code && TLS_CODES.test(error.code)) return `SSL certificate problem: ${error.message}`
      return error.message || 'Connection failed'
  }
}
