// The dashboard in a real browser: Debian's Chromium driven by playwright-core, against the mock on
// a real port. When /usr/bin/chromium is missing, beforeAll installs it (as root) or fails with the
// one line that fixes it; these tests never skip.
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src/server.js'
// A plain ES module, shared with scripts/docs-screenshots.mjs.
import { ensureChromium, launchChromium } from '../../scripts/chromium.mjs'

const INSTALL_TIMEOUT = 10 * 60_000
const LIVE = 5_000

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

/** A fresh tab on the dashboard, recording console errors and uncaught exceptions. */
async function open(hash = '', url = server.url): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage()
  const errors: string[] = []
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())))
  page.on('pageerror', (e) => void errors.push(e.message))
  await page.goto(`${url}/__mock/ui${hash}`)
  await page.locator('#app').waitFor({ state: 'visible' })
  return { page, errors }
}

const api = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers: { authorization: 'Bearer talq_test', ...headers } })
const config = async (url = server.url, headers: Record<string, string> = {}) => (await (await fetch(`${url}/__mock/config`, { headers })).json()).data

describe('the dashboard in Chromium', () => {
  it('loads every view without a console error', async () => {
    const { page, errors } = await open()
    for (const view of ['World', 'Deliveries', 'Faults', 'Requests']) {
      await page.getByRole('link', { name: view, exact: true }).click()
      await page.getByRole('heading', { level: 2, name: view }).waitFor({ state: 'visible' })
    }
    await page.waitForTimeout(1200)
    expect(errors).toEqual([])
    await page.close()
  })

  it('shows a request a client made in Requests, live, and its details on click', async () => {
    const { page } = await open('#requests')
    await api('/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=7')
    const row = page.locator('#requests-rows tr', { hasText: 'per_page=7' })
    await row.waitFor({ state: 'visible', timeout: LIVE })
    expect(await row.locator('td').nth(3).textContent()).toBe('200')
    await row.getByRole('button').click()
    await page.locator('#request-detail').waitFor({ state: 'visible' })
    expect(JSON.parse((await page.locator('#request-detail-json').textContent())!)).toMatchObject({ method: 'GET', query: 'per_page=7', status: 200 })
    await page.getByLabel('Path contains').fill('nothing-like-this')
    // Issue 27: a filter that matches nothing says so, not "No requests yet".
    await page.locator('#requests-nomatch').waitFor({ state: 'visible' })
    await page.close()
  })

  it("groups a webhook's logs into chains with their attempt numbers, each row's JSON on demand", async () => {
    const { page } = await open('#world')
    await page.getByRole('button', { name: 'Logs of My Webhook' }).click()
    const chain = page.locator('tbody.chain', { hasText: 'event_phone_call_started: attempts 1–3, failed' })
    await chain.waitFor({ state: 'visible' })
    expect(await chain.locator('tr.attempt td:first-child').allTextContents()).toEqual(['Attempt 3', 'Attempt 2', 'Attempt 1'])
    expect(await page.locator('table.logs caption').textContent()).toContain('Page 1 of 10: 247 log rows')
    await chain.getByRole('button', { name: /JSON of attempt 3/ }).click()
    expect(JSON.parse((await chain.locator('tr.json:not([hidden]) pre').textContent())!)).toMatchObject({ id: 'log-uuid-2', attempt: 3, status: 'failed' })
    await page.getByRole('button', { name: 'Next page' }).click()
    await page.locator('table.logs caption', { hasText: 'Page 2 of 10' }).waitFor()
    await page.close()
  })

  it('views another seed through X-Mock-Seed, and keeps its own requests out of Requests', async () => {
    const expected = (await (await api('/api/v1/agents/some-agent/webhooks', { 'x-mock-seed': '42' })).json()).data.webhooks.map((w: any) => w.id)
    const { page } = await open('#world')
    await page.getByLabel('Seed').fill('42')
    await page.getByRole('button', { name: 'View', exact: true }).click()
    await page.getByLabel('Agent id').fill('some-agent')
    await page.getByRole('button', { name: 'Open agent' }).click()
    await page.locator('#webhooks-title', { hasText: 'some-agent' }).waitFor()
    await page.waitForFunction((n) => document.querySelectorAll('#webhooks-rows tr').length === n, expected.length)
    expect(await page.locator('#webhooks-rows code').allTextContents()).toEqual(expected)
    expect((await config()).seed).toBe(1)
    await page.getByRole('link', { name: 'Requests' }).click()
    await page.waitForTimeout(1200)
    expect(await page.locator('#requests-rows tr', { hasText: 'some-agent' }).count()).toBe(1)
    await page.getByLabel("Show the dashboard's own requests").check()
    await page.waitForFunction(() => document.querySelectorAll('#requests-rows tr').length > 1)
    expect(await page.locator('#requests-rows tr', { hasText: 'dashboard' }).count()).toBeGreaterThan(0)
    await page.close()
  })

  it("shows a session's retries when asked for that session, and only then", async () => {
    const retry = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs/log-uuid-2/retry'
    const queued = await fetch(`${server.url}${retry}`, { method: 'POST', headers: { authorization: 'Bearer talq_test', 'x-mock-session': 'checkout-test' } })
    const newRow = (await queued.json()).data.log_id
    const { page } = await open('#world')
    const world = page.locator('#world')
    await world.getByRole('button', { name: 'Logs of My Webhook' }).click()
    await page.locator('table.logs caption', { hasText: '247 log rows' }).waitFor()
    await world.getByLabel('Session').fill('checkout-test')
    await world.getByRole('button', { name: 'View', exact: true }).click()
    await page.locator('#status', { hasText: 'writes of session checkout-test' }).waitFor()
    await world.getByRole('button', { name: 'Logs of My Webhook' }).click()
    await page.locator('table.logs caption', { hasText: '248 log rows' }).waitFor()
    const first = page.locator('tbody.chain').first()
    expect(await first.locator('tr.chain-head').textContent()).toContain('attempt 4, pending')
    await first.getByRole('button', { name: /JSON of attempt 4/ }).click()
    expect(await first.locator('tr.json:not([hidden]) pre').textContent()).toContain(newRow)
    await page.close()
  })

  it('saves "Error rate" 0.5 through PATCH /__mock/config, and Reset restores it', async () => {
    const { page } = await open('#faults')
    await page.waitForFunction(() => (document.getElementById('f-error-rate') as HTMLInputElement).value === '0')
    await page.getByLabel('Error rate').fill('0.5')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('#status', { hasText: 'Saved: error_rate.' }).waitFor()
    expect((await config()).error_rate).toBe(0.5)
    await page.getByLabel('Error status').selectOption('503')
    await page.getByLabel('Network fault').selectOption('hang')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('#status', { hasText: 'Saved: error_status, fault.' }).waitFor()
    expect(await config()).toMatchObject({ error_rate: 0.5, error_status: 503, fault: 'hang' })
    // Issue 27: Reset asks first.
    await page.getByRole('button', { name: 'Reset…' }).click()
    await page.getByRole('button', { name: 'Yes, reset' }).click()
    await page.locator('#status', { hasText: 'back to its start-up state' }).waitFor()
    expect(await config()).toMatchObject({ error_rate: 0, error_status: 500, fault: null })
    expect(await page.getByLabel('Error rate').inputValue()).toBe('0')
    await page.close()
  })

  it("shows the mock's own message when a value is refused", async () => {
    const { page } = await open('#faults')
    await page.waitForFunction(() => (document.getElementById('f-latency') as HTMLInputElement).value === '')
    // The page checks Latency's format only; a range upside down is the mock's to refuse.
    await page.getByLabel('Latency').fill('300-50')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('#faults-error', { hasText: 'Invalid latency' }).waitFor()
    expect((await config()).latency).toBe(null)
    await page.close()
  })

  it('is usable from the keyboard: a view link moves focus to its heading', async () => {
    const { page } = await open()
    await page.getByRole('link', { name: 'Faults' }).focus()
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => document.activeElement?.id === 'faults-heading')
    expect(await page.getByRole('link', { name: 'Faults' }).getAttribute('aria-current')).toBe('page')
    await page.close()
  })

  it('fits a phone: no view scrolls sideways at 390 px', async () => {
    const { page } = await open('#requests')
    await page.setViewportSize({ width: 390, height: 844 })
    for (const view of ['requests', 'world', 'deliveries', 'faults']) {
      await page.evaluate((v) => (location.hash = v), view)
      await page.waitForTimeout(300)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    }
    await page.close()
  })

  it('is where a browser opening the root lands', async () => {
    const page = await browser.context.newPage()
    await page.goto(`${server.url}/`)
    expect(new URL(page.url()).pathname).toBe('/__mock/ui')
    await page.close()
  })
})

describe('the dashboard with --admin-token', () => {
  let guarded: RunningServer
  beforeAll(async () => {
    guarded = await startServer({ adminToken: 's3cret' })
  })
  afterAll(() => guarded?.close())

  it('shows only the token form until the right token is given, and keeps it out of the URL', async () => {
    const page = await browser.context.newPage()
    await page.goto(`${guarded.url}/__mock/ui`)
    await page.getByLabel('Admin token', { exact: true }).waitFor({ state: 'visible' })
    expect(await page.locator('#app').isHidden()).toBe(true)
    await page.getByLabel('Admin token', { exact: true }).fill('wrong')
    await page.getByRole('button', { name: 'Open the dashboard' }).click()
    await page.locator('#gate-error', { hasText: 'refused' }).waitFor()
    expect(await page.locator('#app').isHidden()).toBe(true)
    await page.getByLabel('Admin token', { exact: true }).fill('s3cret')
    await page.getByRole('button', { name: 'Open the dashboard' }).click()
    await page.getByRole('heading', { name: 'Requests' }).waitFor({ state: 'visible' })
    expect(page.url()).not.toContain('s3cret')
    expect(await page.evaluate(() => Object.values(sessionStorage))).toContain('s3cret')
    await page.getByRole('link', { name: 'Faults' }).click()
    await page.getByLabel('Error rate').fill('0.25')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('#status', { hasText: 'Saved' }).waitFor()
    expect((await config(guarded.url, { authorization: 'Bearer s3cret' })).error_rate).toBe(0.25)
    await page.getByRole('button', { name: 'Forget the admin token' }).click()
    await page.getByLabel('Admin token', { exact: true }).waitFor({ state: 'visible' })
    expect(await page.evaluate(() => Object.values(sessionStorage))).not.toContain('s3cret')
    await page.close()
  })
})
