// Validates a request's path, query and header parameters and its JSON body against the
// operation's schemas in openapi.yaml, with Ajv validators compiled once at start-up. Failures
// become the real API's error bodies: Laravel's 422 for path/query/body fields (one key per field,
// Laravel 10's message for the first rule that fails), a 400 for mock control headers.
// For the packaged openapi.yaml the validators were generated at build time as standalone code
// (http/prebuilt.ts), so Ajv itself is loaded only for another document (and by the tests).
import type { Ajv2020, Options, ValidateFunction } from 'ajv/dist/2020.js'
import type { ParameterObject, SchemaObject } from 'openapi3-ts/oas31'
import { apiError, type ApiError } from './errors.js'
import { firstErrorPerField, laravelMessage } from './laravel-messages.js'
import { prebuiltValidator, requireHere } from './prebuilt.js'
import type { Spec, SpecOperation } from './spec.js'

/** The raw parameters of one request, as strings. Header names are lower-case. */
export interface RawInput {
  path: Record<string, string>
  /** A string, or an array for PHP's bracketed form (`page[]=2`), which no integer rule accepts. */
  query: Record<string, string | string[]>
  headers: Record<string, string>
  /** The request body's text, for operations with a JSON request body. */
  body?: string
}

/** Parameters after validation: typed, with defaults from the spec applied. */
export interface ValidInput {
  path: Record<string, string>
  query: Record<string, unknown>
  headers: Record<string, unknown>
  /** The JSON body's fields (empty without a body), with null and "" fields left out. */
  body: Record<string, unknown>
}

export type ValidationResult = { ok: true; input: ValidInput } | { ok: false; error: ApiError }
/** `readsBody`: the operation has a request body validated with Laravel's messages. */
export type Validator = ((raw: RawInput) => ValidationResult) & { readsBody: boolean }

type Location = 'path' | 'query' | 'header'

/**
 * The string formats the spec uses. Each function is self-contained: the build writes its source
 * into the standalone validators.
 */
export const FORMATS = {
  /** `format: uri` as Laravel's `url` rule reads it: a scheme, `://` and a host. */
  uri: (text: string) => /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]+[^\s]*$/i.test(text) && URL.canParse(text),
  /** RFC 3339 date-time of a day that exists: 2024-02-30 or 24:00 are refused, never rolled over. */
  'date-time': (text: string) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/i.exec(text)
    if (!m) return false
    const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]))
    const at = new Date(Date.UTC(y, mo - 1, d, h, mi, s))
    const real = at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d && at.getUTCHours() === h && at.getUTCMinutes() === mi
    return real && at.getUTCSeconds() === s && (m[8] === undefined || (Number(m[8]) <= 23 && Number(m[9]) <= 59))
  },
}

/** The options of the Ajv that validates parameters and bodies (the build adds `code` to them). */
export const AJV_OPTIONS: Options = { allErrors: true, useDefaults: true, strict: false, validateSchema: false }

/** Creates the Ajv instance used for parameters and bodies and, in tests, for whole responses. */
export function createAjv(extra: Options = {}): Ajv2020 {
  // validateSchema: false skips compiling the meta-schema (~100 ms of start-up); openapi.yaml is checked by the tests.
  const { Ajv2020 } = requireHere('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')
  const ajv = new Ajv2020({ ...AJV_OPTIONS, ...extra })
  for (const [name, check] of Object.entries(FORMATS)) ajv.addFormat(name, check)
  return ajv
}

/**
 * Points a schema's local `$ref`s at the whole document, registered in Ajv as `spec`.
 * @example
 * anchored({ $ref: '#/components/schemas/WebhookLog' }) //=> { $ref: 'spec#/components/schemas/WebhookLog' }
 */
export function anchored(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(anchored)
  if (!schema || typeof schema !== 'object') return schema
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `spec${v}` : anchored(v)]))
}

/**
 * Compiles one validator per operation. Call once at start-up.
 * @example
 * const validators = compileValidators(loadSpec())
 * validators.get('listWebhookLogs')!({ path, query: { per_page: '0' }, headers: {} }).ok //=> false
 */
export function compileValidators(spec: Spec): Map<string, Validator> {
  // Validators are pure functions of the spec: apps built from one spec share them.
  const hit = compiledBySpec.get(spec)
  if (hit) return hit
  let ajv: Ajv2020 | undefined
  const compile: Compile = (name, schema) => {
    const prebuilt = prebuiltValidator(spec.hash, name)
    if (prebuilt) return prebuilt as ValidateFunction
    if (!ajv) {
      ajv = createAjv()
      if (spec.operations.some(bodySchema)) ajv.addSchema(spec.document as object, 'spec')
    }
    return ajv.compile(schema as object)
  }
  const out = new Map<string, Validator>()
  for (const op of spec.operations) out.set(op.operationId, compileOperation(op, compile))
  compiledBySpec.set(spec, out)
  return out
}

const compiledBySpec = new WeakMap<Spec, Map<string, Validator>>()

type Compile = (name: string, schema: unknown) => ValidateFunction
const LOCATIONS = ['path', 'query', 'header'] as const

/**
 * Every JSON Schema the validators of a spec are compiled from, by name (`<operationId>.path`,
 * `.query`, `.header`, `.body`). The build generates standalone code from exactly these; the
 * `spec` schema (the whole document) is what body schemas' `$ref`s point into.
 */
export function validatorSchemas(spec: Spec): Map<string, unknown> {
  const out = new Map<string, unknown>()
  for (const op of spec.operations) {
    for (const location of LOCATIONS) out.set(`${op.operationId}.${location}`, locationSchema(op, location))
    const body = bodySchema(op)
    if (body !== undefined) out.set(`${op.operationId}.body`, anchored(body))
  }
  return out
}

/** Whether the body schemas need the document registered as `spec`. */
export const needsSpecSchema = (spec: Spec) => spec.operations.some((op) => bodySchema(op) !== undefined)

const paramKey = (location: Location, p: ParameterObject) => (location === 'header' ? p.name.toLowerCase() : p.name)

function locationSchema(op: SpecOperation, location: Location) {
  const params = op.parameters.filter((p) => p.in === location)
  return {
    type: 'object',
    properties: Object.fromEntries(params.map((p) => [paramKey(location, p), p.schema ?? {}])),
    required: params.filter((p) => p.required).map((p) => paramKey(location, p)),
  }
}

/**
 * The JSON request body schema validated with Laravel's messages. Operations tagged `Mock` (the
 * admin API) answer their own one-sentence 400s instead.
 */
function bodySchema(op: SpecOperation): unknown {
  if (op.operation?.tags?.includes('Mock')) return undefined
  const body = op.operation?.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined
  return body?.content?.['application/json']?.schema
}

/**
 * A JSON body as Laravel reads it: malformed JSON or a non-object is no input at all, and
 * ConvertEmptyStringsToNull makes "" a null, which (like null) counts as not given.
 */
function readBody(text: string | undefined): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text ?? '')
  } catch {
    return {}
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {}
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== ''))
}

function compileOperation(op: SpecOperation, compile: Compile): Validator {
  const schema = bodySchema(op)
  const validateBody = schema === undefined ? undefined : compile(`${op.operationId}.body`, anchored(schema))
  // Laravel turns an empty query string into null and skips an optional null field: the Talkover
  // API's query parameters do the same. The mock's own parameters (X-Mock-* headers, ?session= on
  // /__mock) are checked as sent: an empty session name is a mistake, never "every session".
  const laravelQuery = op.path.startsWith('/api/')
  const parts = LOCATIONS.map((location) => {
    const params = op.parameters.filter((p) => p.in === location)
    const byKey = new Map(params.map((p) => [paramKey(location, p), p]))
    return { location, byKey, validate: compile(`${op.operationId}.${location}`, locationSchema(op, location)) }
  })

  const validator = (raw: RawInput): ValidationResult => {
    const fieldErrors: Record<string, string[]> = {}
    const values: Record<Location, Record<string, unknown>> = { path: {}, query: {}, header: {} }
    for (const { location, byKey, validate } of parts) {
      const source: Record<string, string | string[]> = location === 'header' ? raw.headers : raw[location]
      const data: Record<string, unknown> = {}
      for (const [name, param] of byKey) {
        const value = source[name]
        if (value === undefined || (value === '' && location === 'query' && laravelQuery)) continue
        data[name] = Array.isArray(value) ? value : coerce(value, param.schema as SchemaObject | undefined)
      }
      if (!validate(data)) {
        const first = firstErrorPerField(validate)
        if (location === 'header') {
          const [name] = Object.keys(first)
          const param = byKey.get(name)!
          const { 'x-hint': hint = 'see openapi.yaml for the accepted values', 'x-status': status } = param as { 'x-hint'?: string; 'x-status'?: number }
          return { ok: false, error: apiError('badMockHeader', `Invalid ${param.name} header "${source[name]}": ${hint}.`, status) }
        }
        for (const [name, error] of Object.entries(first)) fieldErrors[name] = [laravelMessage(name, error)]
      }
      values[location] = data
    }
    const body = validateBody ? readBody(raw.body) : {}
    if (validateBody && !validateBody(body)) {
      for (const [name, error] of Object.entries(firstErrorPerField(validateBody))) fieldErrors[name] = [laravelMessage(name, error)]
    }
    if (Object.keys(fieldErrors).length > 0) return { ok: false, error: apiError('validation', fieldErrors) }
    return { ok: true, input: { path: values.path as Record<string, string>, query: values.query, headers: values.header, body } }
  }
  return Object.assign(validator, { readsBody: validateBody !== undefined })
}

/** Strict string → value conversion by schema type: `1e3`, `0x10` and `1.5` are not integers. */
function coerce(value: string, schema: SchemaObject | undefined): unknown {
  const type = schema?.type
  if (type === 'integer' && /^[+-]?\d{1,15}$/.test(value)) return Number(value)
  if (type === 'number' && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) return Number(value)
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true'
  return value
}
