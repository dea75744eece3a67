// The clock's admin routes: GET /__mock/clock (the session's clock) and POST /__mock/clock (time
// travel: advance by seconds or a duration, or set an instant; forward only). Bodies are checked
// against MockClockMove in openapi.yaml; every refusal is one sentence from the errors table.
import type { Clocks } from '../clock/clock.js'
import { parseDuration, parseInstant } from '../clock/parse.js'
import { apiError } from '../http/errors.js'
import type { Responder } from '../http/respond.js'
import type { Handler } from '../http/routes.js'
import type { Spec } from '../http/spec.js'
import { schemaValidator } from '../http/body-check.js'

const MOVE_SCHEMA = '#/components/schemas/MockClockMove'
const ONE_KEY = 'Send exactly one of advance (whole seconds or a duration like "1h30m") and set (an ISO-8601 instant), like {"advance":3600}.'

const ok = (respond: Responder, data: unknown) => respond.json(200, JSON.stringify({ success: true, data }))

/**
 * The handler table for /__mock/clock.
 * @example
 * mountSpec(app, spec, { handlers: { ...clockHandlers({ clocks, spec }) }, … })
 */
export function clockHandlers({ clocks, spec }: { clocks: Clocks; spec: Spec }): Record<string, Handler> {
  const moveSchema = schemaValidator(spec, MOVE_SCHEMA)
  const validMove = (body: unknown) => moveSchema()(body)
  return {
    getMockClock: ({ input, respond }) => ok(respond, clocks.of(input.query.session as string | undefined).view()),
    moveMockClock: ({ input, respond, text = '' }) => {
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch (error) {
        return respond.error(apiError('badMockConfig', `The body is not JSON (${(error as Error).message}); send a JSON object like {"advance":3600}.`))
      }
      const move = body as { advance?: unknown; set?: unknown }
      if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).length !== 1 || !('advance' in body || 'set' in body)) {
        return respond.error(apiError('badClock', ONE_KEY))
      }
      const clock = clocks.of(input.query.session as string | undefined)
      let travel: () => number
      if ('advance' in move) {
        const parsed = parseDuration(move.advance)
        if (!parsed.ok || !validMove(body)) return respond.error(apiError('badClock', parsed.ok ? ONE_KEY : parsed.problem))
        travel = () => clock.advance(parsed.seconds)
      } else {
        const at = validMove(body) ? parseInstant(move.set) : undefined
        if (at === undefined)
          return respond.error(apiError('badClock', `Invalid set ${JSON.stringify(move.set)}: use an ISO-8601 instant with a zone, like 2024-01-16T00:00:00Z.`))
        travel = () => clock.set(at)
      }
      // A move backwards or past the last instant throws before anything changes.
      try {
        travel()
      } catch (error) {
        if (error instanceof RangeError) return respond.error(apiError('badClock', error.message))
        throw error
      }
      return ok(respond, clock.view())
    },
  }
}
