// Fixtures: YAML or JSON files (one file, or every .yaml/.yml/.json in a folder) that declare
// agents and webhooks. Validated once at start-up against a JSON Schema (head rows against the
// WebhookLog schema of openapi.yaml); a bad file stops start-up with one sentence naming the file
// and the path inside it.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ValidateFunction } from 'ajv/dist/2020.js'
import { fixtureKey, prebuiltFixture, prebuiltFixtureValidator, requireHere } from './prebuilt-fixtures.js'
import { describe, fileSchema, headProblem, type RawFile, type RawRow, type RawWebhook } from './fixture-schema.js'
import { readRecordedRows } from './recorded-rows.js'
import { parseTimestamp } from './time.js'
import type { Catalog, PinnedRow, WebhookFixture } from './model.js'

/** Thrown for an unreadable or invalid fixture; the CLI prints its sentence and exits 2. */
export class FixtureError extends Error {
  override name = 'FixtureError'
}

/** The fixtures every world starts from: the docs example and a 1,000,000-row webhook. */
export const DEFAULT_FIXTURES = fileURLToPath(new URL('../../fixtures/default', import.meta.url))

/** A catalog with nothing declared and the open world on. */
export const EMPTY_CATALOG: Catalog = Object.freeze({ openWorld: true, agents: new Map(), campaigns: new Map() })

/** The part of the loaded OpenAPI document fixtures need: head rows are checked against its WebhookLog schema. */
export interface SpecDocument {
  document: unknown
  /** SHA-256 of the document's text: finds the build-time artefacts made for it. */
  hash?: string
}

/** The options of the Ajv that validates fixture files (the build adds `code` to them). */
export const FIXTURE_AJV_OPTIONS = { strict: false, validateSchema: false }

const validators = new WeakMap<SpecDocument, ValidateFunction>()
function validatorFor(spec: SpecDocument): ValidateFunction {
  let v = validators.get(spec)
  if (!v) {
    v = spec.hash === undefined ? undefined : (prebuiltFixtureValidator(spec.hash) as ValidateFunction | undefined)
    if (!v) {
      const { Ajv2020 } = requireHere('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')
      const ajv = new Ajv2020(FIXTURE_AJV_OPTIONS)
      ajv.addSchema(spec.document as object, 'spec')
      v = ajv.compile(fileSchema)
    }
    validators.set(spec, v)
  }
  return v
}

/**
 * Loads, validates and merges fixture files or folders, in order: a later webhook with the same
 * agent and webhook id replaces an earlier one; the last `open_world` given wins.
 * @example
 * loadFixtures([DEFAULT_FIXTURES, 'my-fixtures/'], loadSpec()).agents.get('agent-uuid')
 */
export function loadFixtures(paths: readonly string[], spec: SpecDocument): Catalog {
  let openWorld = true
  const agents = new Map<string, Map<string, WebhookFixture>>()
  const campaigns = new Map<string, Map<string, WebhookFixture>>()
  for (const file of paths.flatMap(listFiles)) {
    const raw = readFixture(file, spec)
    if (raw.open_world !== undefined) openWorld = raw.open_world
    for (const [kind, into] of [
      ['agents', agents],
      ['campaigns', campaigns],
    ] as const) {
      for (const [a, owner] of (raw[kind] ?? []).entries()) {
        const webhooks = into.get(owner.id) ?? new Map<string, WebhookFixture>()
        into.set(owner.id, webhooks)
        for (const [i, w] of (owner.webhooks ?? []).entries())
          webhooks.set(w.id, toFixture(w, `${file} at /${kind}/${a}/webhooks/${i}`, raw.anchor === undefined ? undefined : parseTimestamp(raw.anchor)))
      }
    }
  }
  return Object.freeze({ openWorld, agents, campaigns })
}

function listFiles(path: string): string[] {
  let isDir: boolean
  try {
    isDir = statSync(path).isDirectory()
  } catch {
    throw new FixtureError(
      `Failed to read fixtures "${path}": no such file or folder. Please check the path (a relative one is read from the working directory).`,
    )
  }
  if (!isDir) return [path]
  const files = readdirSync(path)
    .filter((name) => /\.(ya?ml|json)$/i.test(name))
    .sort()
  if (files.length === 0)
    throw new FixtureError(`Invalid fixtures folder "${path}": it holds no .yaml, .yml or .json file. Please add one or give the path of a file.`)
  return files.map((name) => join(path, name))
}

function readFixture(file: string, spec: SpecDocument): RawFile {
  let data: unknown
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const why = (error as Error).message.split('\n')[0].replace(/\.$/, '')
    throw new FixtureError(`Invalid fixture ${file}: it cannot be parsed (${why}). Please fix the file.`)
  }
  // A packaged fixture was parsed and validated against this very spec at build time.
  const built = spec.hash === undefined ? undefined : prebuiltFixture(fixtureKey(spec.hash, file, text))
  if (built !== undefined) return built as RawFile
  try {
    data = /\.json$/i.test(file) ? JSON.parse(text) : (requireHere('yaml') as typeof import('yaml')).parse(text)
  } catch (error) {
    const why = (error as Error).message.split('\n')[0].replace(/\.$/, '')
    throw new FixtureError(`Invalid fixture ${file}: it cannot be parsed (${why}). Please fix the file.`)
  }
  data ??= {}
  const validate = validatorFor(spec)
  const problem = validate(data) ? headProblem(data as RawFile) : describe(validate.errors![0])
  if (problem) throw new FixtureError(`Invalid fixture ${file} at ${problem[0] || '/'}: ${problem[1]}. Please fix the file.`)
  return data as RawFile
}

function toFixture(w: RawWebhook, where: string, anchor: number | undefined): WebhookFixture {
  let head = (w.head ?? []).map(toPinned)
  if (w.recorded_rows !== undefined) {
    const read = readRecordedRows(w.recorded_rows, w.id)
    if ('problem' in read) throw new FixtureError(`Invalid fixture ${where}${read.problem[0]}: ${read.problem[1]}. Please fix the file or record it again.`)
    head = read.rows
  }
  return Object.freeze({
    id: w.id,
    // Recorded rows are history: they never move with --now, whatever the file declares.
    anchor: w.recorded_rows !== undefined ? undefined : anchor,
    name: w.name,
    webhookUrl: w.webhook_url,
    webhookSecret: w.webhook_secret,
    includeCallEvents: w.include_call_events,
    // A recorded webhook has exactly its recorded rows.
    total: w.recorded_rows !== undefined ? head.length : w.total,
    maxRetries: w.max_retries,
    timeout: w.timeout,
    events: w.events,
    enabled: w.enabled,
    failureRate: w.failure_rate,
    retryOutcome: w.retry_outcome,
    head,
    recorded: w.recorded_rows !== undefined,
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
