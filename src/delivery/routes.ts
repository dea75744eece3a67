// The admin API of live delivery: POST /__mock/deliveries starts one (the `talkover-mock trigger`
// command calls it), GET /__mock/deliveries shows the recent ones. Bodies are checked against
// openapi.yaml's MockDeliveryRequest; answers are openapi.yaml's shapes.
import { bodyChecker } from '../http/body-check.js'
import { apiError } from '../http/errors.js'
import type { Handler } from '../http/routes.js'
import type { Spec } from '../http/spec.js'
import type { World } from '../world/model.js'
import { deliverEvent, type LiveDeps } from './jobs.js'

const REQUEST_SCHEMA = '#/components/schemas/MockDeliveryRequest'
const EXAMPLE = '{"agent_id":"agent-uuid","webhook_id":"webhook-uuid","event":"event_phone_call_ended"}'

export interface DeliveryRouteDeps {
  spec: Spec
  world: () => World
  /** Absent when --deliver is off. */
  live?: LiveDeps
}

interface DeliveryRequest {
  agent_id?: string
  campaign_id?: string
  webhook_id: string
  event?: string
  payload?: Record<string, unknown>
}

/**
 * The handler table for /__mock/deliveries.
 * @example
 * mountSpec(app, spec, { handlers: { ...deliveryHandlers({ spec, world, live }) }, … })
 */
export function deliveryHandlers({ spec, world, live }: DeliveryRouteDeps): Record<string, Handler> {
  const check = bodyChecker(spec, REQUEST_SCHEMA, EXAMPLE)
  return {
    createMockDelivery: ({ input, respond, text = '' }) => {
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch (error) {
        return respond.error(apiError('badMockConfig', `The body is not JSON (${(error as Error).message}); send a JSON object like ${EXAMPLE}.`))
      }
      const problem = check(body)
      if (problem) return respond.error(apiError('badMockConfig', problem))
      if (!live) return respond.error(apiError('deliveryOff'))
      const req = body as DeliveryRequest
      const owner = req.campaign_id !== undefined ? 'campaign' : 'agent'
      const started = deliverEvent(live, {
        w: world(),
        session: input.query.session as string | undefined,
        owner,
        ownerId: (req.campaign_id ?? req.agent_id)!,
        webhookId: req.webhook_id,
        event: req.event,
        payloadJson: req.payload === undefined ? undefined : JSON.stringify(req.payload),
      })
      if (!started.ok) return respond.error(started.error)
      const data = { log_id: started.logId, webhook_id: req.webhook_id, event: started.event }
      return respond.json(202, JSON.stringify({ success: true, message: 'Delivery queued', data }))
    },
    listMockDeliveries: ({ input, respond }) => {
      const data = live ? live.deliveries.list(input.query.session as string | undefined, input.query.limit as number | undefined) : []
      return respond.json(200, JSON.stringify({ success: true, deliver: live ? 'live' : 'off', active: live?.deliveries.active ?? 0, data }))
    },
  }
}
