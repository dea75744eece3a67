// The "done when": a consumer's script against the mock, step by step, for agent and
// campaign webhooks — list webhooks → get one → list its logs → disable it → retry a failed log
// (422) → enable → retry (200) → see the pending row. Every body is checked against openapi.yaml.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { expectConforms } from '../support/contract.js'
import { get, send } from '../support/http.js'

interface Flow {
  /** Base path of the owner's webhooks. */
  base: string
  /** operationIds of the steps. */
  ops: { get: string; logs: string; toggle: string; retry: string }
  /** Finds the webhook to use: through the agent's list, or (campaigns have none) by its id. */
  pick: (app: ReturnType<typeof createApp>) => Promise<string | undefined>
  retryMessage: string
}

const agentFlow = (agentId: string): Flow => ({
  base: `/api/v1/agents/${agentId}/webhooks`,
  ops: { get: 'getAgentWebhook', logs: 'listWebhookLogs', toggle: 'toggleAgentWebhook', retry: 'retryWebhookLog' },
  pick: async (app) => {
    const list = await expectConforms(await get(app, `/api/v1/agents/${agentId}/webhooks`), 'listAgentWebhooks')
    // The first listed webhook whose first page shows a failed delivery.
    for (const webhook of list.data.webhooks) {
      const logs = await expectConforms(await get(app, `/api/v1/agents/${agentId}/webhooks/${webhook.id}/logs?per_page=100`), 'listWebhookLogs')
      if (webhook.enabled && logs.data.some((row: any) => row.status === 'failed')) return webhook.id
    }
    return undefined
  },
  retryMessage: 'Webhook retry queued successfully',
})

/** An open-world agent (found deterministically) that lists a webhook with a failed delivery. */
async function openWorldAgent(): Promise<string> {
  const app = createApp({ seed: 7 })
  for (let i = 0; ; i++) if (await agentFlow(`agent-${i}`).pick(app)) return `agent-${i}`
}

const flows: [string, () => Promise<Flow>][] = [
  ['the docs agent', async () => agentFlow('agent-uuid')],
  ['an open-world agent', async () => agentFlow(await openWorldAgent())],
  [
    'the docs campaign',
    async () => ({
      base: '/api/v1/campaigns/campaign-uuid/webhooks',
      ops: { get: 'getCampaignWebhook', logs: 'listCampaignWebhookLogs', toggle: 'toggleCampaignWebhook', retry: 'retryCampaignWebhookLog' },
      pick: async () => 'webhook-uuid-1',
      retryMessage: 'Webhook retry queued',
    }),
  ],
]

describe.each(flows)('a consumer script against %s', (_name, makeFlow) => {
  it('lists, reads, disables (retry 422), enables (retry 200) and sees the pending row', async () => {
    const flow = await makeFlow()
    const app = createApp({ seed: 7, retrySettleMs: 60_000 })
    const id = await flow.pick(app)
    expect(id).toBeDefined()
    const url = `${flow.base}/${id}`

    const webhook = (await expectConforms(await get(app, url), flow.ops.get)).data
    expect(webhook).toMatchObject({ id, enabled: true })

    const before = await expectConforms(await get(app, `${url}/logs?per_page=100`), flow.ops.logs)
    const failed = before.data.find((row: any) => row.status === 'failed')
    expect(failed).toBeDefined()
    // The webhook's settings and its history agree.
    expect(before.data.every((row: any) => row.attempt <= webhook.max_retries + 1)).toBe(true)
    expect(before.data.every((row: any) => webhook.events.includes(row.event))).toBe(true)

    const off = await expectConforms(await send(app, 'PATCH', `${url}/toggle`), flow.ops.toggle)
    expect(off).toMatchObject({ message: 'Webhook disabled', data: { id, enabled: false } })
    expect((await expectConforms(await get(app, url), flow.ops.get)).data.enabled).toBe(false)

    const refused = await send(app, 'POST', `${url}/logs/${failed.id}/retry`)
    expect(refused.status).toBe(422)
    expect(await expectConforms(refused, flow.ops.retry)).toEqual({ success: false, message: 'Log cannot be retried', code: 'LOG_NOT_RETRIABLE' })

    const on = await expectConforms(await send(app, 'PATCH', `${url}/toggle`), flow.ops.toggle)
    expect(on).toMatchObject({ message: 'Webhook enabled', data: { id, enabled: true } })

    const queued = await send(app, 'POST', `${url}/logs/${failed.id}/retry`)
    expect(queued.status).toBe(200)
    const retry = await expectConforms(queued, flow.ops.retry)
    expect(retry).toMatchObject({ success: true, message: flow.retryMessage, data: { original_log_id: failed.id } })

    const after = await expectConforms(await get(app, `${url}/logs?per_page=100`), flow.ops.logs)
    expect(after.pagination.total).toBe(before.pagination.total + 1)
    expect(after.data[0]).toMatchObject({ id: retry.data.log_id, status: 'pending', event: failed.event, attempt: failed.attempt + 1 })
    expect(after.data.slice(1)).toEqual(before.data.slice(0, 99))
  })
})
