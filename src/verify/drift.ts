// What a response that does not match openapi.yaml means for a consumer: drift, classified
// (unknown field, missing required field, type change, value outside an enum, error body of
// another shape, …) from the errors of the same Ajv validators the mock's tests use. Pure.
import type { ErrorObject } from 'ajv/dist/2020.js'
import type { ResponseValidators } from '../http/response-check.js'

export const DRIFT_KINDS = [
  'undeclared status',
  'unexpected status',
  'not JSON',
  'error body of another shape',
  'unknown field',
  'missing required field',
  'type change',
  'value outside enum',
  'field not allowed here',
  'value out of range',
] as const
export type DriftKind = (typeof DRIFT_KINDS)[number]

/** One answer of the upstream, as verify got it. */
export interface CallResult {
  /** What was asked, e.g. `GET /agents/{agent_id}/webhooks/{webhook_id}/logs?page=2`. */
  label: string
  operationId: string
  /** The status this call is meant to get (the 404 and 422 on purpose). */
  expectStatus?: number
  status: number
  text: string
}

export interface Drift {
  kind: DriftKind
  operationId: string
  /** JSON pointer into the body, array indices as `*`. */
  path: string
  detail: string
  /** The call it was first seen in. */
  call: string
}

/**
 * The drift one answer shows (empty when it matches openapi.yaml).
 * @example
 * driftsOf({ label: 'GET …/logs', operationId: 'listWebhookLogs', status: 200, text: '{"success":true,"data":[{"id":"l",…,"colour":"red"}],…}' }, validators)
 * //=> [{ kind: 'unknown field', path: '/data/*\/colour', detail: '"colour" is not in openapi.yaml', … }]
 */
export function driftsOf(call: CallResult, validators: ResponseValidators): Drift[] {
  const at = (kind: DriftKind, path: string, detail: string): Drift => ({ kind, operationId: call.operationId, path: generic(path), detail, call: call.label })
  const out: Drift[] = []
  if (call.expectStatus !== undefined && call.status !== call.expectStatus)
    out.push(at('unexpected status', '', `expected ${call.expectStatus}, got ${call.status}`))
  const shape = validators.check(call.operationId, call.status, undefined)
  if (!shape.declared) return [...out, at('undeclared status', '', `${call.status} is not declared for ${call.operationId}`)]
  if (!shape.mediaType) return out
  let body: unknown
  try {
    body = JSON.parse(call.text)
  } catch {
    return [...out, at(call.status >= 400 ? 'error body of another shape' : 'not JSON', '', `the body is not JSON: ${JSON.stringify(call.text.slice(0, 80))}`)]
  }
  const errors = validators.check(call.operationId, call.status, body).errors.filter((e) => !WRAPPERS.has(e.keyword))
  if (errors.length === 0) return out
  if (call.status >= 400) {
    const said = errors
      .slice(0, 3)
      .map((e) => describe(e, body).detail)
      .join('; ')
    return [...out, at('error body of another shape', '', `${said} (body ${call.text.slice(0, 120)})`)]
  }
  for (const e of errors) {
    const { kind, path, detail } = describe(e, body)
    out.push(at(kind, path, detail))
  }
  return out
}

/** Keywords whose errors only say that an inner rule failed (the inner error says which). */
const WRAPPERS = new Set(['if', 'allOf', 'anyOf', 'oneOf', 'then', 'else'])

function describe(e: ErrorObject, body: unknown): { kind: DriftKind; path: string; detail: string } {
  const value = valueAt(body, e.instancePath)
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(e.params.additionalProperty)
      return { kind: 'unknown field', path: `${e.instancePath}/${name}`, detail: `"${name}" is not in openapi.yaml` }
    }
    case 'required': {
      const name = String(e.params.missingProperty)
      return { kind: 'missing required field', path: `${e.instancePath}/${name}`, detail: `"${name}" is required by openapi.yaml but absent` }
    }
    case 'type':
      return {
        kind: 'type change',
        path: e.instancePath,
        detail: `expected ${e.params.type}, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`,
      }
    case 'enum':
    case 'const': {
      const allowed = (e.params.allowedValues as unknown[] | undefined) ?? [e.params.allowedValue]
      return {
        kind: 'value outside enum',
        path: e.instancePath,
        detail: `${JSON.stringify(value)} is not one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
      }
    }
    case 'false schema':
      return {
        kind: 'field not allowed here',
        path: e.instancePath,
        detail: 'present although openapi.yaml forbids it in this place (e.g. for this row status)',
      }
    default:
      return { kind: 'value out of range', path: e.instancePath, detail: `${JSON.stringify(value)?.slice(0, 60)} ${e.message ?? 'breaks a rule'}` }
  }
}

/** Array indices as `*`, so the same drift in 100 rows is one line. */
const generic = (path: string) => path.replace(/\/\d+(?=\/|$)/g, '/*')

function valueAt(body: unknown, pointer: string): unknown {
  let at = body
  for (const key of pointer.split('/').slice(1)) at = (at as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')]
  return at
}

/** One line of the drift table: a drift and how often it was seen. */
export interface DriftLine extends Drift {
  count: number
}

/**
 * The same drift seen in many rows or calls, counted once.
 * @example
 * summarise([d, d]) //=> [{ ...d, count: 2 }]
 */
export function summarise(drifts: readonly Drift[]): DriftLine[] {
  const lines = new Map<string, DriftLine>()
  for (const d of drifts) {
    const key = `${d.kind}\u0000${d.operationId}\u0000${d.path}\u0000${d.detail}`
    const line = lines.get(key)
    if (line) line.count++
    else lines.set(key, { ...d, count: 1 })
  }
  return [...lines.values()].sort((a, b) => DRIFT_KINDS.indexOf(a.kind) - DRIFT_KINDS.indexOf(b.kind))
}
