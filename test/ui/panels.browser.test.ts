// The clock panel and live deliveries in a real browser: Debian's Chromium driven by playwright-core
// against mocks on real ports, one frozen (its clock is moved here, so it is not shared with
// browser.test.ts) and one with --deliver live sending to a node:http receiver on 127.0.0.1.
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src/server.js'
import { startReceiver, type TestReceiver } from '../support/receiver.js'
// A plain ES module, shared with scripts/docs-screenshots.mjs.
import { ensureChromium, launchChromium } from '../../scripts/chromium.mjs'

const INSTALL_TIMEOUT = 10 * 60_000
const LIVE = 5_000

let browser: { context: BrowserContext; close(): Promise<void> }
beforeAll(async () => {
  ensureChromium()
  browser = await launchChromium()
}, INSTALL_TIMEOUT)
afterAll(() => browser?.close())

/** A fresh tab on the dashboard, recording console errors and uncaught exceptions. */
async function open(server: RunningServer, hash: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage()
  const errors: string[] = []
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())))
  page.on('pageerror', (e) => void errors.push(e.message))
  await page.goto(`${server.url}/__mock/ui${hash}`)
  await page.locator('#app').waitFor({ state: 'visible' })
  return { page, errors }
}

const clockOf = async (server: RunningServer) => (await (await fetch(`${server.url}/__mock/clock`)).json()).data
/** The newest log row of My Webhook, as a client without a session sees it now. */
const newestLog = async (server: RunningServer) =>
  (await (await fetch(`${server.url}/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs`, { headers: { authorization: 'Bearer talq_test' } })).json()).data[0]
const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString().replace('.000Z', 'Z')

describe('the clock panel', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server?.close())

  it('moves the mock-wide clock by 3600 s with "+1 hour" and shows the new now', async () => {
    const before = await clockOf(server)
    const { page, errors } = await open(server, '#world')
    const clock = page.getByRole('region', { name: 'Clock' })
    await clock.locator('#clock-now', { hasText: before.now }).waitFor()
    expect(await clock.locator('#clock-anchor').textContent()).toBe(before.anchor)
    expect(await clock.locator('#clock-mode').textContent()).toContain('frozen')
    await clock.getByRole('button', { name: '+1 hour' }).click()
    await clock.locator('#clock-now', { hasText: plus(before.now, 3600) }).waitFor()
    expect(Date.parse((await clockOf(server)).now) - Date.parse(before.now)).toBe(3_600_000)
    expect(errors).toEqual([])
    await page.close()
  })

  it('refreshes the logs on screen after a move, so the new deliveries appear', async () => {
    const { page } = await open(server, '#world')
    await page.getByRole('button', { name: 'Logs of My Webhook' }).click()
    const before = await newestLog(server)
    const firstTime = page.locator('table.logs tr.attempt time').first()
    await firstTime.filter({ hasText: before.created_at }).waitFor()
    await page.getByRole('button', { name: '+1 week' }).click()
    await page.locator('#status', { hasText: 'The clock moved forward' }).waitFor()
    const after = await newestLog(server)
    expect(Date.parse(after.created_at)).toBeGreaterThan(Date.parse(before.created_at))
    await firstTime.filter({ hasText: after.created_at }).waitFor({ timeout: LIVE })
    await page.close()
  })

  it("sets the clock to a typed instant, and shows the mock's sentence for one in the past", async () => {
    const { now } = await clockOf(server)
    const { page } = await open(server, '#world')
    const clock = page.getByRole('region', { name: 'Clock' })
    await clock.locator('#clock-now', { hasText: now }).waitFor()
    const later = plus(now, 86_400 + 90)
    await clock.getByLabel('Set to').fill(later)
    await clock.getByRole('button', { name: 'Set the clock' }).click()
    await clock.locator('#clock-now', { hasText: later }).waitFor()
    expect((await clockOf(server)).now).toBe(later)
    await clock.getByLabel('Set to').fill(now)
    await clock.getByRole('button', { name: 'Set the clock' }).click()
    await clock.getByRole('alert').filter({ hasText: /\S/ }).waitFor()
    expect((await clockOf(server)).now).toBe(later)
    await page.close()
  })

  it('takes the clock and the logs on screen back to the anchor on Reset in Faults', async () => {
    const { page } = await open(server, '#world')
    const clock = page.getByRole('region', { name: 'Clock' })
    await page.getByRole('button', { name: 'Logs of My Webhook' }).click()
    await clock.getByRole('button', { name: '+1 day' }).click()
    await page.locator('#status', { hasText: 'The clock moved forward' }).waitFor()
    const { anchor } = await clockOf(server)
    await page.getByRole('link', { name: 'Faults' }).click()
    // Issue 27: Reset asks first.
    await page.getByRole('button', { name: 'Reset…' }).click()
    await page.getByRole('button', { name: 'Yes, reset' }).click()
    await page.locator('#status', { hasText: 'back to its start-up state' }).waitFor()
    expect((await clockOf(server)).now).toBe(anchor)
    await page.getByRole('link', { name: 'World' }).click()
    await clock.locator('#clock-now', { hasText: anchor }).waitFor()
    const newest = await newestLog(server)
    await page.locator('table.logs tr.attempt time').first().filter({ hasText: newest.created_at }).waitFor({ timeout: LIVE })
    await page.close()
  })

  it('says plainly in Deliveries that live delivery is off', async () => {
    const { page, errors } = await open(server, '#deliveries')
    await page.getByRole('heading', { level: 2, name: 'Deliveries' }).waitFor()
    await page.locator('#deliveries-off', { hasText: 'Live delivery is off' }).waitFor({ state: 'visible' })
    expect(await page.locator('#deliveries-rows tr').count()).toBe(0)
    expect(errors).toEqual([])
    await page.close()
  })
  it('"Check receiver" says plainly that live delivery is off, and sends nothing', async () => {
    const { page } = await open(server, '#world')
    const button = page
      .locator('#webhooks-rows tr')
      .first()
      .getByRole('button', { name: /^Check receiver of / })
    await button.click()
    await page.locator('#receiver-check [role="alert"]', { hasText: 'Live delivery is off: start talkover-mock with --deliver live' }).waitFor()
    await page.close()
  })
})

describe('live delivery in the dashboard', () => {
  let server: RunningServer
  let receiver: TestReceiver
  beforeAll(async () => {
    receiver = await startReceiver([{ status: 202, body: 'accepted' }])
    server = await startServer({ deliver: 'live' })
  })
  afterAll(async () => {
    await server?.close()
    await receiver?.close()
  })

  it('"Send test delivery" shows the receiver\'s status code, and Deliveries lists the delivery', async () => {
    const created = await fetch(`${server.url}/api/v1/agents/agent-uuid/webhooks`, {
      method: 'POST',
      headers: { authorization: 'Bearer talq_test', 'content-type': 'application/json', 'x-mock-session': 'ui-live' },
      body: JSON.stringify({ name: 'Loopback receiver', webhook_url: receiver.url, events: ['event_phone_call_ended'] }),
    })
    expect(created.status).toBe(201)
    const webhookId: string = (await created.json()).data.id

    const { page, errors } = await open(server, '#world')
    const world = page.locator('#world')
    await world.getByLabel('Session').fill('ui-live')
    await world.getByRole('button', { name: 'View', exact: true }).click()
    const row = page.locator('#webhooks-rows tr', { hasText: webhookId })
    await row.waitFor()
    await row.getByRole('button', { name: 'Send test delivery to Loopback receiver' }).click()
    await row.locator('output', { hasText: 'Answered 202 in' }).waitFor({ timeout: LIVE })
    expect((await receiver.waitFor(1))[0]!.body).toContain('webhook.test')

    await page.getByRole('link', { name: 'Deliveries', exact: true }).click()
    const delivery = page.locator('#deliveries-rows tr', { hasText: webhookId })
    await delivery.waitFor({ timeout: LIVE })
    expect(await delivery.textContent()).toContain('202')
    expect(await delivery.textContent()).toContain('ui-live')
    await delivery.getByRole('button').click()
    expect(JSON.parse((await page.locator('#delivery-detail-json').textContent())!)).toMatchObject({
      webhook_id: webhookId,
      attempts: [{ http_status: 202, response_body: 'accepted' }],
    })
    expect(await page.locator('#deliveries-off').isHidden()).toBe(true)
    expect(errors).toEqual([])
    await page.close()
  })

  it('"Check receiver" shows the report: ✓ for what a receiver accepting everything gets right, ✗ for the forgeries it accepts', async () => {
    const created = await fetch(`${server.url}/api/v1/agents/agent-uuid/webhooks`, {
      method: 'POST',
      headers: { authorization: 'Bearer talq_test', 'content-type': 'application/json', 'x-mock-session': 'ui-check' },
      body: JSON.stringify({
        name: 'Trusting receiver',
        webhook_url: receiver.url,
        webhook_secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        events: ['event_phone_call_ended'],
      }),
    })
    const webhookId: string = (await created.json()).data.id
    const { page, errors } = await open(server, '#world')
    const world = page.locator('#world')
    await world.getByLabel('Session').fill('ui-check')
    await world.getByRole('button', { name: 'View', exact: true }).click()
    const row = page.locator('#webhooks-rows tr', { hasText: webhookId })
    await row.waitFor()
    const checkButton = row.getByRole('button', { name: 'Check receiver of Trusting receiver' })
    await checkButton.focus()
    await page.keyboard.press('Enter')
    const report = page.locator('#receiver-check')
    await report.locator('p', { hasText: '28 passed, 0 warnings, 7 failed.' }).waitFor({ timeout: LIVE })
    // Keyboard users keep their place: focus stays on the button, not <body>.
    expect(await checkButton.evaluate((b) => b === document.activeElement)).toBe(true)
    // The scrollable table is reachable and named; every column header has text.
    const scroll = report.locator('.scroll')
    expect(await scroll.getAttribute('tabindex')).toBe('0')
    expect(await scroll.getAttribute('aria-label')).toBe('Receiver check results')
    for (const th of await report.locator('thead th').all()) expect((await th.textContent())?.trim()).not.toBe('')
    expect(await page.locator('#receiver-check-title').textContent()).toBe('Receiver check of Trusting receiver')
    const tampered = report.locator('tr', { hasText: 'tampered-body' })
    expect(await tampered.textContent()).toContain('✗ failed')
    expect(await tampered.textContent()).toContain('accepted it with 202: anyone could send this request and be believed.')
    expect(await report.locator('tr', { hasText: 'raw-bytes' }).textContent()).toContain('✓ passed')
    expect(await report.locator('tr', { hasText: 'rotated-signature' }).textContent()).toContain('202 ')
    expect(await report.locator('tbody tr').count()).toBe(35)
    expect(errors).toEqual([])
    await page.close()
  })
})

describe('the World view of a webhook whose URL holds secrets', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server?.close())

  it('shows the URL redacted like the deliveries view: no user info, query value or fragment in the page', async () => {
    const secretUrl = 'http://USERSECRET:PASSSECRET@127.0.0.1:3999/hooks/in?api_key=QUERYSECRET&team=TEAMSECRET#FRAGSECRET'
    const put = await fetch(`${server.url}/api/v1/agents/agent-uuid/webhooks/webhook-uuid`, {
      method: 'PUT',
      headers: { authorization: 'Bearer talq_test', 'content-type': 'application/json', 'x-mock-session': 'ui-secrets' },
      body: JSON.stringify({ webhook_url: secretUrl }),
    })
    expect(put.status).toBe(200)
    const { page, errors } = await open(server, '#world')
    const world = page.locator('#world')
    await world.getByLabel('Session').fill('ui-secrets')
    await world.getByRole('button', { name: 'View', exact: true }).click()
    const row = page.locator('#webhooks-rows tr').filter({ has: page.locator('code', { hasText: /^webhook-uuid$/ }) })
    await row.locator('td.url', { hasText: '127.0.0.1:3999' }).waitFor()
    expect(await row.locator('td.url').textContent()).toBe('http://[redacted]@127.0.0.1:3999/hooks/in?api_key=[redacted]&team=[redacted]#[redacted]')
    const html = await page.content()
    for (const secret of ['USERSECRET', 'PASSSECRET', 'QUERYSECRET', 'TEAMSECRET', 'FRAGSECRET']) expect(html).not.toContain(secret)
    expect(errors).toEqual([])
    await page.close()
  })
})
