// What a hostile review of the dashboard found (issue 27's second step), in Debian's Chromium
// against mocks on real ports: Reset does what it asked, the Requests filters reach past the 200
// newest entries, refused filter values are marked, the page jump checks its number.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { startServer } from '../../src/server.js'
import { useDashboard } from '../support/dashboard.js'

const dashboard = useDashboard()

const open = async (hash = '', url = dashboard.url): Promise<Page> => (await dashboard.open(hash, url)).page

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${dashboard.url}${path}`, { headers: { authorization: 'Bearer talq_x', ...headers } })
const journal = async (query = '') => (await (await fetch(`${dashboard.url}/__mock/requests${query}`)).json()).data as any[]

describe('Reset does what it asked', () => {
  it('closes the question, resetting nothing, when the Session changes while it is open', async () => {
    const scratch = await startServer()
    try {
      await fetch(`${scratch.url}/api/v1/agents/agent-uuid/webhooks`, { headers: { authorization: 'Bearer talq_x' } })
      const before = (await (await fetch(`${scratch.url}/__mock/requests`)).json()).data.length
      const page = await open('#faults', scratch.url)
      await page.waitForFunction(() => (document.getElementById('f-hang-ms') as HTMLInputElement).value !== '')
      await page.locator('#f-session').fill('only-this-session')
      await page.getByRole('button', { name: 'Reset…' }).click()
      await page.getByRole('group', { name: /Reset session only-this-session\?/ }).waitFor()
      await page.locator('#f-session').fill('')
      await page.locator('#reset-confirm').waitFor({ state: 'hidden' })
      expect(await page.locator('#status').textContent()).toContain('the Session changed')
      expect((await (await fetch(`${scratch.url}/__mock/requests`)).json()).data.length).toBeGreaterThanOrEqual(before)
      await page.getByRole('button', { name: 'Reset…' }).click()
      await page.getByRole('group', { name: /Reset the whole mock\?/ }).waitFor()
      await page.close()
    } finally {
      await scratch.close()
    }
  })
})

describe('the Requests filters reach the whole journal', () => {
  it('finds an entry older than the 200 newest by Path contains, To (UTC) and Status', async () => {
    await get('/api/v1/agents/needle-agent/webhooks', { authorization: 'Bearer nope' })
    const needle = (await journal('?path_contains=needle-agent'))[0]
    await new Promise((done) => setTimeout(done, 1100))
    for (let i = 0; i < 210; i++) await get(`/api/v1/agents/hay${i}/webhooks`)
    const page = await open('#requests')
    await page.locator('#requests-rows tr[data-seq]').first().waitFor()
    await page.locator('#requests-filter [name=live]').uncheck()
    const needleRow = page.locator('#requests-rows tr[data-seq]', { hasText: 'needle-agent' })
    await page.getByLabel('Path contains').fill('needle')
    await needleRow.waitFor()
    await page.getByLabel('Path contains').fill('')
    await page.getByLabel('To (UTC)').fill(needle.time.slice(0, 19))
    await needleRow.waitFor()
    await page.getByLabel('To (UTC)').fill('')
    await page.locator('#requests-filter [name=status_class]').selectOption('4')
    await needleRow.waitFor()
    expect(await page.locator('#requests-nomatch').isVisible()).toBe(false)
    await page.close()
  })
})

describe('the API token hint', () => {
  it('never claims --token on a mock without it: a token that is not talq_… is named as the problem', async () => {
    const page = await open('#world')
    await page.getByLabel('API token').fill('nope')
    await page.getByRole('button', { name: 'View', exact: true }).click()
    const hint = page.locator('#webhooks-empty', { hasText: 'Invalid token' })
    await hint.waitFor()
    const text = (await hint.textContent())!
    expect(text).not.toContain('--token')
    expect(text).toContain('An API token starts with talq_')
    await page.close()
  })
})

describe('refused filter values', () => {
  it.each([
    ['session', 'bad session!', /session/i],
    ['status', '40', /Exact status must be a whole number from 100 to 599/],
  ])('marks %s %j invalid with the reason, and clears the rows', async (name, value, reason) => {
    await get('/api/v1/agents/agent-uuid/webhooks')
    const page = await open('#requests')
    await page.locator('#requests-rows tr[data-seq]').first().waitFor()
    const input = page.locator(`#requests-filter [name=${name}]`)
    await input.fill(value)
    await page.locator(`#requests-filter [name=${name}][aria-invalid=true]`).waitFor()
    const described = await input.evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    )
    expect(described).toMatch(reason)
    expect(await page.locator('#requests-rows tr[data-seq]').count()).toBe(0)
    expect(await page.locator('#requests-nomatch').isVisible()).toBe(false)
    await input.fill('')
    await page.locator('#requests-rows tr[data-seq]').first().waitFor()
    expect(await input.getAttribute('aria-invalid')).toBe(null)
    await page.close()
  })
})

describe('the logs page jump', () => {
  it('refuses 0, a negative, a page past the last and a fraction next to the field, and clears the message after a good jump', async () => {
    const page = await open('#world')
    await page.getByRole('button', { name: 'Logs of My Webhook' }).click()
    await page.locator('table.logs caption', { hasText: 'Page 1 of 10' }).waitFor()
    const jump = page.getByLabel('Go to page')
    for (const bad of ['0', '-3', '11', '1.5']) {
      await jump.fill(bad)
      await jump.press('Enter')
      await page.locator('#logs-page[aria-invalid=true]').waitFor()
      const described = await jump.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? '')
      expect(described, bad).toBe('Enter a whole page number from 1 to 10.')
      expect(await page.locator('table.logs caption').textContent()).toContain('Page 1 of 10')
    }
    await jump.fill('7')
    await jump.press('Enter')
    await page.locator('table.logs caption', { hasText: 'Page 7 of 10' }).waitFor()
    expect(await page.locator('#status').textContent()).not.toContain('Enter a')
    expect(await page.locator('#logs-page').getAttribute('aria-invalid')).toBe(null)
    await page.close()
  })
})

describe('the Faults form refuses in page order', () => {
  it('checks the Latency format in the page and focuses the first refused field on the page', async () => {
    const page = await open('#faults')
    await page.waitForFunction(() => (document.getElementById('f-hang-ms') as HTMLInputElement).value !== '')
    const sent: string[] = []
    page.on('request', (r) => void (r.method() === 'PATCH' && sent.push(r.url())))
    await page.locator('#f-fail-every').fill('')
    await page.locator('#f-fail-next').fill('')
    await page.locator('#f-latency').fill('fast')
    await page.locator('#f-hang-ms').press('Enter')
    await page.locator('#f-latency[aria-invalid=true]').waitFor()
    expect(await page.locator('#e-latency').textContent()).toContain('Latency must be milliseconds like 250')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-latency')
    expect(await page.locator('#status').textContent()).toContain('(Latency, Fail next, Fail every)')
    await page.locator('#f-latency').fill('')
    await page.locator('#f-hang-ms').press('Enter')
    await page.locator('#f-fail-next[aria-invalid=true]').waitFor()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-fail-next')
    expect(sent).toEqual([])
    await page.close()
  })
})

describe('the Faults form keeps what was typed', () => {
  it('keeps an unsaved value across a Session change and a view switch, and Save then sends it', async () => {
    const page = await open('#faults')
    await page.waitForFunction(() => (document.getElementById('f-hang-ms') as HTMLInputElement).value !== '')
    await page.locator('#f-error-rate').fill('0.5')
    await page.locator('#f-session').fill('s-typed')
    await page.locator('#f-session').press('Tab')
    await page.locator('#faults-session-note', { hasText: 'Session s-typed' }).waitFor()
    expect(await page.locator('#f-error-rate').inputValue()).toBe('0.5')
    expect(await page.locator('#status').textContent()).toContain('Kept your unsaved Error rate')
    await page.getByRole('link', { name: 'Requests' }).click()
    await page.getByRole('link', { name: 'Faults' }).click()
    await page.locator('#faults').waitFor()
    await page.waitForTimeout(300)
    expect(await page.locator('#f-error-rate').inputValue()).toBe('0.5')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('#status', { hasText: 'Saved: error_rate.' }).waitFor()
    expect((await (await fetch(`${dashboard.url}/__mock/config?session=s-typed`)).json()).data.error_rate).toBe(0.5)
    await page.close()
  })
})

describe('at 390 px', () => {
  it('wraps a 1,000-character path, its query and long header values, with the detail open: nothing scrolls sideways', async () => {
    await get(`/api/v1/agents/${'x'.repeat(1000)}/webhooks?filter=${'y'.repeat(600)}`, {
      accept: `application/${'z'.repeat(700)}`,
      'x-mock-session': 's'.repeat(120),
    })
    const page = await open('#requests')
    await page.setViewportSize({ width: 390, height: 844 })
    await page.locator('#requests-filter [name=live]').uncheck()
    await page.locator('#requests-rows tr[data-seq]', { hasText: 'xxxxxxxx' }).first().getByRole('button').click()
    await page.locator('#request-detail').waitFor()
    await page.locator('#request-detail').getByRole('button', { name: 'Copy as cURL' }).click()
    const past = await page.evaluate(() =>
      [...document.querySelectorAll('#requests *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('#request-detail .scroll, pre, thead'))
        .map((e) => `${e.tagName}.${e.className}#${e.id}`),
    )
    expect(past).toEqual([])
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)
    await page.close()
  })
})

describe('a live delivery in Requests', () => {
  it('opens its delivery in Deliveries instead of offering a cURL command to the mock', async () => {
    const { startReceiver } = await import('../support/receiver.js')
    const receiver = await startReceiver([{ status: 500 }, { status: 202 }])
    const live = await startServer({ deliver: 'live', deliveryHooks: { sleep: async () => {} } })
    try {
      const post = (path: string, body: unknown) =>
        fetch(`${live.url}${path}`, {
          method: 'POST',
          headers: { authorization: 'Bearer talq_x', 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      const hook = (
        await (await post('/api/v1/agents/agent-uuid/webhooks', { name: 'Live', webhook_url: receiver.url, events: ['event_phone_call_ended'] })).json()
      ).data
      await post('/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: hook.id, event: 'event_phone_call_ended' })
      const page = await open('#requests', live.url)
      await page.locator('#requests-filter [name=live]').uncheck()
      await page.locator('#requests-filter [name=live]').check()
      const row = page.locator('#requests-rows tr[data-seq]', { hasText: '/hook' }).first()
      await row.waitFor()
      await row.getByRole('button').click()
      const detail = page.locator('#request-detail')
      await detail.waitFor()
      expect(await detail.getByRole('button', { name: 'Copy as cURL' }).count()).toBe(0)
      await detail.getByRole('button', { name: 'Show this delivery in Deliveries' }).click()
      await page.locator('#delivery-detail').waitFor()
      expect(await page.evaluate(() => location.hash)).toBe('#deliveries')
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('delivery-detail-title')
      await page.close()
    } finally {
      await live.close()
      await receiver.close()
    }
  })
})

describe('a refused Session in Deliveries', () => {
  it('marks the field with the reason and clears the rows it did not filter', async () => {
    const { startReceiver } = await import('../support/receiver.js')
    const receiver = await startReceiver([{ status: 202 }])
    const live = await startServer({ deliver: 'live', deliveryHooks: { sleep: async () => {} } })
    try {
      const post = (path: string, body: unknown) =>
        fetch(`${live.url}${path}`, {
          method: 'POST',
          headers: { authorization: 'Bearer talq_x', 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      const hook = (
        await (await post('/api/v1/agents/agent-uuid/webhooks', { name: 'Live', webhook_url: receiver.url, events: ['event_phone_call_ended'] })).json()
      ).data
      await post('/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: hook.id, event: 'event_phone_call_ended' })
      const page = await open('#deliveries', live.url)
      await page.locator('#deliveries-rows tr').first().waitFor()
      const session = page.locator('#deliveries-filter [name=session]')
      await session.fill('bad session!')
      await page.locator('#deliveries-filter [name=session][aria-invalid=true]').waitFor()
      const described = await session.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? '')
      expect(described).toMatch(/session/i)
      expect(await page.locator('#deliveries-rows tr').count()).toBe(0)
      await session.fill('')
      await page.locator('#deliveries-rows tr').first().waitFor()
      expect(await session.getAttribute('aria-invalid')).toBe(null)
      await page.close()
    } finally {
      await live.close()
      await receiver.close()
    }
  })
})
