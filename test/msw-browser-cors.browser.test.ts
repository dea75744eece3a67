// talkover-mock/msw/browser from a dev server that is not on a loopback origin (http://dev.test:<port>,
// mapped to 127.0.0.1 inside Chromium): the mock's default --cors-origin refuses it, so the page's
// fetch fails and the console names --cors-origin; with the page's origin listed, the page reads
// the answer and the headers a client needs.
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../scripts/chromium.mjs'
import { startServer, type RunningServer } from '../src/server.js'

const INSTALL_TIMEOUT = 10 * 60_000
let site: Server
let origin = ''
let browser: { context: BrowserContext; close(): Promise<void> }
let loopbackOnly: RunningServer
let listed: RunningServer

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('../examples/msw-browser.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    write: false,
    alias: { 'talkover-mock/msw/browser': fileURLToPath(new URL('../src/msw-browser.ts', import.meta.url)) },
  })
  const worker = readFileSync(fileURLToPath(import.meta.resolve('msw/mockServiceWorker.js')), 'utf8')
  site = createServer((req, res) => {
    if (req.url === '/recipe.js' || req.url === '/mockServiceWorker.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(req.url === '/recipe.js' ? bundle.outputFiles[0].text : worker)
    } else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Dev</title><script type="module" src="/recipe.js"></script>')
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  origin = `http://dev.test:${(site.address() as AddressInfo).port}`
  loopbackOnly = await startServer({ seed: 42 })
  listed = await startServer({ seed: 42, corsOrigin: origin })
  // dev.test resolves to the test server; a service worker needs a secure origin, which plain http
  // on a name other than localhost is not, unless Chromium is told to treat it as one.
  browser = await launchChromium({
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      `--host-resolver-rules=MAP dev.test 127.0.0.1`,
      `--unsafely-treat-insecure-origin-as-secure=${origin}`,
    ],
  })
}, INSTALL_TIMEOUT)

afterAll(async () => {
  await browser?.close()
  await loopbackOnly?.close()
  await listed?.close()
  await new Promise((resolve) => site?.close(resolve))
})

async function openApp(mockUrl: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage()
  const errors: string[] = []
  page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())))
  await page.goto(origin)
  await page.waitForFunction(() => 'recipe' in window)
  await page.evaluate((url) => window.recipe.startMocking(url, 'cors-test'), mockUrl)
  return { page, errors }
}

describe('talkover-mock/msw/browser from a dev server on a non-loopback origin', () => {
  it("fails the page's fetch under the default --cors-origin and names --cors-origin in the console", async () => {
    const { page, errors } = await openApp(loopbackOnly.url)
    await expect(page.evaluate(() => window.recipe.webhookLogs())).rejects.toThrow(/Failed to fetch/)
    expect(errors.join('\n')).toContain(`does its --cors-origin allow this page's origin ${origin}?`)
    await page.close()
  })

  it("answers the page, rate-limit headers readable, when --cors-origin lists the page's origin", async () => {
    const { page } = await openApp(listed.url)
    const seen = await page.evaluate(() => window.recipe.webhookLogs('?per_page=2'))
    expect(seen.status).toBe(200)
    expect(JSON.parse(seen.body).pagination.per_page).toBe(2)
    expect(seen.remaining).toMatch(/^\d+$/)
    await page.close()
  })
})
