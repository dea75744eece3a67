// Folder http/: spec-driven plumbing: loading openapi.yaml, routes, parameter and body validation,
// auth, the one table of error bodies, and writing responses. It imports nothing else of src/.
//
// Turns the OpenAPI document into Hono routes: paths × methods, `{x}` → `:x`, a handler bound by
// operationId, auth where the operation is secured, parameter and body validation, then the handler.
// Every path also answers other methods with Laravel's 405 and an Allow header, and OPTIONS with
// a CORS preflight or, like Laravel's router, 200 and Allow.
// A request matches exactly one route, whose handler is synchronous when the operation is: Hono
// then calls it directly (no middleware chain) and @hono/node-server writes its Response at once.
import { METHODS } from 'node:http'
import type { Context, Hono } from 'hono'
import { checkBearer, type AuthOptions } from './auth.js'
import { readBody } from './body-limit.js'
import { readQuery } from './query.js'
import { apiError } from './errors.js'
import { corsHeaders, type Cors } from './cors.js'
import { responder, type Responder } from './respond.js'
import { SpecError, type Spec, type SpecOperation } from './spec.js'
import type { ValidationResult, ValidInput, Validator } from './validate.js'
import { ValidationMemo } from './validation-memo.js'

/** What a handler gets: the Hono context, its operation and its validated parameters. */
export interface HandlerInput {
  c: Context
  op: SpecOperation
  input: ValidInput
  /** Writes the response with the constant headers of the route's part (API or not). */
  respond: Responder
  /** The request body's text, read within MAX_BODY_BYTES, for operations that declare a request body. */
  text?: string
}

export type Handler = (request: HandlerInput) => Response | Promise<Response>

/** A route's request runner: synchronous when its operation is. */
export type Runner = (c: Context) => Response | Promise<Response>

export interface MountOptions {
  handlers: Record<string, Handler>
  validators: Map<string, Validator>
  auth: AuthOptions
  /** Wraps each route's runner (journal, faults), given the route's path. */
  wrap?: (path: string, run: Runner) => Runner
  /** The responder of a route, by its path: API responses carry rate-limit headers too. Default: no constant headers. */
  respond?: (path: string) => Responder
  /** Answers OPTIONS: CORS preflights, else Laravel's 200 with Allow. Default: CORS off. */
  cors?: Cors
  /** Bytes the validation results of repeated URLs may hold, all operations together (the validation share of --cache-mb). */
  validationMemoBytes?: number
}

const PLAIN = responder()
const NO_CORS = corsHeaders('none')

/**
 * Mounts every operation of the spec on the app. Throws a SpecError when a handler's
 * operationId is missing from the spec, so a renamed operation cannot silently vanish.
 * @example
 * mountSpec(app, loadSpec(), { handlers, validators: compileValidators(spec), auth: {} })
 */
export function mountSpec(
  app: Hono,
  spec: Spec,
  {
    handlers,
    validators,
    auth,
    wrap = (_path, run) => run,
    respond: respondFor = () => PLAIN,
    cors = NO_CORS,
    validationMemoBytes = DEFAULT_MEMO_BYTES,
  }: MountOptions,
): void {
  const known = new Set(spec.operations.map((op) => op.operationId))
  for (const operationId of Object.keys(handlers)) {
    if (!known.has(operationId)) {
      throw new SpecError(`openapi.yaml has no operation "${operationId}", which talkover-mock serves; restore it or update the handler table.`)
    }
  }
  // One route per path, whose runner picks the operation by method (HEAD runs GET's) or answers
  // 405: a few routes instead of one per path and method keep Hono's router quick to build on the
  // first request, and every request still matches exactly one route.
  const memos = new ValidationMemo(validationMemoBytes)
  const runnersByPath = new Map<string, Map<string, Runner>>()
  for (const op of spec.operations) {
    const handler = handlers[op.operationId] ?? (({ respond }) => respond.error(apiError('notImplemented', op.operationId)))
    const respond = respondFor(op.honoPath)
    const validate = validators.get(op.operationId)!
    // Only the declared parameters are read: no parsing of every header; the query as PHP reads it.
    const queryNames = op.parameters.filter((p) => p.in === 'query').map((p) => p.name)
    const headerNames = op.parameters.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase())
    // Validation is a pure function of the URL and the declared headers: a repeated request (the
    // cached page) reuses its frozen result. Bounded in bytes; operations with a body are not memoised.
    const memo = validate.readsBody ? undefined : memos.forOperation()
    const check = (c: Context, text?: string) => {
      if (op.secured) {
        const problem = checkBearer(authorization(c), auth)
        if (problem) return respond.error(apiError(problem))
      }
      const headers = declaredHeaders(c, headerNames)
      let key: string | undefined
      let result: ValidationResult | undefined
      if (memo) {
        key = c.req.url
        for (const name of headerNames) key += headers[name] === undefined ? '\n' : `\n=${headers[name]}`
        result = memo.get(key)
      }
      if (!result) {
        const query = queryNames.length === 0 ? {} : readQuery(c.req.url, queryNames)
        result = validate({ path: c.req.param() as Record<string, string>, query, headers, body: text })
        // Frozen only when kept: a URL asked for once (every new page) is validated, used and dropped.
        if (memo) result = memos.remember(memo, key!, result, freezeResult)
      }
      if (!result.ok) return respond.error(result.error)
      return handler({ c, op, input: result.input, respond, text })
    }
    // Operations without a body stay synchronous; the others read it first, within the one cap.
    const takesBody = op.operation?.requestBody !== undefined
    const run: Runner = takesBody
      ? async (c) => {
          const body = await readBody(c)
          return body.ok ? check(c, body.text) : respond.error(body.error)
        }
      : (c) => check(c)
    const runners = runnersByPath.get(op.honoPath) ?? new Map<string, Runner>()
    runnersByPath.set(op.honoPath, runners)
    runners.set(op.method.toUpperCase(), run)
    if (op.method === 'get') runners.set('HEAD', run)
  }
  for (const [honoPath, runners] of runnersByPath) {
    const respond = respondFor(honoPath)
    const allowed = [...runners.keys()]
    const other: Runner = (c) =>
      KNOWN_METHODS.has(c.req.method)
        ? respond.error(apiError('methodNotAllowed', c.req.method, c.req.path, allowed))
        : respond.error(apiError('routeNotFound', c.req.path))
    const wrapped = wrap(honoPath, (c) => (runners.get(c.req.method) ?? other)(c))
    // OPTIONS is never delayed, faulted or journaled: a browser's preflight must not shift a script.
    app.all(honoPath, (c) => (c.req.method === 'OPTIONS' ? cors.options(c, allowed, respond.headers)! : wrapped(c)))
  }
}

const KNOWN_METHODS = new Set(METHODS)

/** The validation share of the default --cache-mb (8 MB), for mountSpec without a budget. */
const DEFAULT_MEMO_BYTES = 1024 * 1024

/** Node's request, on a real socket (@hono/node-server's bindings); absent in app.request(). */
type NodeBindings = { incoming?: { headers?: Record<string, string | string[] | undefined>; rawHeaders?: string[] } } | undefined

/**
 * The Authorization header as `c.req.header('authorization')` gives it. On a real socket, the one
 * plain value is read straight from Node's raw header list, without building a Headers object;
 * anything unusual (repeated, padded, odd characters) is left to Hono.
 */
function authorization(c: Context): string | undefined {
  const raw = (c.env as NodeBindings)?.incoming?.rawHeaders
  if (!raw) return c.req.header('authorization')
  let found: string | undefined
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]
    if (name.length !== 13 || name.toLowerCase() !== 'authorization') continue
    if (found !== undefined) return c.req.header('authorization')
    found = raw[i + 1]
  }
  if (found === undefined) return undefined
  return PLAIN_VALUE.test(found) ? found : c.req.header('authorization')
}

/** A header value with no surrounding whitespace and no NUL, CR or LF: Hono would return it as it is. */
const PLAIN_VALUE = /^(?![\t\n\r ])[^\0\r\n]*(?<![\t\n\r ])$/

/**
 * The declared headers the request carries, read through Hono as always; on a real socket, a
 * header absent from Node's parsed headers is skipped without building a Headers object.
 */
function declaredHeaders(c: Context, names: readonly string[]): Record<string, string> {
  const parsed = (c.env as NodeBindings)?.incoming?.headers
  const headers: Record<string, string> = {}
  for (const name of names) {
    if (parsed && parsed[name] === undefined) continue
    const value = c.req.header(name)
    if (value !== undefined) headers[name] = value
  }
  return headers
}

/** A memoised result is shared by requests: freeze it so no handler can change it for the next. */
function freezeResult(result: ValidationResult): ValidationResult {
  if (result.ok) {
    const { input } = result
    for (const part of [input.path, input.query, input.headers, input.body]) Object.freeze(part)
    Object.freeze(input)
  }
  return Object.freeze(result)
}
