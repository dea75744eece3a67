// Recipe, the test side: a page whose plain fetch to https://app.talkover.ai is answered by the mock
// this file started (useTalkoverMock: a real port, a session per test), through MSW's service worker
// and talkover-mock/msw/browser, in Chromium driven by playwright-core. The test scripts the mock
// from Node (mock.client) and the page sees it. Here a small server on 127.0.0.1 serves the page,
// the recipe bundled by esbuild and msw's mockServiceWorker.js; in a project, that is the dev server.
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { type Browser, chromium, type Page } from 'playwright-core'
import { useTalkoverMock } from 'talkover-mock/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

const mock = useTalkoverMock({ seed: 42, hooks: { beforeAll, afterAll, beforeEach } })
const LOGS = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs'
const auth = { headers: { Authorization: 'Bearer talq_browser_example' } }

let site: Server
let siteUrl = ''
let browser: Browser

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./msw-browser.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    // This repo's source stands in for the installed package (a project needs no alias).
    alias: { 'talkover-mock/msw/browser': fileURLToPath(new URL('../src/msw-browser.ts', import.meta.url)) },
  })
  const files: Record<string, [string, string]> = {
    '/': ['text/html', '<!doctype html><title>Checkout</title><script type="module" src="/recipe.js"></script>'],
    '/recipe.js': ['text/javascript', bundle.outputFiles[0].text],
    '/mockServiceWorker.js': ['text/javascript', readFileSync(fileURLToPath(import.meta.resolve('msw/mockServiceWorker.js')), 'utf8')],
  }
  site = createServer((req, res) => {
    const file = files[req.url ?? '']
    res.writeHead(file ? 200 : 404, { 'content-type': file?.[0] ?? 'text/plain' }).end(file?.[1] ?? 'Not found.')
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`
  // Debian's Chromium; with Playwright's own browsers, leave executablePath out.
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => site?.close(resolve))
})

/** A fresh page of the app, intercepting in this test's session; console errors recorded. */
async function openApp(mockUrl = mock.url): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage()
  const errors: string[] = []
  page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())))
  await page.goto(siteUrl)
  await page.waitForFunction(() => 'recipe' in window)
  await page.evaluate(([url, session]) => window.recipe.startMocking(url, session), [mockUrl, mock.session] as const)
  return { page, errors }
}

describe('MSW in the browser, answered by the running mock', () => {
  it("gives the page's plain fetch the mock's page, byte for byte, with the rate-limit headers readable", async () => {
    const { page } = await openApp()
    const seen = await page.evaluate(() => window.recipe.webhookLogs('?per_page=5&page=2'))
    const direct = await mock.fetch(`${LOGS}?per_page=5&page=2`, auth)
    expect(seen.status).toBe(200)
    expect(seen.body).toBe(await direct.text())
    expect(Number(seen.remaining)).toBeGreaterThanOrEqual(0)
    await mock.client.requests.expectCount({ method: 'GET', path: LOGS }, 2)
    await page.close()
  })

  it('shows the page the 503 the test scripted through mock.client', async () => {
    await mock.client.failNext(1, 503)
    const { page } = await openApp()
    expect((await page.evaluate(() => window.recipe.webhookLogs())).status).toBe(503)
    expect((await page.evaluate(() => window.recipe.webhookLogs())).status).toBe(200)
    await page.close()
  })

  it('starts in a session of its own: no fault, no request of the other tests', async () => {
    expect(await mock.client.requests.count()).toBe(0)
    const { page } = await openApp()
    expect((await page.evaluate(() => window.recipe.webhookLogs())).status).toBe(200)
    expect(await mock.client.requests.count()).toBe(1)
    await page.close()
  })

  it('fails the fetch and says in the console which mock it could not reach', async () => {
    const { page, errors } = await openApp('http://127.0.0.1:9')
    await expect(page.evaluate(() => window.recipe.webhookLogs())).rejects.toThrow(/Failed to fetch/)
    expect(errors.join('\n')).toContain(`is the mock running at http://127.0.0.1:9, and does its --cors-origin allow this page's origin ${siteUrl}?`)
    await page.close()
  })
})
