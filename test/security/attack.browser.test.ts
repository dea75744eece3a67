// The attack of issue 22, in a real browser: a page on http://evil.example (Chromium resolves the
// name to 127.0.0.1) tries to drive a mock running with --deliver live: no-cors text/plain POSTs to
// /__mock/reset and /__mock/deliveries, a PUT of the webhook URL and a POST …/test, reading the
// journal, and DNS rebinding (the page's own name pointed at the mock). None of it may work.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src/server.js'
// A plain ES module, shared with the dashboard's browser tests.
import { CHROMIUM_FLAGS, ensureChromium, launchChromium } from '../../scripts/chromium.mjs'
import { auth } from '../support/http.js'
import { startReceiver, type TestReceiver } from '../support/receiver.js'

let browser: { context: BrowserContext; close(): Promise<void> }
let mock: RunningServer
let evil: Server
let evilPort: number
let receiver: TestReceiver
const WEBHOOK = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid'

beforeAll(async () => {
  ensureChromium()
  browser = await launchChromium({ args: [...CHROMIUM_FLAGS, '--host-resolver-rules=MAP evil.example 127.0.0.1'] })
  receiver = await startReceiver()
  mock = await startServer({ deliver: 'live' })
  evil = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>evil</title>'))
  await new Promise<void>((done) => evil.listen(0, '127.0.0.1', done))
  evilPort = (evil.address() as AddressInfo).port
}, 10 * 60_000)

afterAll(async () => {
  await browser?.close()
  await mock?.close()
  await receiver?.close()
  evil?.close()
})

const patchConfig = (body: unknown) =>
  fetch(`${mock.url}/__mock/config`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('a page on http://evil.example against a live mock', () => {
  it('cannot reset the mock, start a delivery, repoint a webhook, test it, or read the journal', async () => {
    expect((await patchConfig({ error_rate: 0.5 })).status).toBe(200)
    const page = await browser.context.newPage()
    await page.goto(`http://evil.example:${evilPort}/`)
    const outcome = await page.evaluate(
      async ({ base, webhook, hook }) => {
        const attempt = async (run: () => Promise<Response>) => {
          try {
            const res = await run()
            return res.type === 'opaque' ? 'opaque' : `read ${res.status}`
          } catch {
            return 'blocked'
          }
        }
        const text = { 'content-type': 'text/plain' }
        return {
          reset: await attempt(() => fetch(`${base}/__mock/reset`, { method: 'POST', mode: 'no-cors', headers: text, body: '{}' })),
          deliver: await attempt(() =>
            fetch(`${base}/__mock/deliveries`, {
              method: 'POST',
              mode: 'no-cors',
              headers: text,
              body: '{"agent_id":"agent-uuid","webhook_id":"webhook-uuid"}',
            }),
          ),
          repoint: await attempt(() =>
            fetch(`${base}${webhook}`, {
              method: 'PUT',
              headers: { Authorization: 'Bearer talq_x', 'content-type': 'application/json' },
              body: JSON.stringify({ webhook_url: hook }),
            }),
          ),
          test: await attempt(() => fetch(`${base}${webhook}/test`, { method: 'POST', mode: 'no-cors' })),
          journal: await attempt(() => fetch(`${base}/__mock/requests`)),
        }
      },
      { base: mock.url, webhook: WEBHOOK, hook: receiver.url },
    )
    await page.close()
    // The browser sent the simple requests (opaque answers) and blocked the rest; the mock refused them all.
    expect(outcome).toEqual({ reset: 'opaque', deliver: 'opaque', repoint: 'blocked', test: 'opaque', journal: 'blocked' })
    const config = await (await fetch(`${mock.url}/__mock/config`)).json()
    expect(config.data.error_rate).toBe(0.5)
    expect((await (await fetch(`${mock.url}/__mock/deliveries`)).json()).data).toEqual([])
    const webhook = await (await fetch(`${mock.url}${WEBHOOK}`, { headers: auth() })).json()
    expect(webhook.data.webhook_url).not.toBe(receiver.url)
    expect(receiver.received).toEqual([])
  })

  it('cannot read the mock through DNS rebinding: its own name pointed at the mock is refused', async () => {
    const page = await browser.context.newPage()
    const res = await page.goto(`http://evil.example:${mock.port}/__mock/health`)
    expect(res?.status()).toBe(403)
    const journal = await page.evaluate(async () => (await fetch('/__mock/requests')).status)
    expect(journal).toBe(403)
    await page.close()
  })

  it('lets a front end on a loopback origin read the API and change state', async () => {
    const page = await browser.context.newPage()
    await page.goto(`http://localhost:${evilPort}/`)
    const seen = await page.evaluate(async (base) => {
      const logs = await fetch(`${base}/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs`, { headers: { Authorization: 'Bearer talq_x' } })
      const reset = await fetch(`${base}/__mock/reset`, { method: 'POST' })
      return { logs: logs.status, reset: reset.status }
    }, mock.url)
    await page.close()
    expect(seen).toEqual({ logs: 200, reset: 200 })
  })
})
