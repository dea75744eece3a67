// What a valid fixture file is: a JSON Schema (head rows use openapi.yaml's WebhookLog schema),
// plus the rules of pinned rows a schema cannot say, with errors phrased for a person.
import type { ErrorObject } from 'ajv/dist/2020.js'
import { parseInstant } from './time.js'
import { CAMPAIGN_EVENT_NAMES, EVENT_NAMES } from './vocab.js'

export type RawRow = Record<string, any>
export type RawWebhook = Record<string, any> & { id: string; head?: RawRow[] }
/** A fixture file as parsed, once it validates. */
export interface RawFile {
  /** The header of a recording: where and when it was recorded, and what was anonymised. */
  recorded?: Record<string, unknown>
  /** The `now` the file's times were written for: when given, its rows move with --now (see fixtures.ts). */
  anchor?: string
  open_world?: boolean
  agents?: RawOwner[]
  campaigns?: RawOwner[]
}
export type RawOwner = { id: string; webhooks?: RawWebhook[] }

const webhookSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 255 },
    name: { type: 'string', minLength: 1, maxLength: 255 },
    webhook_url: { type: 'string', pattern: '^https?://[^/\\s?#:]+', maxLength: 500 },
    webhook_secret: { type: 'string', minLength: 1, maxLength: 255 },
    include_call_events: { type: 'boolean' },
    total: { type: 'integer', minimum: 0, maximum: 1_000_000 },
    max_retries: { type: 'integer', minimum: 0, maximum: 10 },
    timeout: { type: 'integer', minimum: 5, maximum: 120 },
    events: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: EVENT_NAMES } },
    enabled: { type: 'boolean' },
    failure_rate: { type: 'number', minimum: 0, maximum: 1 },
    retry_outcome: { enum: ['success', 'failed'] },
    head: { type: 'array', maxItems: 1000, items: { $ref: 'spec#/components/schemas/WebhookLog' } },
    // A recording (talkover-mock record): one JSON row per line, served as recorded.
    recorded_rows: { type: 'string' },
  },
}

/** Campaign webhooks: the same settings, with the campaign event names. */
const campaignWebhookSchema = {
  ...webhookSchema,
  properties: { ...webhookSchema.properties, events: { ...webhookSchema.properties.events, items: { enum: CAMPAIGN_EVENT_NAMES } } },
}

const ownersSchema = (webhooks: object) => ({
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['id'],
    properties: { id: { type: 'string', minLength: 1, maxLength: 255 }, name: { type: 'string' }, webhooks: { type: 'array', items: webhooks } },
  },
})

/** The JSON Schema of a fixture file; `spec` must be registered in Ajv as openapi.yaml. */
export const fileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    recorded: { type: 'object' },
    anchor: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$' },
    open_world: { type: 'boolean' },
    agents: ownersSchema(webhookSchema),
    campaigns: ownersSchema(campaignWebhookSchema),
  },
}

/**
 * An Ajv error as [path, message] for a person.
 * @example
 * describe(validate.errors[0]) //=> ['/agents/0/webhooks/1/max_retries', 'must be <= 10']
 */
export function describe(error: ErrorObject): [string, string] {
  const { instancePath: path, keyword, params, message = 'is invalid' } = error
  if (keyword === 'additionalProperties') return [path, `must not have the property "${params.additionalProperty}"`]
  if (keyword === 'required') return [path, `must have the property "${params.missingProperty}"`]
  if (keyword === 'enum') return [path, `must be one of ${(params.allowedValues as unknown[]).join(', ')}`]
  if (keyword === 'pattern' && /(_at|^\/anchor)$/.test(path)) return [path, 'must be a UTC time like 2024-01-15T11:00:00Z']
  if (keyword === 'pattern' && /webhook_url$/.test(path)) return [path, 'must be an http(s) URL like https://example.com/webhook']
  if (keyword === 'false schema') return [path, 'must not be present for a row with this status']
  return [path, message]
}

/**
 * The first broken rule of pinned rows that a JSON Schema cannot express, as [path, message].
 * @example
 * headProblem({ agents: [{ id: 'a', webhooks: [{ id: 'w', total: 0, head: [row] }] }] })
 * //=> ['/agents/0/webhooks/0/total', 'must be at least the number of head rows (1)']
 */
export function headProblem(file: RawFile): [string, string] | undefined {
  if (file.anchor !== undefined && Number.isNaN(parseInstant(file.anchor))) return ['/anchor', 'must be a real UTC time like 2024-01-15T12:00:00Z']
  for (const owners of ['agents', 'campaigns'] as const) {
    for (const [a, owner] of (file[owners] ?? []).entries()) {
      for (const [i, w] of (owner.webhooks ?? []).entries()) {
        const problem = webhookHeadProblem(w, file.anchor)
        if (problem) return [`/${owners}/${a}/webhooks/${i}${problem[0]}`, problem[1]]
      }
    }
  }
  return undefined
}

function webhookHeadProblem(w: RawWebhook, anchor: string | undefined): [string, string] | undefined {
  if (w.recorded_rows !== undefined) {
    for (const key of ['head', 'total', 'failure_rate'] as const) {
      if (w[key] !== undefined) return [`/${key}`, 'must not be present on a recorded webhook (its rows are recorded_rows)']
    }
  }
  const head = w.head ?? []
  const maxRetries: number = w.max_retries ?? 3
  if (w.total !== undefined && head.length > w.total) return ['/total', `must be at least the number of head rows (${head.length})`]
  const seen = new Set<string>()
  for (const [i, row] of head.entries()) {
    const p = `/head/${i}`
    if (row.webhook_id !== w.id) return [`${p}/webhook_id`, `must be "${w.id}", the webhook's id`]
    if (seen.has(row.id)) return [`${p}/id`, `must be unique, but "${row.id}" is used twice`]
    seen.add(row.id)
    if (w.events && !w.events.includes(row.event)) return [`${p}/event`, `must be one of the webhook's events`]
    if (row.attempt > maxRetries + 1) return [`${p}/attempt`, `must be <= ${maxRetries + 1} (1 + max_retries)`]
    if (row.status === 'failed' && row.attempt !== maxRetries + 1) return [`${p}/attempt`, `must be ${maxRetries + 1} (1 + max_retries) on a failed row`]
    for (const field of ['created_at', 'delivered_at']) {
      if (row[field] !== undefined && Number.isNaN(parseInstant(row[field]))) return [`${p}/${field}`, 'must be a real UTC time like 2024-01-15T11:00:00Z']
    }
    if (anchor !== undefined && row.created_at > anchor) return [`${p}/created_at`, "must not be after the fixture's anchor"]
    if (row.delivered_at && row.delivered_at < row.created_at) return [`${p}/delivered_at`, 'must not be before created_at']
    if (i > 0 && row.created_at > head[i - 1].created_at) return [`${p}/created_at`, 'must not be after the row before it (head rows are newest first)']
  }
  return undefined
}
