// Fixtures: YAML or JSON files (one file, or every .yaml/.yml/.json in a folder) that declare
// agents and webhooks. Validated once at start-up against a JSON Schema (head rows against the
// WebhookLog schema of openapi.yaml); a bad file stops start-up with one sentence naming the file
// and the path inside it.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import { parse } from 'yaml'
import { ConfigError } from './config.js'
import type { LogRecord } from './logs.js'
import type { Spec } from './spec.js'
import { parseTimestamp } from './time.js'
import { EVENT_NAMES } from './vocab.js'

/** Thrown for an unreadable or invalid fixture; a ConfigError, so the CLI exits 2 with the sentence. */
export class FixtureError extends ConfigError {
  override name = 'FixtureError'
}

/** The fixtures every world starts from: the docs example and a 1,000,000-row webhook. */
export const DEFAULT_FIXTURES = fileURLToPath(new URL('../fixtures/default', import.meta.url))

/** A pinned row as declared; `payloadJson` is filled in by the generator when the row shows none. */
export type PinnedRow = Omit<LogRecord, 'payloadJson'> & { payloadJson?: string }

/** One declared webhook. Absent settings fall back as the README's Fixtures section says. */
export interface WebhookFixture {
  id: string
  total?: number
  maxRetries?: number
  timeout?: number
  events?: string[]
  enabled?: boolean
  failureRate?: number
  retryOutcome?: 'success' | 'failed'
  head: PinnedRow[]
}

/** Every declared agent and webhook, and whether undeclared ids get a generated history. */
export interface Catalog {
  openWorld: boolean
  agents: ReadonlyMap<string, ReadonlyMap<string, WebhookFixture>>
}

/** A catalog with nothing declared and the open world on. */
export const EMPTY_CATALOG: Catalog = Object.freeze({ openWorld: true, agents: new Map() })

const webhookSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 255 },
    name: { type: 'string' },
    total: { type: 'integer', minimum: 0, maximum: 1_000_000 },
    max_retries: { type: 'integer', minimum: 0, maximum: 10 },
    timeout: { type: 'integer', minimum: 5, maximum: 120 },
    events: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: EVENT_NAMES } },
    enabled: { type: 'boolean' },
    failure_rate: { type: 'number', minimum: 0, maximum: 1 },
    retry_outcome: { enum: ['success', 'failed'] },
    head: { type: 'array', maxItems: 1000, items: { $ref: 'spec#/components/schemas/WebhookLog' } },
  },
}

const fileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    open_world: { type: 'boolean' },
    agents: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id'],
        properties: { id: { type: 'string', minLength: 1, maxLength: 255 }, name: { type: 'string' }, webhooks: { type: 'array', items: webhookSchema } },
      },
    },
  },
}

const validators = new WeakMap<Spec, ValidateFunction>()
function validatorFor(spec: Spec): ValidateFunction {
  let v = validators.get(spec)
  if (!v) {
    const ajv = new Ajv2020({ strict: false })
    ajv.addSchema(spec.document as object, 'spec')
    validators.set(spec, (v = ajv.compile(fileSchema)))
  }
  return v
}

type RawRow = Record<string, any>
interface RawFile {
  open_world?: boolean
  agents?: { id: string; webhooks?: (Record<string, any> & { id: string; head?: RawRow[] })[] }[]
}

/**
 * Loads, validates and merges fixture files or folders, in order: a later webhook with the same
 * agent and webhook id replaces an earlier one; the last `open_world` given wins.
 * @example
 * loadFixtures([DEFAULT_FIXTURES, 'my-fixtures/'], loadSpec()).agents.get('agent-uuid')
 */
export function loadFixtures(paths: readonly string[], spec: Spec): Catalog {
  let openWorld = true
  const agents = new Map<string, Map<string, WebhookFixture>>()
  for (const file of paths.flatMap(listFiles)) {
    const raw = readFixture(file, spec)
    if (raw.open_world !== undefined) openWorld = raw.open_world
    for (const agent of raw.agents ?? []) {
      const webhooks = agents.get(agent.id) ?? new Map<string, WebhookFixture>()
      agents.set(agent.id, webhooks)
      for (const w of agent.webhooks ?? []) webhooks.set(w.id, toFixture(w))
    }
  }
  return Object.freeze({ openWorld, agents })
}

function listFiles(path: string): string[] {
  let isDir: boolean
  try {
    isDir = statSync(path).isDirectory()
  } catch {
    throw new FixtureError(`Failed to read fixtures "${path}": no such file or folder. Please check --fixtures.`)
  }
  if (!isDir) return [path]
  const files = readdirSync(path).filter((name) => /\.(ya?ml|json)$/i.test(name)).sort()
  if (files.length === 0) throw new FixtureError(`Invalid fixtures folder "${path}": it holds no .yaml, .yml or .json file. Please add one or point --fixtures at a file.`)
  return files.map((name) => join(path, name))
}

function readFixture(file: string, spec: Spec): RawFile {
  let data: unknown
  try {
    const text = readFileSync(file, 'utf8')
    data = /\.json$/i.test(file) ? JSON.parse(text) : parse(text)
  } catch (error) {
    const why = (error as Error).message.split('\n')[0].replace(/\.$/, '')
    throw new FixtureError(`Invalid fixture ${file}: it cannot be parsed (${why}). Please fix the file.`)
  }
  data ??= {}
  const validate = validatorFor(spec)
  if (!validate(data)) throw invalid(file, describe(validate.errors![0]))
  const raw = data as RawFile
  raw.agents?.forEach((agent, a) => agent.webhooks?.forEach((w, i) => checkHead(file, `/agents/${a}/webhooks/${i}`, w)))
  return raw
}

const invalid = (file: string, [path, message]: [string, string]) =>
  new FixtureError(`Invalid fixture ${file} at ${path || '/'}: ${message}. Please fix the file.`)

function describe(error: ErrorObject): [string, string] {
  const { instancePath: path, keyword, params, message = 'is invalid' } = error
  if (keyword === 'additionalProperties') return [path, `must not have the property "${params.additionalProperty}"`]
  if (keyword === 'required') return [path, `must have the property "${params.missingProperty}"`]
  if (keyword === 'enum') return [path, `must be one of ${(params.allowedValues as unknown[]).join(', ')}`]
  if (keyword === 'pattern' && /_at$/.test(path)) return [path, 'must be a UTC time like 2024-01-15T11:00:00Z']
  if (keyword === 'false schema') return [path, 'must not be present for a row with this status']
  return [path, message]
}

/** Rules of pinned rows that a JSON Schema cannot express. */
function checkHead(file: string, at: string, w: Record<string, any> & { head?: RawRow[] }): void {
  const head = w.head ?? []
  const maxRetries: number = w.max_retries ?? 3
  const fail = (path: string, message: string) => {
    throw invalid(file, [`${at}${path}`, message])
  }
  if (w.total !== undefined && head.length > w.total) fail('/total', `must be at least the number of head rows (${head.length})`)
  const seen = new Set<string>()
  head.forEach((row, i) => {
    const p = `/head/${i}`
    if (row.webhook_id !== w.id) fail(`${p}/webhook_id`, `must be "${w.id}", the webhook's id`)
    if (seen.has(row.id)) fail(`${p}/id`, `must be unique, but "${row.id}" is used twice`)
    seen.add(row.id)
    if (w.events && !w.events.includes(row.event)) fail(`${p}/event`, `must be one of the webhook's events`)
    if (row.attempt > maxRetries + 1) fail(`${p}/attempt`, `must be <= ${maxRetries + 1} (1 + max_retries)`)
    if (row.status === 'failed' && row.attempt !== maxRetries + 1) fail(`${p}/attempt`, `must be ${maxRetries + 1} (1 + max_retries) on a failed row`)
    if (row.delivered_at && row.delivered_at < row.created_at) fail(`${p}/delivered_at`, 'must not be before created_at')
    if (i > 0 && row.created_at > head[i - 1].created_at) fail(`${p}/created_at`, 'must not be after the row before it (head rows are newest first)')
  })
}

function toFixture(w: Record<string, any> & { id: string; head?: RawRow[] }): WebhookFixture {
  return Object.freeze({
    id: w.id,
    total: w.total,
    maxRetries: w.max_retries,
    timeout: w.timeout,
    events: w.events,
    enabled: w.enabled,
    failureRate: w.failure_rate,
    retryOutcome: w.retry_outcome,
    head: (w.head ?? []).map(toPinned),
  })
}

function toPinned(row: RawRow): PinnedRow {
  return Object.freeze({
    id: row.id,
    webhookId: row.webhook_id,
    event: row.event,
    attempt: row.attempt,
    status: row.status,
    createdAt: parseTimestamp(row.created_at),
    payloadJson: row.request_payload === undefined ? undefined : JSON.stringify(row.request_payload),
    httpStatus: row.http_status,
    responseBody: row.response_body,
    responseHeadersJson: row.response_headers === undefined ? undefined : JSON.stringify(row.response_headers),
    durationMs: row.duration_ms,
    error: row.error,
    deliveredAt: row.delivered_at === undefined ? undefined : parseTimestamp(row.delivered_at),
  })
}
