// The guards of the real socket, run by startServer before anything else answers (the answer
// cache included): they protect a mock on a developer's machine from the web pages that machine
// visits. In order: the Host check (DNS rebinding, hosts.ts), the Origin check of state changes
// (a page on another origin may not POST, PUT, PATCH or DELETE, even without a preflight), and
// the declared body size (body-limit.ts). In-process use (app.request, app.fetch) never passes
// here: it is the caller's own code.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { declaredTooLarge, MAX_BODY_TEXT } from './body-limit.js'
import type { Cors } from './cors.js'
import { apiError, type ApiError } from './errors.js'
import { hostName, type HostPolicy } from './hosts.js'

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export interface SocketGuardOptions {
  hosts: HostPolicy
  /** The app's CORS policy: the origins whose pages may change state. */
  cors: Pick<Cors, 'allows'>
}

/**
 * The refusal a request gets on the socket, or undefined when it may go on.
 * @example
 * const refuse = socketGuard({ hosts: hostPolicy(''), cors: corsHeaders('loopback') })
 * refuse(req) //=> { status: 403, body: { success: false, message: '…--allowed-hosts…' } }
 */
export function socketGuard({ hosts, cors }: SocketGuardOptions): (req: IncomingMessage) => ApiError | undefined {
  return (req) => {
    const host = req.headers.host
    if (!hosts(host)) return apiError('hostNotAllowed', host!, hostName(host!))
    const origin = req.headers.origin
    if (origin !== undefined && CHANGES.has(req.method!) && !sameOrigin(origin, host) && !cors.allows(origin)) return apiError('originNotAllowed', origin)
    if (declaredTooLarge(req.headers['content-length'])) return apiError('bodyTooLarge', MAX_BODY_TEXT)
    return undefined
  }
}

/** A page of the mock itself (the dashboard): its Origin names the Host it was served from. */
const sameOrigin = (origin: string, host: string | undefined) => host !== undefined && origin.toLowerCase() === `http://${host.toLowerCase()}`

/**
 * Writes a refusal with node:http alone, as the answer cache writes its answers.
 * @example
 * writeRefusal(res, apiError('hostNotAllowed', 'evil.example:4010', 'evil.example'), { Vary: 'Origin' })
 */
export function writeRefusal(res: ServerResponse, error: ApiError, constant: Readonly<Record<string, string>>): void {
  const body = JSON.stringify(error.body)
  res.writeHead(error.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...constant, ...error.headers })
  res.end(body)
}

/**
 * The answer to a request @hono/node-server could not turn into a URL (its RequestError: a Host the
 * URL parser rewrites, like [::ffff:127.0.0.1], or a backslash in the path): a JSON sentence, not an
 * empty 400. Anything else that escaped the app is its 500.
 * @example
 * await unreadableAnswer({ 'Vary': 'Origin' })(new RequestError('Invalid host header')).status //=> 400
 */
export function unreadableAnswer(constant: Readonly<Record<string, string>>): (error: unknown) => Response {
  return (error) => {
    const unreadable = error instanceof Error && error.name === 'RequestError'
    const { status, body } = unreadable ? apiError('unreadableRequest', error.message.replace(/\.$/, '')) : apiError('internal')
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...constant } })
  }
}
