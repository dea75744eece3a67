// The one helper every test uses to check a response against openapi.yaml itself: the status must
// be declared for the operation, the content type must match, the body must validate, and every
// header of the mock's own families (rate limits, CORS, Retry-After, X-Mock-*) must be declared for
// that response and match its schema. The validators are the ones `talkover-mock verify` uses
// (src/http/response-check.ts).
import type { HeaderObject, ResponseObject, SchemaObject } from 'openapi3-ts/oas31'
import { expect } from 'vitest'
import { responseValidators } from '../../src/http/response-check.js'
import { loadSpec, resolve } from '../../src/http/spec.js'

const spec = loadSpec()
const validators = responseValidators(spec)

/** Validates a value against a schema of the document, e.g. `#/components/schemas/WebhookLog`. */
export function expectSchema(value: unknown, pointer: string): void {
  const errors = validators.checkSchema(value, pointer)
  if (errors.length > 0) throw new Error(`Value does not match ${pointer}: ${validators.errorsText(errors)}\n${JSON.stringify(value).slice(0, 2000)}`)
}

/**
 * Asserts that a response is one `operationId` may send according to openapi.yaml, and returns its
 * parsed body. Responses outside any operation (unknown route, 405) pass `null` and are checked
 * against Laravel's bare `{message}` body.
 */
export async function expectConforms<T = any>(res: Response, operationId: string | null): Promise<T> {
  const text = await res.clone().text()
  if (operationId === null) {
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const body = JSON.parse(text)
    expectSchema(body, '#/components/schemas/MessageOnly')
    return body
  }
  // An operation may declare several media types (the dashboard's assets): check the one sent.
  const sent = res.headers.get('content-type') ?? ''
  const shape = validators.check(operationId, res.status, undefined, sent)
  if (!shape.declared) throw new Error(`${operationId} does not declare status ${res.status} in openapi.yaml; body: ${text.slice(0, 500)}`)
  expectDeclaredHeaders(res, validators.declaredResponse(operationId, res.status)!, `${operationId} ${res.status}`)
  if (!shape.mediaType) {
    expect(text).toBe('')
    return undefined as T
  }
  expect(sent).toContain(shape.mediaType)
  const body = shape.mediaType.includes('json') ? JSON.parse(text) : text
  const { errors } = validators.check(operationId, res.status, body, sent)
  if (errors.length > 0) {
    throw new Error(`${operationId} ${res.status} body does not match openapi.yaml: ${validators.errorsText(errors)}\n${text.slice(0, 2000)}`)
  }
  return body as T
}

/** The response headers whose presence and form openapi.yaml must declare, response by response. */
const DECLARED_FAMILIES = /^(x-ratelimit-|access-control-|retry-after$|x-mock-)/i

function expectDeclaredHeaders(res: Response, response: ResponseObject, where: string): void {
  const declared = new Map(Object.entries(response.headers ?? {}).map(([name, header]) => [name.toLowerCase(), resolve<HeaderObject>(spec.document, header)]))
  res.headers.forEach((value, name) => {
    if (!DECLARED_FAMILIES.test(name)) return
    const header = declared.get(name.toLowerCase())
    if (!header) throw new Error(`${where} sends the header ${name}, which openapi.yaml does not declare for this response.`)
    const errors = validators.checkAgainst(`header:${name}`, (header.schema ?? {}) as SchemaObject, value)
    if (errors.length > 0) throw new Error(`${where} header ${name}: ${JSON.stringify(value)} does not match openapi.yaml: ${validators.errorsText(errors)}`)
  })
  for (const [name, header] of declared) {
    if (header.required && !res.headers.has(name)) throw new Error(`${where} lacks the header ${name}, which openapi.yaml requires.`)
  }
}
