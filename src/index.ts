// Public API of the package.
export { createApp, type AppOptions } from './app.js'
export { startServer, type ServerOptions, type RunningServer } from './server.js'
export { ConfigError } from './config.js'
export { SpecError } from './spec.js'
export { FixtureError } from './fixtures.js'
