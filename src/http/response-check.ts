// The validators of responses against openapi.yaml: which statuses an operation declares and the
// schema of each body. One compiled set per spec, shared by the contract tests and by
// `talkover-mock verify`, so the mock and the drift check judge a response the same way.
import type { ErrorObject } from 'ajv/dist/2020.js'
import type { ResponseObject, SchemaObject } from 'openapi3-ts/oas31'
import { resolve, type Spec } from './spec.js'
import { anchored, createAjv } from './validate.js'

export interface ResponseCheck {
  /** False when the operation declares neither this status nor a default. */
  declared: boolean
  /** The declared media type, if the response has a body. */
  mediaType?: string
  /** Ajv's errors for the body (empty when it validates). */
  errors: ErrorObject[]
}

export interface ResponseValidators {
  /**
   * Checks a parsed body as `operationId` answering `status`; where the operation declares several
   * media types (the dashboard's assets), the one `contentType` starts with, else the first.
   * @example
   * responseValidators(spec).check('listWebhookLogs', 200, body).errors //=> []
   */
  check(operationId: string, status: number, body: unknown, contentType?: string): ResponseCheck
  /** Checks a value against a schema of the document, e.g. `#/components/schemas/WebhookLog`. */
  checkSchema(value: unknown, pointer: string): ErrorObject[]
  /** Checks a value against a schema given inline (compiled once per `key`), e.g. a header's. */
  checkAgainst(key: string, schema: SchemaObject, value: unknown): ErrorObject[]
  /** The response `operationId` declares for `status` (or its default), $refs resolved. */
  declaredResponse(operationId: string, status: number): ResponseObject | undefined
  /** Ajv's one-line text of errors. */
  errorsText(errors: ErrorObject[]): string
}

const bySpec = new WeakMap<Spec, ResponseValidators>()

/**
 * The response validators of a spec, compiled lazily per operation and status, memoised per spec.
 * @example
 * const v = responseValidators(loadSpec())
 * v.check('listWebhookLogs', 418, {}).declared //=> false
 */
export function responseValidators(spec: Spec): ResponseValidators {
  const hit = bySpec.get(spec)
  if (hit) return hit
  const ajv = createAjv()
  ajv.addSchema(spec.document as object, 'spec')
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>()
  const compile = (key: string, schema: SchemaObject) => {
    let v = compiled.get(key)
    if (!v) compiled.set(key, (v = ajv.compile(anchored(schema) as object)))
    return v
  }
  const run = (v: ReturnType<typeof ajv.compile>, value: unknown) => (v(value) ? [] : [...(v.errors ?? [])])
  const validators: ResponseValidators = {
    check(operationId, status, body, contentType = '') {
      const op = spec.operations.find((o) => o.operationId === operationId)
      if (!op) throw new Error(`openapi.yaml has no operation ${operationId}`)
      const declared = op.operation.responses?.[String(status)] ?? op.operation.responses?.default
      if (!declared) return { declared: false, errors: [] }
      const response = resolve<ResponseObject>(spec.document, declared)
      const declaredTypes = Object.entries(response.content ?? {})
      const [mediaType, media] = declaredTypes.find(([type]) => contentType.startsWith(type)) ?? declaredTypes[0] ?? []
      if (!mediaType) return { declared: true, errors: [] }
      return { declared: true, mediaType, errors: run(compile(`${operationId}:${status}:${mediaType}`, (media!.schema ?? {}) as SchemaObject), body) }
    },
    checkSchema: (value, pointer) => run(compile(pointer, { $ref: pointer }), value),
    checkAgainst: (key, schema, value) => run(compile(key, schema), value),
    declaredResponse(operationId, status) {
      const op = spec.operations.find((o) => o.operationId === operationId)
      const declared = op?.operation.responses?.[String(status)] ?? op?.operation.responses?.default
      return declared ? resolve<ResponseObject>(spec.document, declared) : undefined
    },
    errorsText: (errors) => ajv.errorsText(errors),
  }
  bySpec.set(spec, validators)
  return validators
}
