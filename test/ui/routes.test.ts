// The dashboard's routes in-process: the page and its assets, the token rule, the redirect at `/`,
// GET /__mock/world, and the lazy loading that keeps the dashboard off the API's path.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { Script } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { expectConforms } from '../support/contract.js'

const CHROME_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8'

describe('GET /__mock/ui', () => {
  const app = createApp()

  it('serves one HTML page whose script and stylesheet come from the mock itself', async () => {
    const res = await app.request('/__mock/ui')
    expect(res.status).toBe(200)
    const html = await expectConforms<string>(res, 'getMockUi')
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true)
    expect(html).toContain('<script src="/__mock/ui/app.js" defer')
    expect(html).toContain('<link rel="stylesheet" href="/__mock/ui/app.css"')
    expect(html).not.toMatch(/https?:\/\//)
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
  })

  it('labels every form control of the page', async () => {
    const html = await (await app.request('/__mock/ui')).text()
    const ids = [...html.matchAll(/<(?:input|select)\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1])
    // A select wrapped by its label (the filters of issue 27) is labelled as an input is.
    const wrapped = [...html.matchAll(/<label\b[^>]*>[^<]*<(?:input|select)\b/g)].length
    const controls = [...html.matchAll(/<(?:input|select)\b/g)].length
    for (const id of ids) expect(html).toContain(`for="${id}"`)
    expect(ids.length + wrapped).toBe(controls)
  })

  it('serves the client script as JavaScript that parses', async () => {
    const res = await app.request('/__mock/ui/app.js')
    const js = await expectConforms<string>(res, 'getMockUiAsset')
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(() => new Script(js)).not.toThrow()
    expect(js).toContain('/__mock/requests')
  })

  it('has a Deliveries view and a clock panel in World, each with the admin route it reads in the script', async () => {
    const html = await (await app.request('/__mock/ui')).text()
    expect(html).toContain('<a href="#deliveries">Deliveries</a>')
    expect(html).toMatch(/<section id="deliveries" data-view[^>]*aria-labelledby="deliveries-heading"/)
    expect(html).toMatch(/<label>\s*Set to <input name="set"/)
    expect([...html.matchAll(/data-advance="([^"]+)"/g)].map((m) => m[1])).toEqual(['3600', '86400', '7d'])
    const js = await (await app.request('/__mock/ui/app.js')).text()
    expect(js).toContain('/__mock/clock')
    expect(js).toContain('/__mock/deliveries')
    expect(js).toContain('/test`')
  })

  it.each([3600, '7d', 86400])('offers only advances POST /__mock/clock accepts: %s', async (advance) => {
    const res = await app.request('/__mock/clock?session=ui-advance', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance }),
    })
    expect(res.status).toBe(200)
    await expectConforms(res, 'moveMockClock')
  })

  it('serves the stylesheet as CSS', async () => {
    const res = await app.request('/__mock/ui/app.css')
    expect(await expectConforms<string>(res, 'getMockUiAsset')).toContain('@media (max-width: 760px)')
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8')
  })

  it.each(['secrets.txt', 'constructor', '__proto__', 'page'])('answers an unknown asset %s with the JSON 404 of a route', async (name) => {
    const res = await app.request(`/__mock/ui/${name}`)
    expect(res.status).toBe(404)
    expect(await expectConforms(res, 'getMockUiAsset')).toEqual({ message: `The route __mock/ui/${name} could not be found.` })
  })

  it('answers an asset name of 65 or 1,000 characters with the same JSON 404, not an undocumented 422', async () => {
    for (const name of ['a'.repeat(65), `${'x'.repeat(1000)}.js`]) {
      const res = await app.request(`/__mock/ui/${name}`)
      expect(res.status).toBe(404)
      expect(await expectConforms(res, 'getMockUiAsset')).toEqual({ message: `The route __mock/ui/${name} could not be found.` })
    }
  })

  it('answers other methods with 405, like every spec route', async () => {
    const res = await app.request('/__mock/ui', { method: 'POST' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, HEAD')
  })
})

describe('the admin token', () => {
  const app = createApp({ adminToken: 's3cret' })

  it('is not needed for the page and its assets, which hold no data', async () => {
    for (const path of ['/__mock/ui', '/__mock/ui/app.js', '/__mock/ui/app.css']) expect((await app.request(path)).status).toBe(200)
  })

  it('is needed for everything the page shows', async () => {
    for (const path of ['/__mock/config', '/__mock/requests', '/__mock/world']) {
      const res = await app.request(path)
      expect(res.status).toBe(401)
      expect((await app.request(path, { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200)
    }
  })
})

describe('the root', () => {
  const app = createApp()

  it.each(['GET', 'HEAD'])('sends a browser (%s, Accept with text/html) to the dashboard', async (method) => {
    const res = await app.request('/', { method, headers: { accept: CHROME_ACCEPT } })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/__mock/ui')
  })

  it.each([undefined, 'application/json', '*/*', 'text/plain, text/htmlx'])('keeps the JSON 404 for an API client (Accept %s)', async (accept) => {
    const res = await app.request('/', { headers: accept ? { accept } : {} })
    expect(res.status).toBe(404)
    expect(await expectConforms(res, null)).toEqual({ message: 'The route / could not be found.' })
  })

  it('redirects only the root, and only reads', async () => {
    expect((await app.request('/nothing', { headers: { accept: CHROME_ACCEPT } })).status).toBe(404)
    expect((await app.request('/', { method: 'POST', headers: { accept: CHROME_ACCEPT } })).status).toBe(404)
  })
})

describe('the access log', () => {
  it("leaves out the dashboard's reads (X-Mock-Dashboard), and only those", async () => {
    const lines: string[] = []
    const app = createApp({ log: (line) => lines.push(line) })
    const dashboard = { 'x-mock-dashboard': '1' }
    expect((await app.request('/__mock/requests?limit=200', { headers: dashboard })).status).toBe(200)
    expect((await app.request('/__mock/config', { headers: dashboard })).status).toBe(200)
    expect(lines).toEqual([])
    await app.request('/__mock/config', { method: 'PATCH', body: '{"error_rate":0.5}', headers: { ...dashboard, 'content-type': 'application/json' } })
    await app.request('/__mock/requests')
    await app.request('/api/v1/agents/a/webhooks/w/logs', { headers: { ...dashboard, authorization: 'Bearer talq_x' } })
    expect(lines.map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([
      'PATCH /__mock/config 200',
      'GET /__mock/requests 200',
      'GET /api/v1/agents/a/webhooks/w/logs 200',
    ])
  })
})

describe('GET /__mock/world', () => {
  it('lists the declared agents and campaigns with their webhook ids, seed and now', async () => {
    const app = createApp({ seed: 42 })
    const { data } = await expectConforms(await app.request('/__mock/world'), 'getMockWorld')
    expect(data.seed).toBe(42)
    expect(data.now).toBe('2024-01-15T12:00:00Z')
    expect(data.open_world).toBe(true)
    expect(data.agents).toEqual([{ id: 'agent-uuid', webhooks: expect.arrayContaining(['webhook-uuid', 'webhook-uuid-1m']) }])
    expect(data.campaigns).toEqual([{ id: 'campaign-uuid', webhooks: ['webhook-uuid-1'] }])
  })

  it('follows a PATCHed seed', async () => {
    const app = createApp()
    await app.request('/__mock/config', { method: 'PATCH', body: '{"seed":7}', headers: { 'content-type': 'application/json' } })
    expect((await (await app.request('/__mock/world')).json()).data.seed).toBe(7)
  })
})

describe('loading', () => {
  const src = join(import.meta.dirname, '../../src')
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]))

  it('imports the dashboard only dynamically, so start-up and the API never load it', () => {
    const outside = files(src).filter((f) => !f.includes(`${join(src, 'ui')}`) && /\.tsx?$/.test(f))
    const importers = outside.filter((f) => /from\s+['"][./]*ui\//.test(readFileSync(f, 'utf8')))
    expect(importers).toEqual([])
    const dynamic = outside.filter((f) => /import\(\s*['"][./]*ui\/index\.js['"]\s*\)/.test(readFileSync(f, 'utf8')))
    expect(dynamic.length).toBeGreaterThan(0)
  })

  it('keeps the dashboard free of the mock: it imports only hono/jsx and its own folder', () => {
    for (const file of files(join(src, 'ui'))) {
      for (const [, from] of readFileSync(file, 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)) {
        expect(from!.startsWith('./') || from === 'hono/jsx', `${file} imports ${from}`).toBe(true)
      }
    }
  })
})
