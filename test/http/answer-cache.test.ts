// A repeated list page is written again by the socket listener without Hono (http/answer-cache.ts):
// the same bytes and the same journal line, and never once anything could have changed the page.
import { getRequestListener } from '@hono/node-server'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, socketPartsOf, type AppOptions } from '../../src/app.js'
import { startServer } from '../../src/server.js'
import { DOCS_LOGS, TOKEN } from '../support/http.js'

const PAGE = `${DOCS_LOGS}?per_page=50`
/** An open-world webhook busy enough that an hour adds rows. */
const BUSY = '/api/v1/agents/agent-7/webhooks/webhook-4/logs?per_page=5'

interface Answer {
  status: number
  /** Raw header lines as sent, in order, without Date (which is the time of sending). */
  headers: string[]
  body: string
}

/** Any request over a real socket; the answer as written. */
function send(url: string, method = 'GET', headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: body ? { ...headers, 'content-type': 'application/json' } : headers }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
      res.on('end', () => {
        const lines: string[] = []
        for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i] !== 'Date') lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`)
        resolve({ status: res.statusCode!, headers: lines, body: text })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** The body a fresh app gives in-process. */
async function inProcess(options: AppOptions, path: string, headers: Record<string, string> = {}): Promise<string> {
  return (await createApp(options).request(path, { headers: { Authorization: `Bearer ${TOKEN}`, ...headers } })).text()
}

let servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))))
  servers = []
})

/** The mock as startServer wires it, counting the requests that reached the app. */
async function serve(options: AppOptions = {}) {
  const app = createApp(options)
  const listener = getRequestListener(app.fetch)
  const { answers } = socketPartsOf(app)!
  const seen = { app: 0 }
  const server = createServer((req, res) => {
    if (answers.serve(req, res)) return
    seen.app++
    void listener(req, res)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const journal = async () => JSON.parse((await send(`${url}/__mock/requests`)).body).data
  return { url, seen, journal }
}

describe('a repeated list page on a real socket', () => {
  it('is written again without the app, byte for byte, and journaled as any request', async () => {
    const { url, seen, journal } = await serve({ seed: 42 })
    const first = await send(url + PAGE)
    const again = await send(url + PAGE)
    const third = await send(url + PAGE)
    expect(first.status).toBe(200)
    // The second request is the first page-cache hit, which the app offers; the third is cached.
    expect(seen.app).toBe(2)
    expect(again).toEqual(first)
    expect(third).toEqual(first)
    expect(await send(url + PAGE)).toEqual(first)
    expect(seen.app).toBe(2)
    const entries = await journal()
    expect(entries.map((e: any) => [e.seq, e.k, e.method, e.path, e.query, e.status])).toEqual([
      [4, 4, 'GET', DOCS_LOGS, 'per_page=50', 200],
      [3, 3, 'GET', DOCS_LOGS, 'per_page=50', 200],
      [2, 2, 'GET', DOCS_LOGS, 'per_page=50', 200],
      [1, 1, 'GET', DOCS_LOGS, 'per_page=50', 200],
    ])
    expect(Object.keys(entries[0])).toEqual(Object.keys(entries[2]))
  })

  it('is what startServer writes too, with the access log line of any request', async () => {
    const lines: string[] = []
    const server = await startServer({ seed: 42, log: (line) => lines.push(line) })
    try {
      const first = await send(server.url + PAGE)
      expect(await send(server.url + PAGE)).toEqual(first)
      expect(await send(server.url + PAGE)).toEqual(first)
      expect(lines.map((l) => l.replace(/ [\d.]+ms$/, ''))).toEqual([`GET ${PAGE} 200`, `GET ${PAGE} 200`, `GET ${PAGE} 200`])
    } finally {
      await server.close()
    }
  })

  it('is answered by the app again after any write: a retry shows its new row at once', async () => {
    const { url, seen } = await serve({ seed: 42 })
    const before = await send(url + PAGE)
    await send(url + PAGE)
    await send(url + PAGE)
    const retried = await send(`${url}${DOCS_LOGS}/log-uuid-2/retry`, 'POST')
    expect(retried.status).toBe(200)
    const after = await send(url + PAGE)
    expect(seen.app).toBe(4)
    expect(JSON.parse(after.body).data[0].id).toBe(JSON.parse(retried.body).data.log_id)
    expect(JSON.parse(after.body).pagination.total).toBe(JSON.parse(before.body).pagination.total + 1)
  })

  it('follows the admin API: a new seed, a moved clock, a reset', async () => {
    const { url, seen } = await serve({ seed: 42 })
    const page = async () => (await send(url + PAGE)).body
    const at42 = await page()
    await page()
    expect(await page()).toBe(at42)
    await send(`${url}/__mock/config`, 'PATCH', {}, JSON.stringify({ seed: 7 }))
    const at7 = await page()
    expect(at7).not.toBe(at42)
    expect(at7).toBe(await inProcess({ seed: 7 }, PAGE))
    const busy = (await send(url + BUSY)).body
    expect((await send(url + BUSY)).body).toBe(busy)
    expect((await send(url + BUSY)).body).toBe(busy)
    await send(`${url}/__mock/clock`, 'POST', {}, JSON.stringify({ advance: 7200 }))
    const later = (await send(url + BUSY)).body
    expect(later).not.toBe(busy)
    expect(later).toBe(await inProcess({ seed: 7 }, BUSY, { 'X-Mock-Now': '2024-01-15T14:00:00Z' }))
    await send(`${url}/__mock/reset`, 'POST')
    expect(await page()).toBe(at42)
    expect((await send(url + BUSY)).body).not.toBe(busy)
    // Pages at 42 (twice), at 7, busy (twice), busy after the clock moved, both after the reset:
    // 8; plus the PATCH, the clock POST and the reset. The two third asks came from the cache.
    expect(seen.app).toBe(11)
  })

  it('gives way to faults: once one is configured, the next request gets it', async () => {
    const { url } = await serve({ seed: 42 })
    await send(url + PAGE)
    await send(url + PAGE)
    await send(`${url}/__mock/config`, 'PATCH', {}, JSON.stringify({ fail_next: 1 }))
    expect((await send(url + PAGE)).status).toBe(500)
    expect((await send(url + PAGE)).status).toBe(200)
  })

  it('stays off while faults are configured: each request gets its own draw', async () => {
    const { url, seen } = await serve({ seed: 42, faults: { errorRate: 0.5 } })
    const statuses = new Set<number>()
    for (let i = 0; i < 20; i++) statuses.add((await send(url + PAGE)).status)
    expect(seen.app).toBe(20)
    expect([...statuses].sort()).toEqual([200, 500])
  })

  it.each([
    ['a seed header', { 'X-Mock-Seed': '7' }],
    ['an injected status', { 'X-Mock-Status': '503' }],
    ['a session', { 'X-Mock-Session': 'a' }],
    ['an instant', { 'X-Mock-Now': '2024-01-15T13:00:00Z' }],
  ])('leaves a request with %s to the app', async (_name, extra) => {
    const { url, seen } = await serve({ seed: 42 })
    const headers = { Authorization: `Bearer ${TOKEN}`, ...extra }
    const first = await send(url + PAGE, 'GET', headers)
    await send(url + PAGE, 'GET', headers)
    expect((await send(url + PAGE, 'GET', headers)).body).toBe(first.body)
    expect(seen.app).toBe(3)
  })

  it('keeps each token apart and never repeats a refusal', async () => {
    const { url, seen } = await serve({ seed: 42, token: 'talq_one' })
    const refused = await send(url + PAGE, 'GET', { Authorization: 'Bearer talq_two' })
    expect(refused.status).toBe(401)
    const ok = await send(url + PAGE, 'GET', { Authorization: 'Bearer talq_one' })
    expect(ok.status).toBe(200)
    expect((await send(url + PAGE, 'GET', { Authorization: 'Bearer talq_two' })).status).toBe(401)
    expect((await send(url + PAGE, 'GET', { Authorization: 'Bearer talq_one' })).body).toBe(ok.body)
    expect((await send(url + PAGE, 'GET', { Authorization: 'Bearer talq_one' })).body).toBe(ok.body)
    expect((await send(url + PAGE, 'GET', { Authorization: 'Bearer talq_two' })).status).toBe(401)
    // Both refusals and the first two successes reached the app; the third success was cached.
    expect(seen.app).toBe(5)
  })

  it('stays off while deliveries are live: their rows arrive without a request', async () => {
    const { url, seen } = await serve({ seed: 42, deliver: 'live' })
    for (let i = 0; i < 3; i++) await send(url + PAGE)
    expect(seen.app).toBe(3)
  })

  it('stays off while the clock runs: the page moves with it', async () => {
    let t = 1_000_000
    const { url, seen } = await serve({ seed: 42, clock: 'live', clockRate: 3600, faults: { clock: () => t } })
    const first = await send(url + BUSY)
    expect((await send(url + BUSY)).body).toBe(first.body)
    expect((await send(url + BUSY)).body).toBe(first.body)
    t += 1000
    const hourLater = await send(url + BUSY)
    expect(seen.app).toBe(4)
    expect(hourLater.body).not.toBe(first.body)
    expect(hourLater.body).toBe(await inProcess({ seed: 42 }, BUSY, { 'X-Mock-Now': '2024-01-15T13:00:00Z' }))
  })
})
