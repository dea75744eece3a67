// A consumer's own Talkover client — the code the contract tests next to it exercise. It is typed
// from talkover-mock's openapi.yaml (`npx openapi-typescript node_modules/talkover-mock/openapi.yaml
// -o talkover-api.d.ts`), so a field the mock does not send is a type error.
import createClient, { type Client } from 'openapi-fetch'
import type { components, paths } from './generated/talkover-api.js'

export type WebhookLog = components['schemas']['WebhookLog']
export type TalkoverClient = Client<paths>

const LOGS = '/api/v1/agents/{agent_id}/webhooks/{webhook_id}/logs' as const

/** An answer the client gave up on: its status and body. */
export class TalkoverError extends Error {
  override name = 'TalkoverError'
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`Talkover answered ${status}: ${JSON.stringify(body)}`)
  }
}

export interface RetryPolicy {
  /** Tries per request, the first included. Default 4. */
  attempts?: number
  /** Waits between tries; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>
}

/**
 * A typed client for the Talkover API (or talkover-mock).
 * @example
 * const client = talkoverClient('http://127.0.0.1:4010', 'talq_…')
 * // In-process, with no socket: talkoverClient('http://talkover.test', token, createApp().fetch)
 */
export function talkoverClient(baseUrl: string, token: string, fetch?: (request: Request) => Promise<Response>): TalkoverClient {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` }, ...(fetch ? { fetch } : {}) })
}

/**
 * Every delivery log of a webhook, newest first, fetched page by page. 429 and 5xx answers are
 * retried (honouring Retry-After); anything else is thrown as a TalkoverError.
 */
export async function listAllLogs(
  client: TalkoverClient,
  agentId: string,
  webhookId: string,
  { perPage = 100, ...policy }: RetryPolicy & { perPage?: number } = {},
): Promise<WebhookLog[]> {
  const logs: WebhookLog[] = []
  for (let page = 1; ; page++) {
    const body = await withRetries(
      () => client.GET(LOGS, { params: { path: { agent_id: agentId, webhook_id: webhookId }, query: { page, per_page: perPage } } }),
      policy,
    )
    logs.push(...body.data)
    if (page >= body.pagination.last_page) return logs
  }
}

/**
 * Asks Talkover to redeliver a failed log; the redelivery appears as a new log row.
 * @example
 * const { log_id } = await retryLog(client, agentId, webhookId, failed.id)
 */
export async function retryLog(client: TalkoverClient, agentId: string, webhookId: string, logId: string, policy: RetryPolicy = {}) {
  const body = await withRetries(
    () => client.POST(`${LOGS}/{log_id}/retry`, { params: { path: { agent_id: agentId, webhook_id: webhookId, log_id: logId } } }),
    policy,
  )
  return body.data
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

async function withRetries<T>(call: () => Promise<{ data?: T; error?: unknown; response: Response }>, { attempts = 4, sleep = wait }: RetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const { data, error, response } = await call()
    if (response.ok && data !== undefined) return data
    const retriable = response.status === 429 || response.status >= 500
    if (!retriable || attempt >= attempts) throw new TalkoverError(response.status, error)
    const retryAfter = Number(response.headers.get('retry-after'))
    await sleep(retryAfter > 0 ? retryAfter * 1000 : 100 * 2 ** (attempt - 1))
  }
}
