// createApp resolves every option once, before it builds anything: one frozen value holds them all,
// and the first bad option (in the order createApp has always checked them) throws with nothing built.
import { describe, expect, it, vi } from 'vitest'
import { createApp } from '../src/app.js'
import { APP_OPTION_KEYS } from '../src/app-options.js'
import { resolveCreateAppSettings } from '../src/app-settings.js'
import { ConfigError } from '../src/config.js'
import { createStore } from '../src/fleet/store.js'
import { startServer } from '../src/server.js'

// Spies on the store's creation: the first part createApp builds.
vi.mock('../src/fleet/store.js', async (original) => {
  const real = await original<typeof import('../src/fleet/store.js')>()
  return { ...real, createStore: vi.fn(real.createStore) }
})

const errorOf = (run: () => unknown): Error => {
  try {
    run()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected an error')
}

// One bad value per option, in the order createApp checks them.
const BAD: [string, Record<string, unknown>][] = [
  ['state', { state: 'ftp://x' }],
  ['seed', { seed: -1 }],
  ['now', { now: 'yesterday' }],
  ['token', { token: 'not a token' }],
  ['spec', { spec: '/nope/openapi.yaml' }],
  ['fixtures', { fixtures: '/nope/fixtures.yaml' }],
  ['cacheMb', { cacheMb: -1 }],
  ['faults.latency', { faults: { latency: 'abc' } }],
  ['journalSize', { journalSize: -1 }],
  ['stateBudgetMb', { stateBudgetMb: -1 }],
  ['retrySettleMs', { retrySettleMs: -1 }],
  ['clock', { clock: 'sometimes' }],
  ['clockRate', { clockRate: -1 }],
  ['deliver', { deliver: 'maybe' }],
  ['deliverAllow', { deliverAllow: 'http://x/y' }],
  ['deliverBackoff', { deliverBackoff: 'x' }],
  ['adminToken', { adminToken: '' }],
  ['corsOrigin', { corsOrigin: 'evil' }],
  ['rateLimit', { rateLimit: -1 }],
]

describe('createApp resolves its options once, before building', () => {
  it('throws for a bad rateLimit (the last option checked) before the store exists or the signal is listened to', () => {
    vi.mocked(createStore).mockClear()
    const controller = new AbortController()
    const listen = vi.spyOn(controller.signal, 'addEventListener')
    const error = errorOf(() => createApp({ state: 'redis://127.0.0.1:1', signal: controller.signal, rateLimit: -1 }))
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toMatch(/^Invalid rateLimit "-1": /)
    expect(createStore).not.toHaveBeenCalled()
    expect(listen).not.toHaveBeenCalled()
  })

  it('builds nothing for startServer either when its last option is bad', async () => {
    vi.mocked(createStore).mockClear()
    await expect(startServer({ state: 'redis://127.0.0.1:1', rateLimit: -1 })).rejects.toThrow(/^Invalid rateLimit "-1": /)
    expect(createStore).not.toHaveBeenCalled()
  })

  it.each([
    [{ port: 70000 }, 'Invalid port "70000": use a port number from 0 to 65535 (0 picks a free port).'],
    [{ port: -1 }, 'Invalid port "-1": use a port number from 0 to 65535 (0 picks a free port).'],
    [{ host: 'not a host' }, 'Invalid host "not a host": use a host name or IP address like 127.0.0.1 or 0.0.0.0.'],
  ])('refuses startServer(%j) in one sentence before building anything, not when it listens', async (options, message) => {
    vi.mocked(createStore).mockClear()
    await expect(startServer(options)).rejects.toThrow(message)
    expect(createStore).not.toHaveBeenCalled()
  })

  it.each(BAD.map(([label], i) => [label, i] as const))('names %s first when it and every option after it are bad', (label, i) => {
    const options = Object.assign({}, ...BAD.slice(i).map(([, o]) => o))
    const message = errorOf(() => createApp(options)).message
    const named = { spec: 'OpenAPI document /nope/openapi.yaml', fixtures: '/nope/fixtures.yaml' }[label]
    if (named) expect(message).toContain(named)
    else expect(message.startsWith(`Invalid ${label} `) || message.startsWith(`Invalid ${label}: `)).toBe(true)
  })
})

describe('resolveCreateAppSettings', () => {
  const log = () => {}
  const sleep = async () => {}
  const clock = () => 1_705_320_000_000
  const settings = resolveCreateAppSettings({
    seed: 42,
    now: 'wall',
    token: 'talq_pinned',
    log,
    faults: { latency: '50-300', errorRate: 0.1, failEvery: 3, sleep, clock },
    journalSize: 5,
    adminToken: 'admin-secret',
    retrySettleMs: 0,
    stateBudgetMb: 2,
    cacheMb: 4,
    clock: 'live',
    clockRate: 60,
    deliver: 'live',
    deliverAllow: ['receiver:3000'],
    deliverBackoff: [1, 2],
    deliveryHooks: { runId: 'test-run' },
    rateLimit: 0,
    corsOrigin: 'none',
    state: 'memory',
  })

  it('holds every option, resolved, in one value', () => {
    expect(settings).toMatchObject({
      state: 'memory',
      world: { seed: 42, now: 1_705_320_000, token: 'talq_pinned' },
      cacheMb: 4,
      faults: { latency: { kind: 'range', min: 50, max: 300 }, errorRate: 0.1, failEvery: { n: 3 } },
      journalSize: 5,
      stateBudgetMb: 2,
      retrySettleMs: 0,
      clock: 'live',
      clockRate: 60,
      delivery: { deliver: 'live', allow: [{ host: 'receiver', port: 3000 }], backoff: [1, 2] },
      adminToken: 'admin-secret',
      corsOrigin: 'none',
      rateLimit: 0,
      hooks: { log, sleep, realClock: clock, runId: 'test-run' },
    })
    expect(settings.spec.operations.length).toBeGreaterThan(0)
    expect(settings.catalog.agents.size).toBeGreaterThan(0)
    // Every option has its place: a value, a slice (world, delivery, hooks) or the loaded file.
    const placed: Record<string, unknown> = { ...settings, ...settings.world, ...settings.delivery, ...settings.hooks }
    for (const key of APP_OPTION_KEYS) {
      const where = { now: 'world', deliverAllow: 'allow', deliverBackoff: 'backoff', deliveryHooks: 'runId', fixtures: 'catalog' }[key as string] ?? key
      expect(where in placed, key).toBe(true)
    }
  })

  it('is frozen, slices and all, so nothing changes it while the app is built', () => {
    for (const part of [settings, settings.world, settings.faults, settings.delivery, settings.hooks]) expect(Object.isFrozen(part)).toBe(true)
  })
})
