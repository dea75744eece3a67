// Every error body the mock can send, in one table, shaped like the real Talkover (Laravel) API.
// Handlers never build error JSON themselves: they call apiError(kind, …) and get status + body.

/** A JSON error response: the HTTP status, the body and any extra headers. */
export interface ApiError {
  status: number
  body: Record<string, unknown>
  headers?: Record<string, string>
}

/** A path the way Laravel's `$request->path()` prints it: slashes trimmed, `/` for the root. */
function laravelPath(path: string): string {
  return path.replace(/^\/+|\/+$/g, '') || '/'
}

/** Turns a snake_case field into the words Laravel uses in its messages (`per_page` → `per page`). */
export function fieldWords(field: string): string {
  return field.replace(/_/g, ' ')
}

/** A request's own text inside a message: at most 100 characters. */
const shown = (text: string) => (text.length > 100 ? `${text.slice(0, 100)}…` : text)

const INJECTED_MESSAGES: Record<number, string> = {
  429: 'Too Many Attempts.',
  500: 'Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

const table = {
  /** No Authorization header, or a scheme other than Bearer (exact body from the docs). */
  missingToken: () => ({ status: 401, body: { message: 'Missing Bearer Token' } }),
  /** A Bearer token that is not a talq_ token, or not the one given with --token. */
  invalidToken: () => ({ status: 401, body: { success: false, message: 'Invalid token' } }),
  agentNotFound: () => ({ status: 404, body: { success: false, message: 'Agent not found in this environment.' } }),
  /** Not printed in the docs: worded like the agent's. */
  campaignNotFound: () => ({ status: 404, body: { success: false, message: 'Campaign not found in this environment.' } }),
  webhookNotFound: () => ({ status: 404, body: { success: false, message: 'Webhook not found.' } }),
  logNotFound: () => ({ status: 404, body: { success: false, message: 'Log not found.' } }),
  logNotRetriable: () => ({
    status: 422,
    body: { success: false, message: 'Log cannot be retried', code: 'LOG_NOT_RETRIABLE' },
  }),
  /** Laravel's validation failure: one key per invalid field, each with its messages. */
  validation: (errors: Record<string, string[]>) => ({
    status: 422,
    body: { message: 'The given data was invalid.', errors },
  }),
  /**
   * A mock control header (X-Mock-*) with a bad value: not a Talkover error, but shaped like one.
   * 400, or the status its parameter declares with `x-status` in openapi.yaml (X-Mock-Now: 422).
   */
  badMockHeader: (message: string, status = 400) => ({ status, body: { success: false, message } }),
  /** Laravel's JSON rendering of NotFoundHttpException for an unknown route. */
  routeNotFound: (path: string) => ({
    status: 404,
    body: { message: `The route ${laravelPath(path)} could not be found.` },
  }),
  /** Laravel's JSON rendering of MethodNotAllowedHttpException, with the Allow header. */
  methodNotAllowed: (method: string, path: string, allowed: string[]) => ({
    status: 405,
    body: {
      message: `The ${method} method is not supported for route ${laravelPath(path)}. Supported methods: ${allowed.join(', ')}.`,
    },
    headers: { Allow: allowed.join(', ') },
  }),
  notImplemented: (operationId: string) => ({
    status: 501,
    body: { success: false, message: `talkover-mock does not implement ${operationId} yet.` },
  }),
  /**
   * An injected failure (error rate, scripts, X-Mock-Status): the reason phrases Laravel and a
   * gateway in front of it use. 429 and 503 carry Retry-After, as throttling and maintenance do.
   */
  injected: (status: number, retryAfter: number) => ({
    status,
    body: { success: false, message: INJECTED_MESSAGES[status] ?? 'Server Error' },
    ...(status === 429 || status === 503 ? { headers: { 'Retry-After': String(retryAfter) } } : {}),
  }),
  /** An admin call without the --admin-token secret. */
  adminUnauthorized: () => ({
    status: 401,
    body: { success: false, message: 'This mock requires the admin token: send Authorization: Bearer <the --admin-token secret>.' },
    headers: { 'WWW-Authenticate': 'Bearer realm="talkover-mock admin"' },
  }),
  /** A request on the socket naming a Host the mock was not told about (DNS rebinding): http/socket-guard.ts. */
  hostNotAllowed: (host: string, name: string | undefined) => ({
    status: 403,
    body: {
      success: false,
      message:
        name === undefined
          ? `talkover-mock answers only requests whose Host header names it, like 127.0.0.1:4010; this one had "${shown(host)}" instead.`
          : `talkover-mock does not answer requests for the host "${shown(host)}": if you reach it by that name, start it with --allowed-hosts ${shown(name)} (or TALKOVER_MOCK_ALLOWED_HOSTS).`,
    },
  }),
  /** A request node:http read but that is no URL (a Host the URL parser rewrites, a backslash in the path): server.ts. */
  unreadableRequest: (why: string) => ({
    status: 400,
    body: {
      success: false,
      message: `talkover-mock could not read this request (${why}): send a Host header like 127.0.0.1:4010 and a path with forward slashes only.`,
    },
  }),
  /** A change (POST, PUT, PATCH, DELETE) from a web page on an origin the CORS policy does not allow. */
  originNotAllowed: (origin: string) => ({
    status: 403,
    body: {
      success: false,
      message: `talkover-mock does not take changes from a page on ${shown(origin)}: to allow that origin, start it with --cors-origin ${shown(origin)},loopback (or TALKOVER_MOCK_CORS_ORIGIN).`,
    },
  }),
  /** A request body over the one cap (http/body-limit.ts). */
  bodyTooLarge: (cap: string) => ({
    status: 413,
    body: { success: false, message: `The request body is larger than talkover-mock's limit of ${cap}: send a smaller body.` },
  }),
  /** A /__mock/* body that is not declared as JSON (a form, text/plain: what a page can send without a preflight). */
  notJson: (type: string | undefined) => ({
    status: 415,
    body: {
      success: false,
      message: `The admin API reads JSON bodies only: send the body with Content-Type: application/json (this one came ${type ? `as ${shown(type)}` : 'without a Content-Type'}).`,
    },
  }),
  /** A bad PATCH /__mock/config body, or an admin body that is not JSON. */
  badMockConfig: (message: string) => ({ status: 400, body: { success: false, message } }),
  /** A POST /__mock/clock that would move the clock backwards, or a malformed move. */
  badClock: (message: string) => ({ status: 422, body: { success: false, message } }),
  /** POST /__mock/deliveries while --deliver is off. */
  deliveryOff: () => ({
    status: 409,
    body: { success: false, message: 'Live delivery is off: start talkover-mock with --deliver live (or TALKOVER_MOCK_DELIVER=live) to send real webhooks.' },
  }),
  /** A delivery that cannot start as asked (disabled webhook, event not subscribed…). */
  deliveryRefused: (message: string) => ({ status: 422, body: { success: false, message } }),
  /** MAX_ACTIVE_DELIVERIES are sending or waiting: the mock's own bound, shaped like a throttle. */
  deliveriesBusy: (limit: number) => ({
    status: 429,
    body: { success: false, message: `talkover-mock already has ${limit} deliveries in flight, its limit: wait for some to finish, then try again.` },
    headers: { 'Retry-After': '1' },
  }),
  /** The payloads of the deliveries in flight already hold MAX_ACTIVE_DELIVERY_BYTES. */
  deliveryBytesBusy: (limit: string) => ({
    status: 429,
    body: {
      success: false,
      message: `talkover-mock's deliveries in flight already hold ${limit} of payloads, its limit: wait for some to finish, then try again.`,
    },
    headers: { 'Retry-After': '1' },
  }),
  /** A delivery asked for while the mock closes. */
  deliveriesClosed: () => ({ status: 503, body: { success: false, message: 'talkover-mock is shutting down and sends no more webhooks.' } }),
  /** MAX_RUNNING_CHECKS receiver checks are running: the mock's own bound. */
  receiverChecksBusy: (limit: number) => ({
    status: 429,
    body: { success: false, message: `talkover-mock is already running ${limit} receiver checks, its limit: wait for one to finish, then try again.` },
    headers: { 'Retry-After': '1' },
  }),
  /** The Test Webhook endpoint could not reach the receiver (live delivery). */
  testFailed: (error: string) => ({ status: 422, body: { success: false, message: `Test webhook failed: ${error}` } }),
  /** A write that does not fit the state budget (or a session's retry bound): refused, nothing changed. */
  stateFull: (message: string) => ({ status: 409, body: { success: false, message } }),
  /** With replicas: the Valkey/Redis store is away, so a write was made nowhere (fleet/). Pure reads keep answering. */
  storeUnavailable: (message: string) => ({ status: 503, body: { success: false, message }, headers: { 'Retry-After': '1' } }),
  /** GET /__mock/requests/count with --journal-size 0: nothing was kept, so no count would be true. */
  journalOff: () => ({
    status: 409,
    body: {
      success: false,
      message:
        'The request journal is off (--journal-size 0, journalSize: 0 in createApp), so requests cannot be counted: start the mock with a journal size of 1 or more (default 1000).',
    },
  }),
  /** A bug in the mock: never a stack trace on the wire. */
  internal: () => ({ status: 500, body: { success: false, message: 'Server Error' } }),
} satisfies Record<string, (...args: never[]) => ApiError>

export type ApiErrorKind = keyof typeof table

/**
 * The response for one kind of error.
 * @example
 * apiError('webhookNotFound') //=> { status: 404, body: { success: false, message: 'Webhook not found.' } }
 */
export function apiError<K extends ApiErrorKind>(kind: K, ...args: Parameters<(typeof table)[K]>): ApiError {
  return (table[kind] as (...a: unknown[]) => ApiError)(...args)
}
