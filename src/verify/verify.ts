// src/verify/ owns the drift check: asking an upstream a sample of the real endpoints (this file),
// classifying what does not match openapi.yaml (drift.ts), and the table and JUnit reports
// (report.ts). It judges responses with src/response-check.ts, the validators the contract tests
// use, and asks through record/upstream.ts, the polite client. It never touches process.
import type { ResponseValidators } from '../http/response-check.js'
import { UpstreamError, type Upstream } from '../record/upstream.js'
import { driftsOf, type CallResult, type Drift } from './drift.js'

/** A log id no webhook has: the retry asked of it answers 404 and changes nothing. */
export const NO_SUCH_LOG = '00000000-0000-4000-8000-000000000000'

export interface VerifyRequest {
  upstream: Upstream
  owner: 'agent' | 'campaign'
  ownerId: string
  /** Webhooks to sample; empty: the agent's first two. */
  webhookIds: readonly string[]
  validators: ResponseValidators
}

export interface CheckedCall {
  call: CallResult
  drifts: Drift[]
}

export interface VerifyResult {
  calls: CheckedCall[]
  /** Why the check could not be made (unreachable, token refused, nothing to sample). */
  problem?: string
}

/**
 * Asks the sample and checks every answer against openapi.yaml.
 * @example
 * const { calls, problem } = await verifyUpstream({ upstream, owner: 'agent', ownerId: 'agent-uuid', webhookIds: [], validators })
 * calls.some((c) => c.drifts.length > 0) //=> false on the mock itself
 */
export async function verifyUpstream(req: VerifyRequest): Promise<VerifyResult> {
  const { upstream, owner, ownerId, validators } = req
  const calls: CheckedCall[] = []
  const ownerPath = `/${owner}s/${encodeURIComponent(ownerId)}/webhooks`
  const ops =
    owner === 'agent'
      ? { get: 'getAgentWebhook', logs: 'listWebhookLogs', retry: 'retryWebhookLog' }
      : { get: 'getCampaignWebhook', logs: 'listCampaignWebhookLogs', retry: 'retryCampaignWebhookLog' }
  const ask = async (
    method: 'GET' | 'POST',
    path: string,
    operationId: string,
    query: Record<string, number> = {},
    expectStatus?: number,
  ): Promise<CallResult> => {
    const res = await upstream.send(method, path, query)
    const q = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString()
    const call: CallResult = { label: `${method} ${path}${q ? `?${q}` : ''}`, operationId, expectStatus, status: res.status, text: res.text }
    if (res.status === 401 || res.status === 403)
      throw new CannotCheck(
        `${new URL(upstream.base).origin} refused the token (${res.status}), so nothing could be checked. Please check --token or TALKOVER_TOKEN.`,
      )
    calls.push({ call, drifts: driftsOf(call, validators) })
    return call
  }
  /** A 404 where the webhook was to be read: nothing of it was checked, which must not pass as "no drift". */
  const found = (call: CallResult, id: string) => {
    if (call.status === 404)
      throw new CannotCheck(
        `${new URL(upstream.base).origin} has no webhook ${id} of ${owner} ${ownerId} (404), so it could not be checked. Please check --${owner} and --webhook.`,
      )
    return call
  }
  try {
    let webhookIds = [...req.webhookIds]
    if (owner === 'agent') {
      const list = await ask('GET', ownerPath, 'listAgentWebhooks')
      // The 404 is the only answer: none was checked, and the report must not say one was.
      if (list.status === 404)
        return { calls: [], problem: `${new URL(upstream.base).origin} has no agent ${ownerId} (404), so nothing could be checked. Please check --agent.` }
      if (webhookIds.length === 0) webhookIds = listedIds(list.text).slice(0, 2)
    }
    if (webhookIds.length === 0) return { calls, problem: `The ${owner} ${ownerId} has no webhooks to sample. Please name one with --webhook.` }
    for (const id of webhookIds) {
      const path = `${ownerPath}/${encodeURIComponent(id)}`
      found(await ask('GET', path, ops.get), id)
      const first = found(await ask('GET', `${path}/logs`, ops.logs, { per_page: 100, page: 1 }), id)
      const last = lastPage(first.text)
      if (last >= 2) await ask('GET', `${path}/logs`, ops.logs, { per_page: 100, page: 2 })
      if (last > 2) await ask('GET', `${path}/logs`, ops.logs, { per_page: 100, page: last })
    }
    const path = `${ownerPath}/${encodeURIComponent(webhookIds[0])}`
    await ask('GET', `${path}/logs`, ops.logs, { per_page: 101 }, 422)
    await ask('POST', `${path}/logs/${NO_SUCH_LOG}/retry`, ops.retry, {}, 404)
    return { calls }
  } catch (error) {
    if (error instanceof CannotCheck || error instanceof UpstreamError) return { calls, problem: error.message }
    throw error
  }
}

class CannotCheck extends Error {}

function listedIds(text: string): string[] {
  try {
    const webhooks = (JSON.parse(text) as { data?: { webhooks?: { id?: unknown }[] } }).data?.webhooks
    return Array.isArray(webhooks) ? webhooks.map((w) => w?.id).filter((id): id is string => typeof id === 'string') : []
  } catch {
    return []
  }
}

/** The last page of a logs answer (from last_page, or total and per_page when it has none). */
function lastPage(text: string): number {
  try {
    const p = (JSON.parse(text) as { pagination?: { last_page?: unknown; total?: unknown; per_page?: unknown } }).pagination
    if (typeof p?.last_page === 'number') return p.last_page
    if (typeof p?.total === 'number') return Math.max(1, Math.ceil(p.total / (typeof p.per_page === 'number' && p.per_page > 0 ? p.per_page : 100)))
  } catch {
    // Drift already reported for this answer.
  }
  return 1
}
