// `talkover-mock trigger <event> --webhook <agent_id>/<webhook_id>`: asks a running mock to deliver
// one event for real (POST /__mock/deliveries), the `stripe trigger` habit. Pure apart from the
// fetch it is handed; cli.ts prints the result and exits.
import { parseArgs } from 'node:util'
import { redactText, redactUrl } from '../http/redact.js'

/** A bad `trigger` command line: one sentence naming what is wrong and how to fix it. */
export class TriggerUsageError extends Error {
  override name = 'TriggerUsageError'
}

export const TRIGGER_HELP = [
  'Usage: talkover-mock trigger <event> --webhook <agent_id>/<webhook_id> [options]',
  '',
  'Asks a running talkover-mock (started with --deliver live) to deliver one event to a webhook for real.',
  '',
  'Options:',
  '  --webhook <owner>/<id>     The webhook: <agent_id>/<webhook_id> (with --campaign: <campaign_id>/<webhook_id>).',
  '  --campaign                 The webhook is a campaign webhook.',
  '  --url <url>                The mock, default http://127.0.0.1:4010 [env TALKOVER_MOCK_URL].',
  '  --payload <json>           Send this JSON object instead of the generated payload.',
  '  --session <id>             Deliver in this X-Mock-Session.',
  "  --admin-token <secret>     The mock's --admin-token [env TALKOVER_MOCK_ADMIN_TOKEN].",
  '  --help                     Show this help.',
].join('\n')

/** The flags of `trigger`, read strictly; a bad one is a TriggerUsageError. */
function readArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        webhook: { type: 'string' },
        campaign: { type: 'boolean' },
        url: { type: 'string' },
        payload: { type: 'string' },
        session: { type: 'string' },
        'admin-token': { type: 'string' },
        help: { type: 'boolean' },
      },
    })
  } catch (error) {
    throw new TriggerUsageError(
      `${(error as Error).message.replace(/\s*\n\s*/g, ' ').replace(/\.$/, '')}. Run talkover-mock trigger --help for the accepted flags.`,
    )
  }
}

export interface TriggerRequest {
  url: string
  session?: string
  adminToken?: string
  body: { agent_id?: string; campaign_id?: string; webhook_id: string; event: string; payload?: unknown }
}

/**
 * Reads the `trigger` arguments (after the word `trigger`); undefined for --help.
 * @example
 * parseTrigger(['event_phone_call_ended', '--webhook', 'agent-uuid/webhook-uuid'], {}).body
 * //=> { agent_id: 'agent-uuid', webhook_id: 'webhook-uuid', event: 'event_phone_call_ended' }
 */
export function parseTrigger(argv: string[], env: Record<string, string | undefined>): TriggerRequest | undefined {
  const { values, positionals } = readArgs(argv)
  if (values.help) return undefined
  if (positionals.length !== 1)
    throw new TriggerUsageError('Name one event to trigger, like: talkover-mock trigger event_phone_call_ended --webhook agent-uuid/webhook-uuid.')
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(values.webhook ?? '')
  if (!match) throw new TriggerUsageError(`Invalid --webhook "${values.webhook ?? ''}": use <agent_id>/<webhook_id>, like agent-uuid/webhook-uuid.`)
  const url = (values.url ?? env.TALKOVER_MOCK_URL ?? 'http://127.0.0.1:4010').replace(/\/+$/, '')
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    throw new TriggerUsageError(`Invalid --url "${redactUrl(url)}": use the mock's base URL, like http://127.0.0.1:4010.`)
  let payload: unknown
  if (values.payload !== undefined) {
    try {
      payload = JSON.parse(values.payload)
    } catch {
      payload = undefined
    }
    if (!payload || typeof payload !== 'object' || Array.isArray(payload))
      throw new TriggerUsageError(`Invalid --payload: use a JSON object, like '{"call_id":"c-1","duration":45}'.`)
  }
  const [, ownerId, webhookId] = match
  const owner = values.campaign ? { campaign_id: ownerId } : { agent_id: ownerId }
  return {
    url,
    session: values.session,
    adminToken: values['admin-token'] ?? (env.TALKOVER_MOCK_ADMIN_TOKEN || undefined),
    body: { ...owner, webhook_id: webhookId, event: positionals[0], ...(payload !== undefined && { payload }) },
  }
}

/**
 * Sends the request to the mock; resolves with the line to print and whether it worked.
 * @example
 * await trigger(request, fetch) //=> { ok: true, message: 'Delivery queued: event_phone_call_ended to webhook webhook-uuid (log …). Follow it: …' }
 */
export async function trigger(req: TriggerRequest, fetchFn: typeof fetch): Promise<{ ok: boolean; message: string }> {
  const query = req.session === undefined ? '' : `?session=${encodeURIComponent(req.session)}`
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (req.adminToken) headers.authorization = `Bearer ${req.adminToken}`
  let res: Response
  try {
    res = await fetchFn(`${req.url}/__mock/deliveries${query}`, { method: 'POST', headers, body: JSON.stringify(req.body) })
  } catch (error) {
    const why = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message
    return {
      ok: false,
      message: `Failed to reach talkover-mock at ${redactUrl(req.url)} (${redactText(why)}). Please start it (talkover-mock --deliver live) or pass its address with --url.`,
    }
  }
  const text = await res.text()
  let body: { message?: string; data?: { log_id: string; event: string } } = {}
  try {
    body = JSON.parse(text)
  } catch {
    // Not the mock answering: say what came back.
  }
  if (res.status !== 202 || !body.data) return { ok: false, message: `talkover-mock answered ${res.status}: ${body.message ?? text.slice(0, 200)}` }
  const owner = req.body.campaign_id !== undefined ? `campaigns/${req.body.campaign_id}` : `agents/${req.body.agent_id}`
  const logs = `${req.url}/api/v1/${owner}/webhooks/${req.body.webhook_id}/logs`
  return {
    ok: true,
    message: `Delivery queued: ${body.data.event} to webhook ${req.body.webhook_id} (first attempt ${body.data.log_id}). Follow it: GET ${redactUrl(logs)}${req.session ? ` with X-Mock-Session: ${req.session}` : ''}`,
  }
}
