import { fileURLToPath } from 'node:url'
import { configDefaults, defineConfig } from 'vitest/config'

// The browser tests (the dashboard's, the MSW browser recipe) run after the rest, alone: Chromium's CPU would otherwise land on
// the timing tests (latency on a real socket) running beside them on a two-core machine.
const BROWSER_TESTS = [
  'test/ui/browser.test.ts',
  'test/ui/panels.browser.test.ts',
  'test/ui/debugging.browser.test.ts',
  'test/ui/axe.browser.test.ts',
  'test/security/attack.browser.test.ts',
  'examples/msw-browser.browser.test.ts',
  'test/msw-browser-cors.browser.test.ts',
]
// The jest recipe uses jest's globals (describe, test, expect, beforeAll …); jest is not installed,
// so vitest runs it with its jest-compatible globals.
const JEST_RECIPES = ['examples/jest.test.ts']

export default defineConfig({
  // The examples import 'talkover-mock' the way users do; here that name means this repo's source.
  resolve: {
    alias: [
      { find: /^talkover-mock$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      { find: /^talkover-mock\/testing$/, replacement: fileURLToPath(new URL('./src/testing.ts', import.meta.url)) },
      { find: /^talkover-mock\/msw$/, replacement: fileURLToPath(new URL('./src/msw.ts', import.meta.url)) },
      { find: /^talkover-mock\/msw\/browser$/, replacement: fileURLToPath(new URL('./src/msw-browser.ts', import.meta.url)) },
    ],
  },
  test: {
    testTimeout: 20_000,
    // The JSON report lets .ci/run print "N passed, N failed" from the same `npm test` run.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'mock',
          include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...BROWSER_TESTS, ...JEST_RECIPES],
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: 'jest-recipe', include: JEST_RECIPES, globals: true, sequence: { groupOrder: 0 } } },
      {
        extends: true,
        // One file at a time: two Chromiums at once would compete for the two cores.
        test: { name: 'browser', include: BROWSER_TESTS, sequence: { groupOrder: 1 }, fileParallelism: false },
      },
    ],
  },
})
