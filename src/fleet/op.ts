// A write as the fleet's log keeps it: the request that made it, reduced to what decides its
// effect. Credentials never enter the log: the Authorization header is kept only as the verdict
// it earns (valid, invalid, missing), and each replica puts back its own valid credential when it
// applies the write; other headers only when on an allow-list, and query values named like a
// credential are replaced. The body is kept whole: it is the state (a webhook's secret is, and
// every replica signs live deliveries with it), so the store holds what the mock's memory holds.
import { checkBearer } from '../http/auth.js'
import { SECRET_KEY } from '../http/redact.js'
import { routedPath } from '../http/routed-path.js'

/** What a replica's credentials are, to put back a valid Authorization header. */
export interface Credentials {
  /** The bearer token the API accepts (--token), or undefined when any talq_ token is. */
  token?: string
  /** The admin token (--admin-token), if any. */
  adminToken?: string
}

/** A write in the log. */
export interface Op {
  /** The replica that received it. */
  origin: string
  /** Its nonce: the receiving replica knows its own writes by it. */
  nonce: string
  /** Wall time when it was received, ms: the clock of every replica while it is applied. */
  at: number
  method: string
  /** Path and query. */
  url: string
  headers: [string, string][]
  auth: 'valid' | 'invalid' | 'missing'
  /** The body, base64, when there is one. */
  body?: string
}

/**
 * The headers a write keeps in the log: those that can change what the mock does (an allow-list;
 * every other header, a custom credential header included, stays out), X-Mock-* among them.
 */
const KEPT = new Set(['content-type', 'accept', 'origin', 'prefer', 'x-requested-with'])

/**
 * The op of a request (its body already read).
 * @example
 * await opOf(new Request('http://mock/__mock/reset', { method: 'POST' }), body, { origin: 'r1', nonce: 'n', at: 0 }, {})
 */
export function opOf(request: Request, body: Uint8Array | undefined, meta: Pick<Op, 'origin' | 'nonce' | 'at'>, credentials: Credentials): Op {
  const url = new URL(request.url)
  const headers: [string, string][] = []
  for (const [name, value] of request.headers) {
    if (KEPT.has(name) || name.startsWith('x-mock-')) headers.push([name, value])
  }
  // Query values named like a credential (`?api_key=…`) are not kept: no route reads one.
  // (Only then is the query re-encoded: otherwise it is kept byte for byte.)
  const secret = [...url.searchParams.keys()].filter((name) => SECRET_KEY.test(name))
  for (const name of secret) url.searchParams.set(name, 'redacted')
  const op: Op = {
    ...meta,
    method: request.method,
    url: url.pathname + url.search,
    headers,
    auth: verdict(routedPath(request.url), request.headers.get('authorization') ?? undefined, credentials),
  }
  if (body && body.byteLength > 0) op.body = Buffer.from(body).toString('base64')
  return op
}

/**
 * The request a replica applies for an op: the same method, path, headers and body, with the
 * replica's own valid credential where the original was valid.
 */
export function requestOf(op: Op, credentials: Credentials): Request {
  const headers = new Headers(op.headers)
  const admin = routedPath(op.url).startsWith('/__mock/')
  if (op.auth === 'valid') {
    const valid = admin ? credentials.adminToken : (credentials.token ?? 'talq_fleet_replica')
    if (valid !== undefined) headers.set('authorization', `Bearer ${valid}`)
  } else if (op.auth === 'invalid') headers.set('authorization', 'Bearer fleet_invalid_credential')
  const body = op.body === undefined ? undefined : Buffer.from(op.body, 'base64')
  return new Request(`http://fleet.invalid${op.url}`, { method: op.method, headers, body })
}

/** What a request's Authorization header earns where it goes: the API's token check, or the admin token's. */
function verdict(path: string, header: string | undefined, { token, adminToken }: Credentials): Op['auth'] {
  if (path.startsWith('/__mock/')) {
    if (adminToken === undefined) return 'missing'
    const given = header?.match(/^\s*Bearer\s+(\S+)\s*$/i)?.[1]
    return given === undefined ? 'missing' : given === adminToken ? 'valid' : 'invalid'
  }
  const problem = checkBearer(header, { token })
  return problem === undefined ? 'valid' : problem === 'missingToken' ? 'missing' : 'invalid'
}
