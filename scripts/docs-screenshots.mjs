// Takes the dashboard screenshots in docs/ (npm run docs:screenshots): the built mock on a free
// port, Debian's Chromium at 1280×800, one PNG per view, plus the Requests view at phone width.
// The journal is filled by a few client requests first, so the Requests view has something to show;
// a second mock with --deliver live sends two deliveries to a receiver on 127.0.0.1 for Deliveries.
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:http'
import { startServer } from '../dist/index.js'
import { launchChromium } from './chromium.mjs'

const out = new URL('../docs/', import.meta.url)
mkdirSync(out, { recursive: true })
// A fixed clock, so the journal's times read the same in every run.
let now = Date.UTC(2024, 0, 15, 12, 0, 5)
const server = await startServer({ faults: { clock: () => (now += 7.3) } })
const browser = await launchChromium()
try {
  const call = (path, headers = {}) => fetch(`${server.url}${path}`, { method: path.endsWith('/retry') ? 'POST' : 'GET', headers: { authorization: 'Bearer talq_docs', ...headers } })
  await call('/api/v1/agents/agent-uuid/webhooks')
  await call('/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=50')
  await call('/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=50&page=2', { 'x-mock-status': '503' })
  await call('/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs/log-uuid-2/retry')
  await call('/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=50', { 'x-mock-session': 'checkout-test', 'x-mock-latency': '120' })
  await call('/api/v1/agents/agent-uuid/webhooks/nope/logs', { authorization: 'Basic x' })

  let page = await browser.context.newPage()
  const shoot = async (name) => {
    await page.waitForTimeout(400)
    await page.screenshot({ path: new URL(name, out).pathname })
    console.log(`docs/${name}`)
  }
  await page.goto(`${server.url}/__mock/ui#requests`)
  await page.locator('#requests-rows tr').first().waitFor()
  await page.locator('#requests-rows tr', { hasText: 'retry' }).getByRole('button').click()
  await shoot('dashboard-requests.png')

  await page.getByRole('link', { name: 'World' }).click()
  await page.getByRole('button', { name: 'Logs of My Webhook' }).click()
  await page.locator('tbody.chain').first().waitFor()
  await page.locator('tbody.chain', { hasText: 'attempts 1–3' }).first().getByRole('button', { name: /JSON of attempt 3/ }).click()
  await page.locator('#logs-title').scrollIntoViewIfNeeded()
  await shoot('dashboard-world.png')

  await page.getByRole('link', { name: 'Faults' }).click()
  await page.getByLabel('Error rate').fill('0.3')
  await page.getByLabel('Latency').fill('50-300')
  await page.getByRole('button', { name: 'Save' }).click()
  await page.locator('#status', { hasText: 'Saved' }).waitFor()
  await shoot('dashboard-faults.png')

  // Deliveries: the receiver fails the first request (so that delivery waits for its retry) and
  // accepts the rest.
  let hits = 0
  const receiver = createServer((req, res) => {
    const first = ++hits === 1
    req.resume().on('end', () => res.writeHead(first ? 500 : 202, { 'content-type': 'application/json' }).end(first ? '{"error":"not yet"}' : '{"received":true}'))
  })
  await new Promise((done) => receiver.listen(0, '127.0.0.1', done))
  const live = await startServer({ deliver: 'live' })
  try {
    const post = (path, body) =>
      fetch(`${live.url}${path}`, { method: 'POST', headers: { authorization: 'Bearer talq_docs', 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const created = await post('/api/v1/agents/agent-uuid/webhooks', {
      name: 'Local receiver',
      webhook_url: `http://127.0.0.1:${receiver.address().port}/webhooks/talkover`,
      events: ['event_phone_call_ended', 'event_phone_call_started'],
      max_retries: 3,
    })
    const webhook = (await created.json()).data.id
    await post('/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: webhook, event: 'event_phone_call_started' })
    await post('/__mock/deliveries', { agent_id: 'agent-uuid', webhook_id: webhook, event: 'event_phone_call_ended' })
    await page.goto(`${live.url}/__mock/ui#deliveries`)
    await page.waitForFunction(() => document.querySelectorAll('#deliveries-rows tr').length === 2)
    await page.locator('#deliveries-rows tr').first().getByRole('button').click()
    await shoot('dashboard-deliveries.png')
  } finally {
    await live.close()
    receiver.close()
  }

  await page.close()
  page = await browser.context.newPage()
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(`${server.url}/__mock/ui#requests`)
  await page.locator('#requests-rows tr').first().waitFor()
  await shoot('dashboard-phone.png')
} finally {
  await browser.close()
  await server.close()
}
