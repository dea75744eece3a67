// What differs between agent webhooks and campaign webhooks, as one table: the path parameter,
// the log row and pagination shapes, the retry answer, and which fields and message each webhook
// response shows. Everything else is the same code. Each entry follows its docs page's example.
import { encodeLog } from '../world/log-json.js'
import { formatTimestamp } from '../world/time.js'
import type { PageWindow } from '../world/paginate.js'
import { testAnswer, webhookFields, type WebhookConfig } from '../world/webhooks.js'
import type { LogRecord, OwnerKind, WebhookProfile } from '../world/model.js'

/** The webhook operations whose answer shows the webhook. */
export type WebhookReply = 'get' | 'create' | 'update' | 'toggle'

interface ReplyShape {
  status: number
  /** The fields of the webhook shown under `data`, in order. */
  fields: readonly string[]
  message?: (c: WebhookConfig) => string
}

export interface OwnerVariant {
  owner: OwnerKind
  /** The path parameter holding the owner's id. */
  param: 'agent_id' | 'campaign_id'
  encodeLog: (row: LogRecord) => string
  pagination: (p: PageWindow['pagination']) => object
  retried: (data: { log_id: string; original_log_id: string; queued_at: string }) => object
  replies: Record<WebhookReply, ReplyShape>
  tested: (p: WebhookProfile) => object
  /** The answer of a test sent for real (--deliver live): the receiver's status and time. */
  testedLive: (statusCode: number, responseTime: number) => object
}

const AGENT_FIELDS = [
  'id',
  'agent_id',
  'name',
  'webhook_url',
  'events',
  'timeout',
  'max_retries',
  'enabled',
  'created_at',
  'updated_at',
  'events_count',
  'status',
]
const toggled = (c: WebhookConfig) => (c.enabled ? 'Webhook enabled' : 'Webhook disabled')

/** The two kinds of webhook owner. */
export const OWNERS: Readonly<Record<OwnerKind, OwnerVariant>> = {
  agent: {
    owner: 'agent',
    param: 'agent_id',
    encodeLog,
    pagination: (p) => p,
    retried: (data) => ({ success: true, message: 'Webhook retry queued successfully', data }),
    replies: {
      get: { status: 200, fields: AGENT_FIELDS },
      create: { status: 201, fields: AGENT_FIELDS, message: () => 'Webhook created successfully' },
      update: { status: 200, fields: AGENT_FIELDS, message: () => 'Webhook updated successfully' },
      toggle: { status: 200, fields: AGENT_FIELDS, message: toggled },
    },
    tested: (p) => ({ success: true, message: 'Test webhook sent successfully', data: testAnswer(p) }),
    testedLive: (status_code, response_time) => ({ success: true, message: 'Test webhook sent successfully', data: { status_code, response_time } }),
  },
  campaign: {
    owner: 'campaign',
    param: 'campaign_id',
    encodeLog: encodeCampaignLog,
    // The campaign logs example shows no last_page.
    pagination: ({ current_page, per_page, total }) => ({ current_page, per_page, total }),
    retried: ({ log_id, original_log_id }) => ({ success: true, message: 'Webhook retry queued', data: { log_id, original_log_id } }),
    replies: {
      get: {
        status: 200,
        fields: ['id', 'campaign_id', 'name', 'webhook_url', 'events', 'enabled', 'timeout', 'max_retries', 'include_call_events', 'created_at'],
      },
      create: { status: 201, fields: ['id', 'campaign_id', 'name', 'events', 'enabled', 'include_call_events', 'created_at'] },
      update: { status: 200, fields: ['id', 'events', 'include_call_events', 'updated_at'] },
      toggle: { status: 200, fields: ['id', 'enabled'], message: toggled },
    },
    tested: () => ({ success: true, message: 'Test payload dispatched' }),
    testedLive: () => ({ success: true, message: 'Test payload dispatched' }),
  },
}

/**
 * The body of a webhook response: `success`, the message if the page shows one, and the fields
 * its example shows.
 * @example
 * replyBody(OWNERS.campaign, 'toggle', config) //=> { success: true, message: 'Webhook disabled', data: { id: '…', enabled: false } }
 */
export function replyBody(variant: OwnerVariant, reply: WebhookReply, config: WebhookConfig): object {
  const { message } = variant.replies[reply]
  const data = replyData(variant, reply, config)
  return message ? { success: true, message: message(config), data } : { success: true, data }
}

/** The webhook's fields that a response shows, in the order of its docs example. */
export function replyData(variant: OwnerVariant, reply: WebhookReply, config: WebhookConfig): Record<string, unknown> {
  const all = webhookFields(config)
  return Object.fromEntries(variant.replies[reply].fields.map((name) => [name, all[name]]))
}

/**
 * A campaign log row: the fields of the campaign logs example (no `webhook_id`, no payload or
 * response), plus `error` on failed attempts as on the agent page.
 * @example
 * encodeCampaignLog(record) //=> '{"id":"…","event":"campaign_call.completed","attempt":1,"status":"success","http_status":200,"duration_ms":142,"delivered_at":"…","created_at":"…"}'
 */
export function encodeCampaignLog(r: LogRecord): string {
  if (r.raw !== undefined) return r.raw
  const row: Record<string, unknown> = { id: r.id, event: r.event, attempt: r.attempt, status: r.status }
  if (r.status !== 'pending') {
    if (r.httpStatus !== undefined) row.http_status = r.httpStatus
    if (r.status !== 'success' && r.error !== undefined) row.error = r.error
    if (r.durationMs !== undefined) row.duration_ms = r.durationMs
    if (r.status === 'success' && r.deliveredAt !== undefined) row.delivered_at = formatTimestamp(r.deliveredAt)
  }
  row.created_at = formatTimestamp(r.createdAt)
  return JSON.stringify(row)
}
