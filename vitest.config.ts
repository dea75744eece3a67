import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    // The JSON report lets .ci/run print "N passed, N failed" from the same `npm test` run.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
})
