// The dashboard's browser tests' shared fixture: one Debian Chromium (playwright-core) and one
// mock on a real port per file, both closed after it, and a fresh tab on the dashboard.
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { startServer, type RunningServer } from '../../src/server.js'
// A plain ES module, shared with scripts/docs-screenshots.mjs.
import { ensureChromium, launchChromium } from '../../scripts/chromium.mjs'

/** Chromium may be installed on first use (apt), which takes minutes. */
const INSTALL_TIMEOUT = 10 * 60_000

/**
 * Starts Chromium and a mock for this file (beforeAll) and closes both (afterAll).
 * @example
 * const dashboard = useDashboard()
 * const { page, errors } = await dashboard.open('#requests')
 */
export function useDashboard() {
  let browser: { context: BrowserContext; close(): Promise<void> }
  let server: RunningServer
  beforeAll(async () => {
    ensureChromium()
    browser = await launchChromium()
    server = await startServer()
  }, INSTALL_TIMEOUT)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  return {
    /** The file's mock. */
    get url(): string {
      return server.url
    },
    /** A fresh tab on the dashboard (of `url`, by default the file's mock), recording console errors and uncaught exceptions. */
    async open(hash = '', url = server.url): Promise<{ page: Page; errors: string[] }> {
      const page = await browser.context.newPage()
      // Fail with the step that waited, well before the test's own timeout.
      page.setDefaultTimeout(8_000)
      const errors: string[] = []
      page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())))
      page.on('pageerror', (e) => void errors.push(e.message))
      await page.goto(`${url}/__mock/ui${hash}`)
      await page.locator('#app').waitFor({ state: 'visible' })
      return { page, errors }
    },
  }
}
