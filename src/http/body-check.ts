// Checks a JSON body of the admin API against its schema in openapi.yaml and answers with one
// sentence a person can act on (the admin API's 400s), using each property's `x-hint`.
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js'
import type { Spec } from './spec.js'
import { createAjv } from './validate.js'

const checkers = new WeakMap<Spec, Map<string, (body: unknown) => string | undefined>>()
/** One Ajv per spec for every admin body: adding the whole document is the expensive part. */
const ajvs = new WeakMap<Spec, Ajv2020>()

/**
 * The validator of schema `pointer` of the spec, compiled on its first use with the spec's one
 * admin Ajv, so start-up pays nothing for it.
 * @example
 * schemaValidator(spec, '#/components/schemas/MockClockMove')()({ advance: 60 }) //=> true
 */
export function schemaValidator(spec: Spec, pointer: string): () => ValidateFunction {
  let compiled: ValidateFunction | undefined
  return () => {
    if (compiled) return compiled
    let ajv = ajvs.get(spec)
    if (!ajv) {
      ajvs.set(spec, (ajv = createAjv()))
      ajv.addSchema(spec.document as object, 'spec')
    }
    return (compiled = ajv.compile({ $ref: `spec${pointer}` }))
  }
}

/**
 * A checker for bodies of schema `pointer` (e.g. `#/components/schemas/MockConfigPatch`); it
 * returns undefined for a valid body, else one sentence. `example` shows the expected shape;
 * `noun` names an unknown key in the sentence. The schema is compiled on the first check, so
 * start-up pays nothing for admin bodies nobody sends.
 * @example
 * bodyChecker(spec, '#/components/schemas/MockConfigPatch', '{"error_rate":0.1}')({ error_rate: 2 })
 * //=> 'Invalid error_rate 2: use a number from 0 to 1, like 0.1.'
 */
export function bodyChecker(spec: Spec, pointer: string, example: string, noun = 'key'): (body: unknown) => string | undefined {
  let bySpec = checkers.get(spec)
  if (!bySpec) checkers.set(spec, (bySpec = new Map()))
  const cached = bySpec.get(pointer)
  if (cached) return cached
  const validator = schemaValidator(spec, pointer)
  const schema = pointer
    .slice(2)
    .split('/')
    .reduce<Record<string, unknown>>((at, key) => at[key] as Record<string, unknown>, spec.document as unknown as Record<string, unknown>)
  const properties = (schema.properties ?? {}) as Record<string, { 'x-hint'?: string; 'x-secret'?: boolean }>
  const name = pointer.split('/').pop()
  const check = (body: unknown) => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return `The body must be a JSON object like ${example}.`
    const validate = validator()
    if (validate(body)) return undefined
    const errors = validate.errors ?? []
    const unknown = errors.find((e) => e.keyword === 'additionalProperties' && e.instancePath === '')
    if (unknown) return `Unknown ${noun} "${unknown.params.additionalProperty}": use ${Object.keys(properties).join(', ')}.`
    const missing = errors.find((e) => e.keyword === 'required' && e.instancePath === '')
    const key = (errors[0]?.instancePath ?? '').split('/')[1] ?? ''
    if (!key && missing) return `Missing ${missing.params.missingProperty}: send a JSON object like ${example}.`
    if (!key) return `The body does not match ${name} in openapi.yaml: send a JSON object like ${example}.`
    const hint = properties[key]?.['x-hint'] ?? `see ${name} in openapi.yaml`
    // A property marked x-secret (a secret, a URL that may carry a password) is never quoted back.
    if (properties[key]?.['x-secret']) return `Invalid ${key}: ${hint} (the value is not shown).`
    const shown = JSON.stringify((body as Record<string, unknown>)[key]).slice(0, 120)
    return `Invalid ${key} ${shown}: ${hint}.`
  }
  bySpec.set(pointer, check)
  return check
}
