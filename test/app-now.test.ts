// createApp({ now }) and startServer({ now }) take what --now takes, with the same meaning:
// `'wall'` anchors the world at the app clock's reading when the app is built.
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.js'
import { ConfigError } from '../src/config.js'
import { startServer, type RunningServer } from '../src/server.js'
import { expectConforms } from './support/contract.js'
import { auth, get } from './support/http.js'

const OPEN = '/api/v1/agents/a/webhooks/w/logs?per_page=5'
const WALL = Date.parse('2025-03-01T10:00:00Z')

describe("createApp({ now: 'wall' })", () => {
  it('anchors the world at the clock reading, like the same instant given as ISO-8601', async () => {
    const wall = createApp({ now: 'wall', faults: { clock: () => WALL + 0.4 } })
    const iso = createApp({ now: '2025-03-01T10:00:00Z' })
    const { data: config } = await expectConforms(await wall.request('/__mock/config'), 'getMockConfig')
    expect(config.now).toBe('2025-03-01T10:00:00Z')
    const rows = await expectConforms(await get(wall, OPEN), 'listWebhookLogs')
    expect(rows.pagination.total).toBeGreaterThan(0)
    expect(await (await get(wall, OPEN)).text()).toBe(await (await get(iso, OPEN)).text())
  })

  it('reads the real time when no clock is injected', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000
    const { data: config } = await expectConforms(await createApp({ now: 'wall' }).request('/__mock/config'), 'getMockConfig')
    const at = Date.parse(config.now)
    expect(at).toBeGreaterThanOrEqual(before)
    expect(at).toBeLessThanOrEqual(Date.now())
  })

  it('refuses an instant that is not a time with one sentence', () => {
    expect(() => createApp({ now: 'yesterday' })).toThrow(ConfigError)
    expect(() => createApp({ now: new Date(Number.NaN) })).toThrow(ConfigError)
  })
})

describe("startServer({ now: 'wall' })", () => {
  let server: RunningServer | undefined
  afterEach(async () => void (await server?.close({ graceMs: 0 })))

  it('serves a world anchored at the time of start over a real socket', async () => {
    server = await startServer({ now: 'wall', faults: { clock: () => WALL } })
    const base = `http://127.0.0.1:${server.port}`
    const { data: config } = await (await fetch(`${base}/__mock/config`)).json()
    expect(config.now).toBe('2025-03-01T10:00:00Z')
    const res = await fetch(`${base}${OPEN}`, { headers: auth() })
    expect(res.status).toBe(200)
    expect((await res.json()).pagination.total).toBeGreaterThan(0)
  })
})
