// CORS defaults to loopback origins only, reflected per request with Vary: Origin; '*' or a list
// opts in, and none sends nothing. Checked on the wire, through the CLI where the CLI parses it.
import { beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { createApp, type AppOptions } from '../../src/app.js'
import { startServer } from '../../src/server.js'
import { startCli } from '../support/cli.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, auth, get } from '../support/http.js'
import { rawRequest } from '../support/raw-http.js'

const mock = (options: AppOptions = {}) => createApp({ ...options, faults: { sleep: async () => {}, ...options.faults } })

describe('the default CORS policy: loopback origins only', () => {
  it.each(['http://localhost:5173', 'https://localhost', 'http://127.0.0.1:3000', 'http://[::1]:8080', 'http://app.localhost:5173'])(
    'reflects the loopback origin %s with Vary: Origin',
    async (origin) => {
      const res = await get(mock(), DOCS_LOGS, { Origin: origin })
      expect(res.headers.get('access-control-allow-origin')).toBe(origin)
      expect(res.headers.get('vary')).toBe('Origin')
      expect(res.headers.get('access-control-expose-headers')).toContain('X-RateLimit-Remaining')
      await expectConforms(res, 'listWebhookLogs')
    },
  )

  it.each(['http://evil.example', 'http://localhost.evil.example', 'http://127.0.0.1.nip.io', 'null'])('sends no Allow-Origin to %s', async (origin) => {
    const res = await get(mock(), DOCS_LOGS, { Origin: origin })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    expect(res.headers.get('vary')).toBe('Origin')
  })

  it('answers a preflight from another origin without the CORS headers a browser needs to go on', async () => {
    const res = await mock().request(DOCS_LOGS, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'authorization' },
    })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    expect(res.headers.get('access-control-allow-methods')).toBeNull()
  })

  it("opts in with '*' or a list of origins", async () => {
    const star = await get(mock({ corsOrigin: '*' }), DOCS_LOGS, { Origin: 'http://evil.example' })
    expect(star.headers.get('access-control-allow-origin')).toBe('*')
    const listed = mock({ corsOrigin: 'http://app.test:3000,loopback' })
    expect((await get(listed, DOCS_LOGS, { Origin: 'http://app.test:3000' })).headers.get('access-control-allow-origin')).toBe('http://app.test:3000')
    expect((await get(listed, DOCS_LOGS, { Origin: 'http://localhost:3000' })).headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
    expect((await get(listed, DOCS_LOGS, { Origin: 'http://app.test:3001' })).headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('--cors-origin none on the wire', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' })
  }, 120_000)

  it.each([
    ['the flag', ['--cors-origin', 'none'], {}],
    ['its env twin', [], { TALKOVER_MOCK_CORS_ORIGIN: 'none' }],
  ])('sends no CORS header at all with %s', async (_what, args, env) => {
    const cli = await startCli(['--port', '0', '--quiet', ...args], env)
    try {
      for (const origin of ['http://localhost:5173', 'http://evil.example']) {
        const res = await rawRequest(`${cli.url}${DOCS_LOGS}`, { headers: { ...auth(), Origin: origin } })
        expect(res.status).toBe(200)
        expect(res.headers['access-control-allow-origin']).toBeUndefined()
        expect(res.headers['access-control-expose-headers']).toBeUndefined()
      }
    } finally {
      await cli.stop()
    }
  })

  it('sends the loopback default when nothing is set', async () => {
    const cli = await startCli(['--port', '0', '--quiet'])
    try {
      const local = await rawRequest(`${cli.url}${DOCS_LOGS}`, { headers: { ...auth(), Origin: 'http://localhost:5173' } })
      expect(local.headers['access-control-allow-origin']).toBe('http://localhost:5173')
      const evil = await rawRequest(`${cli.url}${DOCS_LOGS}`, { headers: { ...auth(), Origin: 'http://evil.example' } })
      expect(evil.headers['access-control-allow-origin']).toBeUndefined()
    } finally {
      await cli.stop()
    }
  })
})

describe('the smaller CORS promises of the docs', () => {
  it('exposes X-Mock-Now to browser scripts', async () => {
    const res = await get(mock({ corsOrigin: '*' }), DOCS_LOGS)
    expect(res.headers.get('access-control-expose-headers')).toContain('X-Mock-Now')
  })

  it('sends the X-RateLimit-* headers on a plain OPTIONS of /api/*, as on every /api/* answer', async () => {
    const res = await mock().request(DOCS_LOGS, { method: 'OPTIONS' })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-ratelimit-limit')).toBe('100')
    expect(res.headers.get('x-ratelimit-remaining')).toBe('99')
  })

  it('sends CORS headers on the root redirect to the dashboard', async () => {
    const star = await mock({ corsOrigin: '*' }).request('/', { headers: { Accept: 'text/html' } })
    expect(star.status).toBe(302)
    expect(star.headers.get('access-control-allow-origin')).toBe('*')
    const local = await mock().request('/', { headers: { Accept: 'text/html', Origin: 'http://localhost:5173' } })
    expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    expect(local.headers.get('vary')).toBe('Origin')
  })

  it('reflects a loopback origin on a real socket, and never serves that answer from the cache to another origin', async () => {
    const server = await startServer()
    try {
      for (let i = 0; i < 3; i++) await rawRequest(`${server.url}${DOCS_LOGS}`, { headers: auth() })
      const local = await rawRequest(`${server.url}${DOCS_LOGS}`, { headers: { ...auth(), Origin: 'http://localhost:5173' } })
      expect(local.headers['access-control-allow-origin']).toBe('http://localhost:5173')
      const plain = await rawRequest(`${server.url}${DOCS_LOGS}`, { headers: auth() })
      expect(plain.headers['access-control-allow-origin']).toBeUndefined()
    } finally {
      await server.close()
    }
  })
})
