// The mock's own endpoints under /__mock: liveness and readiness.
import { sendJson } from './respond.js'
import type { Handler } from './routes.js'

/**
 * The handler table for the /__mock operations.
 * @example
 * mountSpec(app, spec, { handlers: { ...operationHandlers(deps), ...adminHandlers() }, … })
 */
export function adminHandlers(): Record<string, Handler> {
  return {
    getMockHealth: () => sendJson(200, '{"status":"ok"}'),
    // Spec and fixtures are loaded before createApp returns, so an app that answers is ready.
    getMockReady: () => sendJson(200, '{"status":"ready"}'),
  }
}
