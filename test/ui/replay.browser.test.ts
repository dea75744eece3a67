// Send again and Copy as cURL never replay what the journal only describes (review of issue 27):
// a [redacted] value, a body "not shown", a cut body or cut headers. Send again refuses and says
// what is missing; the cURL command marks those values for the person to fill in, and runs in the
// system curl as copied (`-g`, so a `[` in a URL is not a glob). Debian's Chromium, real ports.
import { execFile, execFileSync } from 'node:child_process'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useDashboard } from '../support/dashboard.js'

const dashboard = useDashboard()

const open = async (hash = ''): Promise<Page> => (await dashboard.open(hash)).page

/** Opens the detail of the newest request whose path and query contain `text`, and lists what the page sends from then on. */
async function detailOf(text: string): Promise<{ page: Page; sent: string[] }> {
  const page = await open('#requests')
  await page.locator('#requests-filter [name=live]').uncheck()
  await page.getByLabel('Path contains').fill(text)
  await page.locator('#requests-rows tr[data-seq]', { hasText: text }).first().getByRole('button').click()
  await page.locator('#request-detail').waitFor()
  const sent: string[] = []
  page.on('request', (r) => void (r.url().includes(text) && sent.push(`${r.method()} ${r.url()}`)))
  return { page, sent }
}

const say = (page: Page) => page.locator('#request-detail output')
const curlOf = async (page: Page) => {
  await page.locator('#request-detail').getByRole('button', { name: 'Copy as cURL' }).click()
  return (await page.locator('#request-curl').textContent())!
}

describe('Send again and Copy as cURL with values the journal does not have', () => {
  it('refuses Send again for a [redacted] query value, body field and custom header, naming each, and marks them in the cURL command', async () => {
    const created = await fetch(`${dashboard.url}/api/v1/agents/replay-agent/webhooks?api_key=REALKEY`, {
      method: 'POST',
      headers: { authorization: 'Bearer talq_x', 'content-type': 'application/json', 'x-api-key': 'REALVALUE' },
      body: JSON.stringify({
        name: 'real',
        webhook_url: 'http://127.0.0.1:9/ok',
        events: ['event_phone_call_started'],
        webhook_secret: 'whsec_REALSECRET',
      }),
    })
    expect(created.status).toBe(201)
    const { page, sent } = await detailOf('replay-agent')
    await page.locator('#request-detail').getByRole('button', { name: 'Send again' }).click()
    const text = (await say(page).textContent())!
    expect(text).toMatch(/^Not sent: the journal does not have/)
    for (const name of ['api_key', 'webhook_secret', 'x-api-key']) expect(text).toContain(name)
    expect(sent).toEqual([])
    const curl = await curlOf(page)
    expect(curl).toContain('api_key=<fill in: api_key>')
    expect(curl).toContain("-H 'x-api-key: <fill in: x-api-key>'")
    expect(curl).toContain('"webhook_secret":"<fill in: webhook_secret>"')
    expect(curl).not.toContain('[redacted]')
    // Said once the clipboard answered (or refused).
    await page.locator('#request-detail output', { hasText: 'fill in the values marked <fill in: …>' }).waitFor()
    await page.close()
  })

  it('refuses Send again for a body the journal only describes, and for one it never read', async () => {
    await fetch(`${dashboard.url}/api/v1/agents/plain-agent/webhooks`, {
      method: 'POST',
      headers: { authorization: 'Bearer talq_x', 'content-type': 'text/plain' },
      body: 'hello plain',
    })
    const { page, sent } = await detailOf('plain-agent')
    await page.locator('#request-detail').getByRole('button', { name: 'Send again' }).click()
    expect(await say(page).textContent()).toMatch(/^Not sent: the journal does not have the body \(11 bytes of text\/plain/)
    expect(sent).toEqual([])
    expect(await curlOf(page)).toContain("--data-raw '<fill in: the body (11 bytes of text/plain, not shown)>'")
    await page.close()
    // No route reads the body of a POST to an unknown path: the journal has none, though one was sent.
    await fetch(`${dashboard.url}/api/v1/unread-agent`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })
    const unread = await detailOf('unread-agent')
    await unread.page.locator('#request-detail').getByRole('button', { name: 'Send again' }).click()
    expect(await say(unread.page).textContent()).toMatch(/^Not sent: the journal does not have the body \(7 bytes, not read by the mock\)/)
    expect(unread.sent).toEqual([])
    await unread.page.close()
  })

  it('refuses Send again when the journal cut the headers, and keeps the session in the cURL command', async () => {
    const headers: Record<string, string> = { authorization: 'Bearer talq_x' }
    for (let i = 1; i <= 70; i++) headers[`x-h${i}`] = `v${i}`
    headers['x-mock-session'] = 'manyhdr'
    await fetch(`${dashboard.url}/api/v1/agents/manyhdr-agent/webhooks`, { headers })
    const { page, sent } = await detailOf('manyhdr-agent')
    expect(await page.locator('#request-detail').textContent()).toContain('Request headers (cut: the journal kept the first ones only)')
    await page.locator('#request-detail').getByRole('button', { name: 'Send again' }).click()
    expect(await say(page).textContent()).toContain('the headers past the ones shown')
    expect(sent).toEqual([])
    const curl = await curlOf(page)
    expect(curl).toContain("-H 'x-mock-session: manyhdr'")
    expect(curl).toContain('<fill in: the headers the journal cut>')
    await page.close()
  })
})

describe('Copy as cURL in the system curl', () => {
  it('runs as copied against the mock, with [ and ] in the URL', async () => {
    let curlPath: string
    try {
      curlPath = execFileSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).trim()
    } catch {
      throw new Error('curl is not installed: install it (apt-get install curl) to run this test.')
    }
    await fetch(`${dashboard.url}/api/v1/agents/glob-agent/webhooks?page[size]=5`, { headers: { authorization: 'Bearer talq_x' } })
    const { page } = await detailOf('glob-agent')
    const curl = await curlOf(page)
    expect(curl).toMatch(/^curl -g /)
    const out = await new Promise<string>((done, fail) =>
      execFile('sh', ['-c', curl.replace(/^curl /, `${curlPath} -sS `)], (error, stdout, stderr) => (error ? fail(new Error(stderr)) : done(stdout))),
    )
    expect(out).toMatch(/^HTTP\/1\.1 200/)
    await page.close()
  })
})
