// Public API of the package.
export { createApp, type AppOptions, type DeliveryHooks } from './app.js'
export { startServer, type ServerOptions, type RunningServer, type CloseOptions } from './server.js'
export { ConfigError } from './config.js'
export { SpecError } from './http/spec.js'
export { FixtureError } from './world/fixtures.js'
export type { FaultOptions, Sleep } from './faults/options.js'
export type { JournalEntry } from './admin/control.js'
export type { NetworkFault } from './faults/schedule.js'
