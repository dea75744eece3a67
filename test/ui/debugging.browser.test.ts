// The dashboard as a person debugging a client or a receiver uses it (issue 27), in Debian's
// Chromium driven by playwright-core against mocks on real ports: no input lost, Reset asks first,
// the keyboard keeps its place across live redraws, what a request and a delivery carried and got,
// filters and paging, the phone layout and the --token hint.
import { request as httpRequest } from 'node:http'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../../src/server.js'
import { useDashboard } from '../support/dashboard.js'
import { startReceiver, type TestReceiver } from '../support/receiver.js'

const LIVE = 5_000
const dashboard = useDashboard()

const open = dashboard.open

const api = (path: string, init: RequestInit = {}, url = dashboard.url) =>
  fetch(`${url}${path}`, { ...init, headers: { authorization: 'Bearer talq_test', ...(init.headers as Record<string, string>) } })
const config = async (url = dashboard.url) => (await (await fetch(`${url}/__mock/config`)).json()).data
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '')
const describedText = (page: Page, label: string) =>
  page.getByLabel(label, { exact: true }).evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  )

describe('1. the Faults form loses no input', () => {
  it('refuses an unreadable Error rate and an emptied Hang next to each field, focuses the first, and sends nothing', async () => {
    const { page } = await open('#faults')
    await page.waitForFunction(() => (document.getElementById('f-hang-ms') as HTMLInputElement).value !== '')
    const before = await config()
    const patches: string[] = []
    page.on('request', (r) => void (r.method() === 'PATCH' && patches.push(r.url())))
    await page.getByLabel('Error rate').fill('')
    await page.getByLabel('Error rate').pressSequentially('e')
    await page.getByLabel('Hang (ms)').fill('')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.waitForFunction(() => document.getElementById('f-hang-ms')?.getAttribute('aria-invalid') === 'true')
    expect(await page.getByLabel('Error rate').getAttribute('aria-invalid')).toBe('true')
    expect(await describedText(page, 'Error rate')).toContain('Error rate is not a number the page can read')
    expect(await describedText(page, 'Hang (ms)')).toContain('Hang (ms) is empty: enter milliseconds from 1 to 600000')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-error-rate')
    await page.waitForTimeout(300)
    expect(patches).toEqual([])
    expect(await config()).toEqual(before)
    expect(await page.locator('#status').textContent()).not.toContain('Saved')
    // Fixing the fields clears their marks and saves only what changed.
    await page.getByLabel('Error rate').fill('0.2')
    await page.getByLabel('Hang (ms)').fill(String(before.hang_ms))
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('#status', { hasText: 'Saved: error_rate.' }).waitFor()
    expect(await page.getByLabel('Error rate').getAttribute('aria-invalid')).toBe(null)
    expect((await config()).error_rate).toBe(0.2)
    await fetch(`${dashboard.url}/__mock/reset`, { method: 'POST' })
    await page.close()
  })
})

describe('2. Reset asks first', () => {
  it('changes nothing on the first click, nothing on Cancel, and resets on "Yes, reset"', async () => {
    await fetch(`${dashboard.url}/__mock/config`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"error_rate":0.4}' })
    const { page } = await open('#faults')
    await page.waitForFunction(() => (document.getElementById('f-error-rate') as HTMLInputElement).value === '0.4')
    await page.getByRole('button', { name: 'Reset…' }).click()
    const question = page.getByRole('group', { name: /Reset the whole mock\?/ })
    await question.waitFor()
    expect(await focusedText(page)).toBe('Cancel')
    expect((await config()).error_rate).toBe(0.4)
    await page.keyboard.press('Enter')
    await question.waitFor({ state: 'hidden' })
    expect((await config()).error_rate).toBe(0.4)
    expect(await focusedText(page)).toBe('Reset…')
    await page.getByRole('button', { name: 'Reset…' }).click()
    await page.getByRole('button', { name: 'Yes, reset' }).click()
    await page.locator('#status', { hasText: 'back to its start-up state' }).waitFor()
    expect((await config()).error_rate).toBe(0)
    await page.close()
  })
})

describe('3. the keyboard keeps its place', () => {
  it('keeps the focused row through live redraws, opens details under it, and Escape and Close give the focus back', async () => {
    await api('/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=3')
    const { page } = await open('#requests')
    const row = page.locator('#requests-rows tr[data-seq]', { hasText: 'per_page=3' })
    await row.waitFor({ timeout: LIVE })
    const button = row.getByRole('button', { name: /per_page=3/ })
    await button.focus()
    // Traffic arrives: the list redraws every second with new rows on top.
    for (let i = 0; i < 3; i++) await api(`/api/v1/agents/agent-uuid/webhooks?n=${i}`)
    await page.locator('#requests-rows tr', { hasText: 'n=2' }).waitFor({ timeout: LIVE })
    await page.waitForTimeout(1200)
    expect(await focusedText(page)).toContain('per_page=3')
    await page.keyboard.press('Enter')
    const detail = page.locator('#request-detail')
    await detail.waitFor()
    expect(await button.getAttribute('aria-expanded')).toBe('true')
    // Next to the row that opened it, not below the whole list.
    expect(await row.evaluate((tr) => tr.nextElementSibling?.querySelector('#request-detail') !== null)).toBe(true)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('request-detail-title')
    await api('/api/v1/agents/agent-uuid/webhooks?n=more')
    await page.locator('#requests-rows tr', { hasText: 'n=more' }).waitFor({ timeout: LIVE })
    expect(await detail.isVisible()).toBe(true)
    await page.keyboard.press('Escape')
    await detail.waitFor({ state: 'detached' })
    expect(await focusedText(page)).toContain('per_page=3')
    expect(await button.getAttribute('aria-expanded')).toBe('false')
    await page.keyboard.press('Enter')
    await detail.getByRole('button', { name: 'Close details' }).click()
    await detail.waitFor({ state: 'detached' })
    expect(await focusedText(page)).toContain('per_page=3')
    await page.close()
  })

  it("keeps the focus on the pager after Next page, and Escape folds a row's JSON", async () => {
    const { page } = await open('#world')
    await page.getByRole('button', { name: 'Logs of My Webhook' }).click()
    await page.locator('table.logs caption', { hasText: 'Page 1 of 10' }).waitFor()
    await page.getByRole('button', { name: 'Next page' }).focus()
    await page.keyboard.press('Enter')
    await page.locator('table.logs caption', { hasText: 'Page 2 of 10' }).waitFor()
    expect(await focusedText(page)).toBe('Next page')
    const toggle = page.getByRole('button', { name: /^JSON of attempt/ }).first()
    await toggle.click()
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    await page.keyboard.press('Escape')
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    expect(await toggle.evaluate((b) => b === document.activeElement)).toBe(true)
    await page.close()
  })
})

describe('4. what a request sent and got, and what a delivery carried', () => {
  it("shows a request's query, redacted headers, body, the answer's status, headers and body, and offers cURL", async () => {
    const created = await api('/api/v1/agents/agent-uuid/webhooks?trace=on', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-mock-session': 'detail-test', authorization: 'Bearer talq_SECRETTOKEN123' },
      body: JSON.stringify({
        name: 'Detail hook',
        webhook_url: 'http://127.0.0.1:9/in',
        events: ['event_phone_call_ended'],
        webhook_secret: 'whsec_SHOULDNOTSHOW',
      }),
    })
    expect(created.status).toBe(201)
    const { page } = await open('#requests')
    await page.getByLabel('Method').selectOption('POST')
    const row = page.locator('#requests-rows tr', { hasText: 'trace=on' })
    await row.getByRole('button').click()
    const detail = page.locator('#request-detail')
    await detail.waitFor()
    const headers = detail.getByRole('region', { name: 'Request headers' })
    expect(await headers.locator('tr', { hasText: 'authorization' }).locator('td').textContent()).toBe('[redacted]')
    expect(await headers.locator('tr', { hasText: 'x-mock-session' }).locator('td').textContent()).toBe('detail-test')
    expect(await detail.getByRole('region', { name: 'Query parameters' }).textContent()).toContain('trace')
    expect(await detail.getByLabel('Request body').textContent()).toContain('"name": "Detail hook"')
    expect(await detail.textContent()).toContain('Status 201')
    expect(await detail.getByRole('region', { name: 'Answer headers' }).locator('tr', { hasText: 'content-type' }).locator('td').textContent()).toBe(
      'application/json',
    )
    expect(await detail.getByLabel('Answer body').textContent()).toContain('"success": true')
    const html = await page.content()
    expect(html).not.toContain('SECRETTOKEN123')
    expect(html).not.toContain('SHOULDNOTSHOW')
    await detail.getByRole('button', { name: 'Copy as cURL' }).click()
    const curl = (await page.locator('#request-curl').textContent())!
    expect(curl).toContain(`curl -g -i -X POST '${dashboard.url}/api/v1/agents/agent-uuid/webhooks?trace=on'`)
    expect(curl).toContain("-H 'x-mock-session: detail-test'")
    expect(curl).toContain("-H 'authorization: Bearer talq_dashboard'")
    await page.close()
  })

  it('names the fault the mock applied', async () => {
    await api('/api/v1/agents/agent-uuid/webhooks?faulted=1', { headers: { 'x-mock-status': '503', 'x-mock-latency': '15' } })
    const { page } = await open('#requests')
    await page.locator('#requests-rows tr', { hasText: 'faulted=1' }).getByRole('button').click()
    const facts = page.locator('#request-detail dl')
    await facts.waitFor()
    expect(await facts.textContent()).toContain('status 503 via header, +15 ms of latency')
    expect(await page.locator('#request-detail').textContent()).toContain('Status 503')
    await page.close()
  })

  it('"Send again" repeats a request to this mock only, even for a journaled path like //evil.example/x', async () => {
    await new Promise<void>((done, fail) => {
      const port = new URL(dashboard.url).port
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '//evil.example/steal', method: 'GET', headers: { authorization: 'Bearer talq_test' } },
        (res) => {
          res.resume().on('end', () => done())
        },
      )
      req.on('error', fail).end()
    })
    const { page } = await open('#requests')
    const row = page.locator('#requests-rows tr', { hasText: '//evil.example/steal' })
    await row.getByRole('button').click()
    const sent: string[] = []
    page.on('request', (r) => void sent.push(r.url()))
    await page.locator('#request-detail').getByRole('button', { name: 'Send again' }).click()
    await page.locator('#request-detail output', { hasText: 'Sent again: the mock answered 404' }).waitFor()
    expect(sent.filter((u) => u.includes('evil.example'))).toEqual([`${dashboard.url}//evil.example/steal`])
    await page.locator('#requests-rows tr', { hasText: '//evil.example/steal' }).nth(1).waitFor({ timeout: LIVE })
    await page.close()
  })

  it('"Resend" on a failed log row queues a retry and shows it on top', async () => {
    const { page } = await open('#world')
    await page.getByRole('button', { name: 'Logs of My Webhook' }).click()
    await page.locator('table.logs caption', { hasText: '247 log rows' }).waitFor()
    await page.getByRole('button', { name: /^Resend attempt 3 \(log-uuid-2\)/ }).click()
    await page.locator('#status', { hasText: 'Resend queued' }).waitFor()
    await page.locator('table.logs caption', { hasText: '248 log rows' }).waitFor()
    expect(await page.locator('tbody.chain').first().locator('tr.chain-head').textContent()).toContain('attempt 4, pending')
    await page.close()
  })
})

describe('4. deliveries: each attempt, the outcome, Resend', () => {
  let live: RunningServer
  let receiver: TestReceiver
  beforeAll(async () => {
    receiver = await startReceiver([{ status: 500, body: 'down' }])
    live = await startServer({ deliver: 'live', deliverBackoff: [0.05] })
  })
  afterAll(async () => {
    await live?.close()
    await receiver?.close()
  })

  it('says "failed" after every attempt got 500, shows each attempt\'s request body, and Resend sends it again', async () => {
    const created = await api(
      '/api/v1/agents/agent-uuid/webhooks',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Failing receiver', webhook_url: receiver.url, events: ['event_phone_call_ended'], max_retries: 2 }),
      },
      live.url,
    )
    const webhookId: string = (await created.json()).data.id
    const triggered = await api(
      '/__mock/deliveries',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ agent_id: 'agent-uuid', webhook_id: webhookId, event: 'event_phone_call_ended' }),
      },
      live.url,
    )
    expect(triggered.status).toBeLessThan(300)
    await receiver.waitFor(3)
    const { page, errors } = await open('#deliveries', live.url)
    const row = page.locator('#deliveries-rows tr', { hasText: webhookId })
    await row.locator('td', { hasText: /^failed$/ }).waitFor({ timeout: LIVE })
    expect(await row.textContent()).not.toContain('done')
    await page.getByLabel('Outcome').selectOption('succeeded')
    await page.locator('#deliveries-nomatch').waitFor({ state: 'visible' })
    await page.getByLabel('Outcome').selectOption('failed')
    await row.waitFor()
    // Back to every outcome: a resent delivery is "sending" for a moment.
    await page.getByLabel('Outcome').selectOption('')
    await row.getByRole('button', { name: 'event_phone_call_ended' }).click()
    const detail = page.locator('#delivery-detail')
    await detail.waitFor()
    expect(await detail.locator('section.attempt-detail').count()).toBe(3)
    expect(await detail.getByLabel('Request body of attempt 1').textContent()).toContain('"agent_id": "agent-uuid"')
    expect(await detail.getByLabel('Answer body of attempt 3').textContent()).toBe('down')
    await detail.getByRole('button', { name: 'Resend' }).click()
    await detail.locator('output', { hasText: 'Resend queued' }).waitFor()
    await receiver.waitFor(4)
    await page.locator('#delivery-detail section.attempt-detail').nth(3).waitFor({ timeout: LIVE })
    // The details were redrawn with the new attempt: the focus stayed on Resend, and Escape closes them.
    expect(await focusedText(page)).toBe('Resend')
    await page.keyboard.press('Escape')
    await detail.waitFor({ state: 'detached' })
    expect(await focusedText(page)).toBe('event_phone_call_ended')
    expect(errors).toEqual([])
    await page.close()
  })
})

describe('5. finding things', () => {
  it('filters Requests by method and status class, says when nothing matches, and shows dates', async () => {
    await api('/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?refused=1', { headers: { authorization: 'Basic x' } })
    const { page } = await open('#requests')
    await page.locator('#requests-rows tr').first().waitFor()
    expect(await page.locator('#requests-rows tr time').first().textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/)
    await page.getByRole('combobox', { name: /^Status/ }).selectOption('4')
    await page.locator('#requests-rows tr', { hasText: 'refused=1' }).waitFor()
    for (const status of await page.locator('#requests-rows tr td:nth-child(4)').allTextContents()) expect(status).toMatch(/^4\d\d$/)
    await page.getByLabel('Method').selectOption('DELETE')
    await page.locator('#requests-nomatch').waitFor({ state: 'visible' })
    expect(await page.locator('#requests-empty').isHidden()).toBe(true)
    expect(await page.locator('#requests-nomatch').textContent()).toContain('No request matches these filters')
    // A time range: From is asked of the mock (?since=), To is applied in the page.
    await page.getByLabel('Method').selectOption('')
    await page.getByRole('combobox', { name: /^Status/ }).selectOption('')
    await page.getByLabel('From (UTC)').fill('2999-01-01T00:00:00')
    await page.locator('#requests-nomatch').waitFor({ state: 'visible' })
    await page.getByLabel('From (UTC)').fill('')
    await page.getByLabel('To (UTC)').fill('2000-01-01T00:00:00')
    await page.locator('#requests-nomatch').waitFor({ state: 'visible' })
    await page.getByLabel('To (UTC)').fill('2999-01-01T00:00:00')
    await page.locator('#requests-rows tr', { hasText: 'refused=1' }).waitFor()
    await page.close()
  })

  it("jumps to a page number, and to the first and last page, of a webhook's logs", async () => {
    const { page } = await open('#world')
    await page.getByRole('button', { name: 'Logs of My Webhook' }).click()
    await page.locator('table.logs caption', { hasText: 'Page 1 of 10' }).waitFor()
    await page.getByLabel('Go to page').fill('7')
    await page.getByLabel('Go to page').press('Enter')
    await page.locator('table.logs caption', { hasText: 'Page 7 of 10' }).waitFor()
    await page.getByRole('button', { name: 'Last page' }).click()
    await page.locator('table.logs caption', { hasText: 'Page 10 of 10' }).waitFor()
    await page.getByRole('button', { name: 'First page' }).click()
    await page.locator('table.logs caption', { hasText: 'Page 1 of 10' }).waitFor()
    // The busy webhook: a million rows, numbers written with separators, its last page one click away.
    await page.getByRole('button', { name: 'Logs of Zapier' }).click()
    const caption = page.locator('table.logs caption', { hasText: /^Page 1 of \d\d,\d{3}: 1,0\d\d,\d{3} log rows/ })
    await caption.waitFor()
    const last = /of ([\d,]+):/.exec((await caption.textContent())!)![1]!
    await page.getByRole('button', { name: 'Last page' }).click()
    await page.locator('table.logs caption', { hasText: `Page ${last} of ${last}:` }).waitFor()
    await page.close()
  })
})

describe('6. at 390 px', () => {
  it('shows every column of a request as a card, nothing cut off or sideways', async () => {
    await api('/api/v1/agents/agent-uuid/webhooks?phone=1', { headers: { 'x-mock-session': 'phone', 'x-mock-latency': '5' } })
    const { page } = await open('#requests')
    await page.setViewportSize({ width: 390, height: 844 })
    const row = page.locator('#requests-rows tr', { hasText: 'phone=1' })
    await row.waitFor()
    for (const cell of await row.locator('td').all()) {
      const box = (await cell.boundingBox())!
      expect(box.x).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width).toBeLessThanOrEqual(390)
    }
    expect(await row.locator('td', { hasText: 'phone' }).last().isVisible()).toBe(true)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await page.close()
  })
})

describe('7. accessibility leftovers', () => {
  it('names the Webhooks table, makes scroll regions focusable, and uses aria-expanded for details', async () => {
    const { page } = await open('#world')
    await page.locator('#webhooks-rows tr').first().waitFor()
    expect(await page.getByRole('table', { name: /Webhooks of/ }).count()).toBe(1)
    for (const region of await page.locator('#world .scroll, #requests .scroll').all()) expect(await region.getAttribute('tabindex')).toBe('0')
    await page.getByRole('link', { name: 'Requests' }).click()
    await page.locator('#requests-rows tr').first().waitFor()
    const button = page.locator('#requests-rows tr').first().getByRole('button')
    expect(await button.getAttribute('aria-expanded')).toBe('false')
    expect(await button.getAttribute('aria-pressed')).toBe(null)
    await page.close()
  })

  it('does not announce the request count every second while traffic flows', async () => {
    const { page } = await open('#requests')
    await page.locator('#requests-rows tr').first().waitFor()
    await page.evaluate(() => {
      ;(window as any).announced = 0
      const observer = new MutationObserver((changes) => {
        for (const change of changes) {
          const node = change.target instanceof Element ? change.target : change.target.parentElement
          if (node?.closest('[aria-live], [role="status"], [role="alert"]')) (window as any).announced++
        }
      })
      observer.observe(document.body, { subtree: true, childList: true, characterData: true })
    })
    for (let i = 0; i < 4; i++) {
      await api(`/api/v1/agents/agent-uuid/webhooks?traffic=${i}`)
      await page.waitForTimeout(600)
    }
    await page.locator('#requests-rows tr', { hasText: 'traffic=3' }).waitFor({ timeout: LIVE })
    expect(await page.evaluate(() => (window as any).announced)).toBe(0)
    await page.close()
  })
})

describe('8. with --token', () => {
  let guarded: RunningServer
  beforeAll(async () => {
    guarded = await startServer({ token: 'talq_right_one' })
  })
  afterAll(() => guarded?.close())

  it('says which field to fill in when the API refuses the token, and works once it is filled in', async () => {
    const { page } = await open('#world', guarded.url)
    const hint = page.locator('#webhooks-empty', { hasText: 'Invalid token' })
    await hint.waitFor()
    expect(await hint.textContent()).toContain('enter that token in the World view\'s "API token" field, then press View')
    expect(await page.getByLabel('API token').getAttribute('aria-invalid')).toBe('true')
    await page.getByLabel('API token').fill('talq_right_one')
    await page.getByRole('button', { name: 'View', exact: true }).click()
    await page.getByRole('button', { name: 'Open agent' }).waitFor()
    await page.locator('#agent-list button').first().click()
    await page.locator('#webhooks-rows tr').first().waitFor()
    expect(await page.getByLabel('API token').getAttribute('aria-invalid')).toBe(null)
    await page.close()
  })
})
