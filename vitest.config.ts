import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // The examples import 'talkover-mock' the way users do; here that name means this repo's source.
  resolve: { alias: { 'talkover-mock': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 20_000,
    // The JSON report lets .ci/run print "N passed, N failed" from the same `npm test` run.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
})
