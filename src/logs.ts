// Placeholder generator: a simple seeded history per webhook. Replaced by the log world.
import type { World } from './world.js'

function hash(text: string, seed: number): number {
  let h = (2166136261 ^ seed) >>> 0
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0
  return h
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** How many rows the webhook's history has. */
export function totalLogs(world: World, agentId: string, webhookId: string): number {
  return hash(`${agentId}/${webhookId}`, world.seed) % 300
}

/** Row `index` (0 = newest) of the webhook's history. */
export function logAt(world: World, agentId: string, webhookId: string, index: number): Record<string, unknown> {
  const h = hash(`${agentId}/${webhookId}/${index}`, world.seed)
  const created = world.now - (index + 1) * 600
  const hex = h.toString(16).padStart(8, '0')
  return {
    id: `${hex}-0000-4000-8000-${String(index).padStart(12, '0')}`,
    webhook_id: webhookId,
    event: h % 2 ? 'event_phone_call_started' : 'event_phone_call_ended',
    attempt: 1,
    status: 'success',
    http_status: 200,
    request_payload: { call_id: hex, duration: h % 600 },
    response_body: '{"received":true}',
    response_headers: { 'content-type': 'application/json' },
    duration_ms: h % 900,
    delivered_at: iso(created + 1),
    created_at: iso(created),
  }
}
