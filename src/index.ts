// Public API of the package.
// The shipped declarations name Node's types (node:http servers, Buffers): they come with the
// package (@types/node is a dependency), so a strict project that lists no `types` typechecks.
/// <reference types="node" preserve="true" />
export { createApp, readyOf, type AppOptions, type DeliveryHooks } from './app.js'
export { startServer, type ServerOptions, type RunningServer, type CloseOptions } from './server.js'
export { ConfigError } from './config.js'
export { SpecError } from './http/spec.js'
export { FixtureError } from './world/fixtures.js'
export type { FaultOptions, Sleep } from './faults/options.js'
export type { JournalEntry } from './admin/control.js'
export type { NetworkFault } from './faults/schedule.js'
export type { components, operations, paths } from './http/openapi-types.js'
export type * from './http/api-types.js'
export { talkoverClient, type TalkoverClient, type TalkoverClientOptions } from './http/talkover-client.js'
