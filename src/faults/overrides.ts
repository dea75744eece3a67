// Reads one API request's fault controls: which operation and webhook it targets, and its
// X-Mock-* and Prefer headers, validated against their declarations in openapi.yaml. Pure: it
// takes the method, path and headers, never a Hono context.
import { apiError, type ApiError } from '../http/errors.js'
import { INJECTED_STATUSES, type RequestFacts, type RequestOverrides } from './decide.js'
import { parseLatency } from './latency.js'
import type { NetworkFault } from './schedule.js'
import { resolve, type Spec, type SpecOperation } from '../http/spec.js'
import { compileValidators, type Validator } from '../http/validate.js'

const CONTROL_HEADERS = ['X-Mock-Session', 'X-Mock-Latency', 'X-Mock-Status', 'X-Mock-Error-Rate', 'X-Mock-Fault', 'Prefer']

/** The (lower-case) request headers the fault layer reads; no other header needs collecting. */
export const CONTROL_HEADER_NAMES: readonly string[] = CONTROL_HEADERS.map((name) => name.toLowerCase())

/** What a request asks of the fault layer. `examples` are the spec's bodies for X-Mock-Status. */
export interface RequestControls {
  session?: string
  facts: RequestFacts
  examples?: Map<number, string>
}

export type ReadControls = (method: string, path: string, headers: Record<string, string>) => RequestControls | { error: ApiError }

interface RouteMatcher {
  op: SpecOperation
  pattern: RegExp
  examples: Map<number, string>
}

function routeMatcher(spec: Spec, op: SpecOperation): RouteMatcher {
  const source = op.path
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? `(?<${part.slice(1, -1)}>[^/]+)` : part.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&')))
    .join('')
  const examples = new Map<number, string>()
  type Declared = { content?: Record<string, { example?: unknown; examples?: Record<string, { value?: unknown }> }> }
  for (const [code, declared] of Object.entries(op.operation.responses ?? {})) {
    const media = resolve<Declared>(spec.document, declared).content?.['application/json']
    const example = media?.example ?? Object.values(media?.examples ?? {})[0]?.value
    if (/^\d{3}$/.test(code) && example !== undefined) examples.set(Number(code), JSON.stringify(example))
  }
  return { op, pattern: new RegExp(`^${source}$`), examples }
}

const FAULT_CONTROLS = 'faultControls'

/**
 * The control headers' declarations as one synthetic operation of the spec, checked by the same
 * validator the routes use; it carries the spec's hash, so the build generates its code too.
 */
export function controlsSpec(spec: Spec): Spec {
  const params = new Map(spec.operations.flatMap((op) => op.parameters.filter((p) => p.in === 'header').map((p) => [p.name.toLowerCase(), p] as const)))
  const declared = CONTROL_HEADERS.map((name) => params.get(name.toLowerCase())).filter((p) => p !== undefined)
  return { ...spec, operations: [{ operationId: FAULT_CONTROLS, method: 'get', path: '', honoPath: '', parameters: declared, secured: false, operation: {} }] }
}

/**
 * Compiles, once, the reader of fault controls for the operations of a spec.
 * @example
 * const read = controlsReader(loadSpec())
 * read('GET', '/api/v1/agents/a/webhooks/w/logs', { 'x-mock-status': '503' })
 * //=> { facts: { route: 'listWebhookLogs', webhook: 'w', overrides: { status: 503 } }, … }
 */
export function controlsReader(spec: Spec): ReadControls {
  const matchers = spec.operations.map((op) => routeMatcher(spec, op))
  const params = new Map(spec.operations.flatMap((op) => op.parameters.filter((p) => p.in === 'header').map((p) => [p.name.toLowerCase(), p] as const)))
  // Compiled (or taken from the build's standalone code) when a request first carries a control header.
  let check: Validator | undefined
  const bad = (name: string, value: string) => {
    const hint = (params.get(name.toLowerCase()) as { 'x-hint'?: string } | undefined)?.['x-hint'] ?? 'see openapi.yaml for the accepted values'
    return { error: apiError('badMockHeader', `Invalid ${name} header "${value}": ${hint}.`) }
  }

  return (method, path, raw) => {
    const verb = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase()
    const match = matchers.find((m) => m.op.method === verb && m.pattern.test(path))
    const overrides: RequestOverrides = {}
    const controls: RequestControls = {
      facts: { route: match?.op.operationId, webhook: match && path.match(match.pattern)?.groups?.webhook_id, overrides },
      examples: match?.examples,
    }
    if (!CONTROL_HEADERS.some((name) => raw[name.toLowerCase()] !== undefined)) return controls
    check ??= compileValidators(controlsSpec(spec)).get(FAULT_CONTROLS)!
    const result = check({ path: {}, query: {}, headers: raw })
    if (!result.ok) return { error: result.error }
    const h = result.input.headers
    controls.session = h['x-mock-session'] as string | undefined
    if (h['x-mock-latency'] !== undefined) {
      const parsed = parseLatency(String(h['x-mock-latency']))
      if (!parsed.ok) return bad('X-Mock-Latency', raw['x-mock-latency'])
      overrides.latency = parsed.latency
    }
    const allowed = (status: number) => status === 200 || (INJECTED_STATUSES as readonly number[]).includes(status) || !!match?.examples.has(status)
    if (h['x-mock-status'] !== undefined) {
      if (!allowed(h['x-mock-status'] as number)) return bad('X-Mock-Status', raw['x-mock-status'])
      overrides.status = h['x-mock-status'] as number
    }
    const prefer = raw.prefer?.match(/(?:^|[;,\s])code=([^;,\s]*)/)
    if (prefer && overrides.status === undefined) {
      if (!/^\d{3}$/.test(prefer[1]) || !allowed(Number(prefer[1]))) return bad('Prefer', raw.prefer)
      overrides.status = Number(prefer[1])
    }
    if (h['x-mock-error-rate'] !== undefined) overrides.errorRate = h['x-mock-error-rate'] as number
    if (h['x-mock-fault'] !== undefined) overrides.fault = h['x-mock-fault'] as NetworkFault
    return controls
  }
}
