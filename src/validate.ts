// Validates a request's path, query and header parameters against the operation's parameter
// schemas in openapi.yaml, with Ajv validators compiled once at start-up. Failures become the
// real API's error bodies: Laravel's 422 for path/query fields, a 400 for mock control headers.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import type { ParameterObject, SchemaObject } from 'openapi3-ts/oas31'
import { apiError, fieldWords, type ApiError } from './errors.js'
import type { Spec, SpecOperation } from './spec.js'

/** The raw parameters of one request, as strings. Header names are lower-case. */
export interface RawInput {
  path: Record<string, string>
  query: Record<string, string>
  headers: Record<string, string>
}

/** Parameters after validation: typed, with defaults from the spec applied. */
export interface ValidInput {
  path: Record<string, string>
  query: Record<string, unknown>
  headers: Record<string, unknown>
}

export type ValidationResult = { ok: true; input: ValidInput } | { ok: false; error: ApiError }
export type Validator = (raw: RawInput) => ValidationResult

type Location = 'path' | 'query' | 'header'

/** Creates the Ajv instance used for parameters and, in tests, for whole responses. */
export function createAjv(): Ajv2020 {
  return new Ajv2020({ allErrors: true, useDefaults: true, strict: false, validateSchema: false })
}

/**
 * Compiles one validator per operation. Call once at start-up.
 * @example
 * const validators = compileValidators(loadSpec())
 * validators.get('listWebhookLogs')!({ path, query: { per_page: '0' }, headers: {} }).ok //=> false
 */
export function compileValidators(spec: Spec, ajv: Ajv2020 = createAjv()): Map<string, Validator> {
  const out = new Map<string, Validator>()
  for (const op of spec.operations) out.set(op.operationId, compileOperation(op, ajv))
  return out
}

function compileOperation(op: SpecOperation, ajv: Ajv2020): Validator {
  const parts = (['path', 'query', 'header'] as const).map((location) => {
    const params = op.parameters.filter((p) => p.in === location)
    const key = (p: ParameterObject) => (location === 'header' ? p.name.toLowerCase() : p.name)
    const schema = {
      type: 'object',
      properties: Object.fromEntries(params.map((p) => [key(p), p.schema ?? {}])),
      required: params.filter((p) => p.required).map(key),
    }
    const byKey = new Map(params.map((p) => [key(p), p]))
    return { location, byKey, validate: ajv.compile(schema) }
  })

  return (raw) => {
    const fieldErrors: Record<string, string[]> = {}
    const values: Record<Location, Record<string, unknown>> = { path: {}, query: {}, header: {} }
    for (const { location, byKey, validate } of parts) {
      const source = location === 'header' ? raw.headers : raw[location]
      const data: Record<string, unknown> = {}
      for (const [name, param] of byKey) {
        const value = source[name]
        // Laravel turns empty query strings into null, and an optional null field is skipped.
        if (value === undefined || value === '') continue
        data[name] = coerce(value, param.schema as SchemaObject | undefined)
      }
      if (!validate(data)) {
        const first = firstErrorPerField(validate)
        if (location === 'header') {
          const [name] = Object.keys(first)
          const param = byKey.get(name)!
          const hint = (param as { 'x-hint'?: string })['x-hint'] ?? 'see openapi.yaml for the accepted values'
          return { ok: false, error: apiError('badMockHeader', `Invalid ${param.name} header "${source[name]}": ${hint}.`) }
        }
        for (const [name, error] of Object.entries(first)) fieldErrors[name] = [laravelMessage(name, error)]
      }
      values[location] = data
    }
    if (Object.keys(fieldErrors).length > 0) return { ok: false, error: apiError('validation', fieldErrors) }
    return { ok: true, input: { path: values.path as Record<string, string>, query: values.query, headers: values.header } }
  }
}

/** Strict string → value conversion by schema type: `1e3`, `0x10` and `1.5` are not integers. */
function coerce(value: string, schema: SchemaObject | undefined): unknown {
  const type = schema?.type
  if (type === 'integer' && /^[+-]?\d{1,15}$/.test(value)) return Number(value)
  if (type === 'number' && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) return Number(value)
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true'
  return value
}

function firstErrorPerField(validate: ValidateFunction): Record<string, ErrorObject> {
  const out: Record<string, ErrorObject> = {}
  for (const error of validate.errors ?? []) {
    const name = error.keyword === 'required' ? String(error.params.missingProperty) : error.instancePath.split('/')[1]
    if (name && !out[name]) out[name] = error
  }
  return out
}

/** The message Laravel 10 writes for the rule an Ajv error corresponds to. */
function laravelMessage(field: string, error: ErrorObject): string {
  const words = fieldWords(field)
  switch (error.keyword) {
    case 'required':
      return `The ${words} field is required.`
    case 'type':
      return error.params.type === 'integer'
        ? `The ${words} field must be an integer.`
        : `The ${words} field must be a ${error.params.type}.`
    case 'minimum':
      return `The ${words} field must be at least ${error.params.limit}.`
    case 'maximum':
      return `The ${words} field must not be greater than ${error.params.limit}.`
    case 'minLength':
      return `The ${words} field must be at least ${error.params.limit} characters.`
    case 'maxLength':
      return `The ${words} field must not be greater than ${error.params.limit} characters.`
    case 'enum':
      return `The selected ${words} is invalid.`
    default:
      return `The ${words} field format is invalid.`
  }
}
