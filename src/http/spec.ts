// Loads openapi.yaml and checks, once at start-up, everything the rest of the code relies on.
// A broken document stops start-up with one sentence naming what is wrong and how to fix it.
// The packaged document was parsed at build time (http/prebuilt.ts): the YAML parser is loaded
// only for a document that differs from it.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { hashText, prebuiltSpecJson, requireHere } from './prebuilt.js'
import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject } from 'openapi3-ts/oas31'

/** The methods an OpenAPI path item can hold, in the order routes are mounted. */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

/** One operation of the document, with its `$ref`s resolved and its Hono path precomputed. */
export interface SpecOperation {
  operationId: string
  method: string
  /** The OpenAPI path, e.g. `/api/v1/agents/{agent_id}/webhooks`. */
  path: string
  /** The same path in Hono's syntax, e.g. `/api/v1/agents/:agent_id/webhooks`. */
  honoPath: string
  parameters: ParameterObject[]
  /** True when the operation requires the bearer token (own or document-level `security`). */
  secured: boolean
  operation: OperationObject
}

export interface Spec {
  document: OpenAPIObject
  /** The exact text the document was read from, served at /openapi.yaml. */
  yaml: string
  /** The document as JSON, served at /openapi.json. */
  json: string
  /** SHA-256 of `yaml`: the key of the build-time artefacts (parsed document, standalone validators). */
  hash: string
  operations: SpecOperation[]
}

/** Thrown when the document cannot be used; the message is one sentence for a person. */
export class SpecError extends Error {
  override name = 'SpecError'
}

/** Where the packaged openapi.yaml lives, from src/ (tests) as from dist/ (built). */
export const DEFAULT_SPEC_PATH = fileURLToPath(new URL('../../openapi.yaml', import.meta.url))

const cache = new Map<string, Spec>()

/**
 * Reads and checks an OpenAPI 3.1 document. Results are cached per path: the file is read once.
 * @example
 * const spec = loadSpec()
 * spec.operations.map((op) => op.operationId) //=> ['listWebhookLogs', 'retryWebhookLog', …]
 */
export function loadSpec(file: string = DEFAULT_SPEC_PATH): Spec {
  const hit = cache.get(file)
  if (hit) return hit
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new SpecError(`Failed to read the OpenAPI document ${file}: ${(error as Error).message}. Please check the path.`)
  }
  const hash = hashText(text)
  const json = prebuiltSpecJson(hash)
  const spec = json === undefined ? parseSpec(text, file) : checkSpec(JSON.parse(json), text, file, json, hash)
  cache.set(file, spec)
  return spec
}

/** Parses and checks a document's text; `source` names it in error messages. */
export function parseSpec(text: string, source = 'openapi.yaml'): Spec {
  let raw: unknown
  try {
    raw = (requireHere('yaml') as typeof import('yaml')).parse(text)
  } catch (error) {
    throw new SpecError(`${source} is not valid YAML (${(error as Error).message.split('\n')[0]}); please fix the syntax.`)
  }
  return checkSpec(raw, text, source)
}

/** Checks a parsed document; `json` and `hash` when known already (the build-time artefact). */
function checkSpec(raw: unknown, text: string, source: string, json?: string, hash?: string): Spec {
  const doc = raw as Partial<OpenAPIObject> | null
  if (!doc || typeof doc !== 'object') throw new SpecError(`${source} is empty or not a mapping; it must be an OpenAPI 3.1 document.`)
  if (typeof doc.openapi !== 'string' || !/^3\.1\.\d+$/.test(doc.openapi)) {
    throw new SpecError(`${source} declares openapi "${String(doc.openapi)}"; talkover-mock needs an OpenAPI 3.1.x document.`)
  }
  if (!doc.paths || typeof doc.paths !== 'object') throw new SpecError(`${source} has no "paths"; add the API's paths.`)
  const document = doc as OpenAPIObject
  const globallySecured = (document.security ?? []).length > 0
  const operations: SpecOperation[] = []
  const seen = new Set<string>()
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = (item as Record<string, OperationObject | undefined>)[method]
      if (!operation) continue
      const where = `${method.toUpperCase()} ${path}`
      const { operationId } = operation
      if (!operationId) throw new SpecError(`${source}: ${where} has no operationId; give every operation one.`)
      if (seen.has(operationId)) throw new SpecError(`${source}: operationId "${operationId}" is used twice; operationIds must be unique.`)
      seen.add(operationId)
      const declared = [...(item.parameters ?? []), ...(operation.parameters ?? [])]
      const parameters = declared.map((p) => resolve<ParameterObject>(document, p, `${source}: ${where}`))
      for (const name of path.match(/\{[^}]+\}/g) ?? []) {
        const bare = name.slice(1, -1)
        if (!parameters.some((p) => p.in === 'path' && p.name === bare)) {
          throw new SpecError(`${source}: ${where} uses {${bare}} but declares no path parameter "${bare}"; add it to "parameters".`)
        }
      }
      operations.push({
        operationId,
        method,
        path,
        honoPath: path.replace(/\{([^}]+)\}/g, ':$1'),
        parameters,
        secured: operation.security ? operation.security.length > 0 : globallySecured,
        operation,
      })
    }
  }
  return { document, yaml: text, json: json ?? JSON.stringify(document), hash: hash ?? hashText(text), operations }
}

/**
 * Follows a local `$ref` (`#/components/…`) to its target.
 * @example
 * resolve(doc, { $ref: '#/components/parameters/Page' }) //=> { name: 'page', in: 'query', … }
 */
export function resolve<T>(document: OpenAPIObject, node: T | ReferenceObject, where = 'openapi.yaml'): T {
  let current: unknown = node
  for (let hops = 0; current && typeof current === 'object' && '$ref' in current; hops++) {
    const ref = (current as ReferenceObject).$ref
    if (hops > 20 || !ref.startsWith('#/')) throw new SpecError(`${where}: cannot follow $ref "${ref}"; only local references (#/…) are supported.`)
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], document)
    if (current === undefined) throw new SpecError(`${where}: $ref "${ref}" points nowhere; fix the reference.`)
  }
  return current as T
}
