// Turns the OpenAPI document into Hono routes: paths × methods, `{x}` → `:x`, a handler bound by
// operationId, auth where the operation is secured, parameter and body validation, then the handler.
// Every path also answers other methods with Laravel's 405 and an Allow header.
import type { Context, Hono } from 'hono'
import { bearerAuth, type AuthOptions } from './auth.js'
import { apiError } from './errors.js'
import { sendError } from './respond.js'
import { SpecError, type Spec, type SpecOperation } from './spec.js'
import type { ValidInput, Validator } from './validate.js'

/** What a handler gets: the Hono context, its operation and its validated parameters. */
export interface HandlerInput {
  c: Context
  op: SpecOperation
  input: ValidInput
}

export type Handler = (request: HandlerInput) => Response | Promise<Response>

export interface MountOptions {
  handlers: Record<string, Handler>
  validators: Map<string, Validator>
  auth: AuthOptions
}

/**
 * Mounts every operation of the spec on the app. Throws a SpecError when a handler's
 * operationId is missing from the spec, so a renamed operation cannot silently vanish.
 * @example
 * mountSpec(app, loadSpec(), { handlers, validators: compileValidators(spec), auth: {} })
 */
export function mountSpec(app: Hono, spec: Spec, { handlers, validators, auth }: MountOptions): void {
  const known = new Set(spec.operations.map((op) => op.operationId))
  for (const operationId of Object.keys(handlers)) {
    if (!known.has(operationId)) {
      throw new SpecError(`openapi.yaml has no operation "${operationId}", which talkover-mock serves; restore it or update the handler table.`)
    }
  }
  const checkAuth = bearerAuth(auth)
  const methodsByPath = new Map<string, string[]>()
  for (const op of spec.operations) {
    const handler = handlers[op.operationId] ?? (() => sendError(apiError('notImplemented', op.operationId)))
    const validate = validators.get(op.operationId)!
    const run = async (c: Context) => {
      const body = validate.readsBody ? await c.req.text() : undefined
      const result = validate({ path: c.req.param() as Record<string, string>, query: c.req.query(), headers: c.req.header(), body })
      if (!result.ok) return sendError(result.error)
      return handler({ c, op, input: result.input })
    }
    if (op.secured) app.on(op.method.toUpperCase(), op.honoPath, checkAuth, run)
    else app.on(op.method.toUpperCase(), op.honoPath, run)
    const methods = methodsByPath.get(op.honoPath) ?? []
    methods.push(op.method.toUpperCase(), ...(op.method === 'get' ? ['HEAD'] : []))
    methodsByPath.set(op.honoPath, methods)
  }
  for (const [honoPath, methods] of methodsByPath) {
    app.all(honoPath, (c) => sendError(apiError('methodNotAllowed', c.req.method, c.req.path, methods)))
  }
}
