// POST /__mock/receiver-check: runs the receiver checks from the mock, against one of its webhooks
// (its URL, secret, method, custom headers and timeout, as live delivery would send) or a URL and
// secret given in the body, within live delivery's allow-list. `talkover-mock check-receiver
// --webhook` and the dashboard call it; the secret of a webhook never leaves the mock.
import { checkUrl, type AllowedHost } from '../delivery/allow.js'
import type { Target } from '../delivery/attempt.js'
import { targetOf, type LiveDeps } from '../delivery/jobs.js'
import type { SendRequest, SendResult } from '../delivery/send.js'
import { bodyChecker } from '../http/body-check.js'
import { apiError } from '../http/errors.js'
import type { Handler } from '../http/routes.js'
import type { Spec } from '../http/spec.js'
import { resolveWebhook } from '../state/webhook-overlay.js'
import type { World } from '../world/model.js'
import { DEFAULT_TIMEOUT_S, runChecks } from './run.js'

const REQUEST_SCHEMA = '#/components/schemas/MockReceiverCheckRequest'
const EXAMPLE = '{"agent_id":"dev-agent","webhook_id":"local"}'
/** Receiver checks running at once, at most; more answer 429. Each holds one socket at a time. */
export const MAX_RUNNING_CHECKS = 4

export interface ReceiverCheckDeps {
  spec: Spec
  world: () => World
  /** Absent when --deliver is off: the mock contacts no receiver then. */
  live?: LiveDeps
  /** Hosts besides loopback (--deliver-allow). */
  allow: readonly AllowedHost[]
  /** Real wall-clock ms. */
  wallClock: () => number
  /** A fresh `webhook-id`, unique across runs. */
  newId: () => string
  /** A request's deadline from seconds; default seconds × 1000. A test hook. */
  timeoutMs?: (seconds: number) => number
  /** Aborted when the mock closes: running checks stop. */
  signal?: AbortSignal
  /** Replaces the HTTP sender. A test hook. */
  send?: (req: SendRequest) => Promise<SendResult>
}

interface CheckBody {
  agent_id?: string
  campaign_id?: string
  webhook_id?: string
  url?: string
  secret?: string
  timeout?: number
}

/**
 * The handler table for /__mock/receiver-check.
 * @example
 * mountSpec(app, spec, { handlers: { ...receiverCheckHandlers({ spec, world, live, allow, wallClock, newId }) }, … })
 */
export function receiverCheckHandlers(deps: ReceiverCheckDeps): Record<string, Handler> {
  const check = bodyChecker(deps.spec, REQUEST_SCHEMA, EXAMPLE)
  let running = 0
  return {
    checkMockReceiver: async ({ c, input, respond, text }) => {
      // Pages of other origins are refused by startServer's socket guard (http/socket-guard.ts), as
      // for every change: the report carries receivers' answers, like the logs of live delivery.
      // A client that leaves (Ctrl-C, a closed tab) stops its check, as closing the mock does.
      const signal = deps.signal ? AbortSignal.any([deps.signal, c.req.raw.signal]) : c.req.raw.signal
      let body: unknown
      try {
        // The route runner read the body already, within the one cap (http/body-limit.ts).
        body = JSON.parse(text ?? '')
      } catch (error) {
        return respond.error(apiError('badMockConfig', `The body is not JSON (${(error as Error).message}); send a JSON object like ${EXAMPLE}.`))
      }
      const problem = shapeProblem(body) ?? check(body)
      if (problem) return respond.error(apiError('badMockConfig', problem))
      if (!deps.live) return respond.error(apiError('deliveryOff'))
      if (deps.signal?.aborted) return respond.error(apiError('deliveriesClosed'))
      if (running >= MAX_RUNNING_CHECKS) return respond.error(apiError('receiverChecksBusy', MAX_RUNNING_CHECKS))
      const req = body as CheckBody
      const target = targetFrom(deps, deps.live, req, input.query.session as string | undefined)
      if ('error' in target) return respond.error(target.error)
      const allowed = checkUrl(target.url, deps.allow)
      if (!allowed.ok) return respond.error(apiError('deliveryRefused', asCheck(allowed.reason)))
      const seconds = req.timeout ?? target.timeout
      running++
      try {
        const report = await runChecks({
          target: { ...target, timeout: seconds },
          url: allowed.url,
          timeoutMs: deps.timeoutMs ? deps.timeoutMs(seconds) : seconds * 1000,
          wallClock: deps.wallClock,
          newId: deps.newId,
          signal,
          send: deps.send,
        })
        // Closing the mock cancelled the checks left: that is not the receiver's failure.
        if (deps.signal?.aborted) return respond.error(apiError('deliveriesClosed'))
        return respond.json(200, JSON.stringify({ success: true, data: { ...report, timeout: seconds } }))
      } finally {
        running--
      }
    },
  }
}

/** The two ways to name a receiver, told apart before the schema (whose oneOf would only say "Missing …"). */
function shapeProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined
  const has = (key: string) => key in body
  const byUrl = has('url') || has('secret')
  const byWebhook = has('agent_id') || has('campaign_id') || has('webhook_id')
  const ways =
    'either a webhook of the mock, like {"agent_id":"dev-agent","webhook_id":"local"}, or a receiver, like {"url":"http://127.0.0.1:3000/hook","secret":"whsec_…"}'
  if (byUrl && byWebhook) return `Name the receiver one way, not both: send ${ways}.`
  if (byUrl && !(has('url') && has('secret'))) return `Missing ${has('url') ? 'secret' : 'url'}: send ${ways}.`
  if (!byUrl && has('agent_id') && has('campaign_id')) return 'Use agent_id or campaign_id, not both: a webhook has one owner.'
  if (!byUrl && !(has('agent_id') || has('campaign_id'))) return `Missing agent_id: send ${ways}.`
  return undefined
}

/** The receiver to check: the webhook as the session sees it now, or the body's URL and secret. */
function targetFrom(deps: ReceiverCheckDeps, live: LiveDeps, req: CheckBody, session: string | undefined): Target | { error: ReturnType<typeof apiError> } {
  if (req.url !== undefined) {
    const base = { owner: 'agent', ownerId: '', webhookId: '', method: 'POST', customHeaders: [], maxRetries: 0, enabled: true } as const
    return { ...base, url: req.url, secret: req.secret, timeout: DEFAULT_TIMEOUT_S }
  }
  const owner = req.campaign_id !== undefined ? 'campaign' : 'agent'
  const ownerId = (req.campaign_id ?? req.agent_id)!
  const found = resolveWebhook(deps.world(), live.webhooks.book(session), owner, ownerId, req.webhook_id!)
  if (typeof found === 'string') return { error: apiError(found) }
  const target = targetOf(found.config)
  if (!target.secret) {
    const path = `/api/v1/${owner}s/${ownerId}/webhooks/${req.webhook_id}`
    return {
      error: apiError(
        'deliveryRefused',
        `Webhook ${req.webhook_id} has no webhook_secret, so its deliveries are not signed and a receiver cannot check them: set one with PUT ${path}, then check again.`,
      ),
    }
  }
  return target
}

/** live delivery's refusal, said of the check (which contacts nothing either). */
const asCheck = (reason: string) =>
  reason
    .replace('did not deliver', 'did not check the receiver')
    .replace(
      /^talkover-mock did not contact ([^:]+): live delivery only/,
      'talkover-mock did not check the receiver at $1: the check, like live delivery, only',
    )
    .replace('To deliver there,', 'To check it,')
