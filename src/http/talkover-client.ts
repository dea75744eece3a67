// talkoverClient: a typed client of the Talkover API (and of this mock) built with openapi-fetch
// from the spec's generated types, so `data.data[0].attempt` is a number without a cast.
import createClient, { type Client, type ClientOptions } from 'openapi-fetch'
import type { paths } from './openapi-types.js'

/** The typed client: `GET`, `POST`, `PUT`, `PATCH`, `DELETE` over the paths of openapi.yaml. */
export type TalkoverClient = Client<paths>

export interface TalkoverClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** A `talq_…` token, sent as `Authorization: Bearer …`. */
  token?: string
}

/**
 * A typed client of the Talkover API at `baseUrl` (the real API, a running mock, or an
 * in-process app through `fetch: (request) => app.fetch(request)`).
 * @example
 * const talkover = talkoverClient('http://127.0.0.1:4010', { token: 'talq_x' })
 * const { data } = await talkover.GET('/api/v1/agents/{agent_id}/webhooks/{webhook_id}/logs', {
 *   params: { path: { agent_id: 'agent-uuid', webhook_id: 'webhook-uuid' } },
 * })
 * data?.data[0].attempt //=> 1 (a number)
 */
export function talkoverClient(baseUrl: string, { token, headers, ...options }: TalkoverClientOptions = {}): TalkoverClient {
  const auth = token === undefined ? {} : { Authorization: `Bearer ${token}` }
  return createClient<paths>({ baseUrl, ...options, headers: { ...auth, ...(headers as Record<string, string> | undefined) } })
}
