// Layer rules of src/ (docs/architecture.md draws them). `npm run lint` runs them in CI.
// Direction: entry points (cli, index, server, app, config) -> api / admin -> state -> world -> encode;
// faults and http know nothing of the world. config.ts is the settings table: entry points, admin/
// and faults/options.ts read it; the pure layers never do.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles hide the architecture: move the shared type down (e.g. world/model.ts).', from: {}, to: { circular: true } },
    { name: 'nothing-imports-cli', severity: 'error', comment: 'cli.ts is the process entry point; import what it imports instead.', from: {}, to: { path: '^src/cli\\.ts$' } },
    { name: 'encode-is-the-bottom', severity: 'error', comment: 'encode/ is the bottom: bytes, hashing and seeded randomness, bounded caches; it knows nothing else of the project.', from: { path: '^src/encode/' }, to: { path: '^src/', pathNot: '^src/encode/' } },
    { name: 'world-is-pure', severity: 'error', comment: 'world/ is the pure generated world: it may import only encode/ and itself (no Hono, no HTTP, no state, no faults, no settings).', from: { path: '^src/world/' }, to: { path: ['^src/', 'node_modules/(hono|@hono)/'], pathNot: '^src/(world|encode)/' } },
    { name: 'state-over-world', severity: 'error', comment: 'state/ holds per-session writes over the world: it may import world/ and encode/ only.', from: { path: '^src/state/' }, to: { path: ['^src/', 'node_modules/(hono|@hono)/'], pathNot: '^src/(state|world|encode)/' } },
    { name: 'http-knows-no-domain', severity: 'error', comment: 'http/ is spec-driven plumbing: it never imports the world, state, faults, api or admin.', from: { path: '^src/http/' }, to: { path: '^src/', pathNot: '^src/http/' } },
    { name: 'faults-know-no-world', severity: 'error', comment: 'faults/ decides latency and errors from request facts: it may import http/ and the settings table, never the world, state, api or admin.', from: { path: '^src/faults/' }, to: { path: '^src/(world|state|api|admin)/' } },
    { name: 'clock-is-small', severity: 'error', comment: 'clock/ owns the clock (modes, rate, per-session instants, parsing durations and instants): it may import only the generic session store and the strict instant parser of world/time.ts.', from: { path: '^src/clock/' }, to: { path: '^src/', pathNot: ['^src/clock/', '^src/state/sessions\\.ts$', '^src/world/time\\.ts$'] } },
    { name: 'the-world-gets-an-instant', severity: 'error', comment: 'Generation gets the instant as a number (world.at): world/, state/, encode/, http/ and faults/ never read the clock.', from: { path: '^src/(world|state|encode|http|faults)/' }, to: { path: '^src/clock/' } },
    { name: 'delivery-under-api-and-admin', severity: 'error', comment: 'delivery/ sends live webhooks: it may import state/, world/, encode/ and http/; api/, admin/ and the entry points call it, never the reverse, and faults/ stay out of it.', from: { path: '^src/delivery/' }, to: { path: ['^src/(api|admin|faults)/', '^src/(config|app|server|index|cli)\\.ts$'] } },
    { name: 'lower-layers-do-not-send', severity: 'error', comment: 'world/, encode/, state/, http/ and faults/ know nothing of live delivery; config.ts reads only its parsers.', from: { path: '^src/(world|encode|state|http|faults)/' }, to: { path: '^src/delivery/' } },
    { name: 'api-not-admin', severity: 'error', comment: 'api/ answers the Talkover API; the admin API sits beside it, not under it.', from: { path: '^src/api/' }, to: { path: '^src/(admin|faults)/' } },
    { name: 'only-entry-points-read-settings', severity: 'error', comment: 'Only entry points, admin/ and faults/options.ts read config.ts; pass settings down as values.', from: { path: '^src/(world|encode|state|http|api|delivery)/' }, to: { path: '^src/(config|app|server|index)\\.ts$' } },
    { name: 'lower-layers-do-not-import-entry-points', severity: 'error', comment: 'app.ts, server.ts and index.ts wire the folders; no folder imports them.', from: { path: '^src/[^/]+/' }, to: { path: '^src/(app|server|index)\\.ts$' } },
    { name: 'ui-knows-no-mock', severity: 'error', comment: 'ui/ is the browser dashboard: it talks to the mock over HTTP from the browser, so it imports only itself (and hono/jsx).', from: { path: '^src/ui/' }, to: { path: '^src/', pathNot: '^src/ui/' } },
    { name: 'ui-loads-on-demand', severity: 'error', comment: 'The dashboard is loaded by a dynamic import() on its first request (admin/routes.ts), so start-up and the API never load it.', from: { pathNot: '^src/ui/' }, to: { path: '^src/ui/', dynamic: false } },
    { name: 'record-reads-the-api', severity: 'error', comment: 'record/ talks to an upstream and writes a fixture: it may import only itself, the world\'s vocabulary (event names) and the one redaction helper.', from: { path: '^src/record/' }, to: { path: '^src/', pathNot: ['^src/record/', '^src/world/vocab\\.ts$', '^src/http/redact\\.ts$'] } },
    { name: 'verify-judges-with-the-spec', severity: 'error', comment: 'verify/ asks an upstream and judges the answers with http/ (spec, response validators); it may import only itself, http/ and record/upstream.ts.', from: { path: '^src/verify/' }, to: { path: '^src/', pathNot: ['^src/verify/', '^src/http/', '^src/record/upstream\\.ts$'] } },
    { name: 'commands-sit-on-top', severity: 'error', comment: 'The record and verify commands are entry points: no layer of the server imports them.', from: { path: '^src/(world|encode|state|http|api|admin|faults|ui|clock|delivery)/' }, to: { path: ['^src/(record|verify)/', '^src/command-config\\.ts$'] } },
    { name: 'testing-is-a-client', severity: 'error', comment: 'testing/ is the typed admin client of talkover-mock/testing: it talks to the mock over HTTP or app.request, so it imports only itself and the spec\'s generated types; testing.ts (an entry point) wires it to startServer.', from: { path: '^src/testing/' }, to: { path: '^src/', pathNot: ['^src/testing/', '^src/http/openapi-types\\.ts$'] } },
    { name: 'the-server-does-not-test', severity: 'error', comment: 'No layer of the server imports the testing helpers (only the entry points testing.ts and testcontainers.ts do).', from: { path: '^src/', pathNot: ['^src/testing(/|\\.ts$)', '^src/testcontainers\\.ts$'] }, to: { path: '^src/testing(/|\\.ts$)' } },
    { name: 'msw-is-optional', severity: 'error', comment: 'msw is an optional peer dependency: only the talkover-mock/msw entry point (src/msw.ts) imports it, and nothing imports that entry.', from: { path: '^src/', pathNot: '^src/msw\\.ts$' }, to: { path: ['node_modules/msw/', '^src/msw\\.ts$'] } },
    { name: 'testcontainers-is-optional', severity: 'error', comment: 'testcontainers is an optional peer dependency: only the talkover-mock/testcontainers entry point imports it, and nothing imports that entry.', from: { path: '^src/', pathNot: '^src/testcontainers\\.ts$' }, to: { path: ['node_modules/testcontainers/', '^src/testcontainers\\.ts$'] } },
    { name: 'faker-only-records', severity: 'error', comment: 'The server never loads faker (start-up cost); only record/ uses it, loaded lazily.', from: { path: '^src/', pathNot: '^src/record/' }, to: { path: 'node_modules/@faker-js/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
}
