// Public API of the package.
export { createApp, type AppOptions } from './app.js'
export { startServer, type ServerOptions, type RunningServer, type CloseOptions } from './server.js'
export { ConfigError } from './config.js'
export { SpecError } from './spec.js'
export { FixtureError } from './fixtures.js'
export type { FaultOptions, Sleep } from './fault-options.js'
export type { JournalEntry } from './control.js'
export type { NetworkFault } from './schedule.js'
