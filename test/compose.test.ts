// compose.yaml cannot be run here (no docker daemon, no image pulls), so check it offline: against
// the Compose Specification's own JSON Schema, and for what would break silently — the store URL,
// start order, published ports, and the nginx front sending each request to one replica once.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { SETTINGS } from '../src/config.js'
import { hostPolicy } from '../src/http/hosts.js'
import { loadSpec } from '../src/http/spec.js'

const root = new URL('..', import.meta.url)
const read = (path: string) => readFileSync(new URL(path, root), 'utf8')
// Compose files use YAML merge keys (`<<: *mock`), as docker compose and podman compose read them.
const compose = parse(read('compose.yaml'), { merge: true })
const services: Record<string, Service> = compose.services

interface Service {
  build?: string
  image: string
  command?: string[]
  environment?: Record<string, string>
  ports?: string[]
  volumes?: string[]
  depends_on?: Record<string, { condition: string }>
  healthcheck?: { test: string[] }
  read_only?: boolean
  cap_drop?: string[]
}

const mocks = Object.entries(services).filter(([, s]) => s.build === '.')
const [storeName, store] = Object.entries(services).find(([, s]) => /^(valkey\/valkey|redis):/.test(s.image))!
const [frontName, front] = Object.entries(services).find(([, s]) => s.image.startsWith('nginx:'))!
const nginxMount = front.volumes![0].split(':')
const nginx = read(nginxMount[0].replace(/^\.\//, ''))

describe('compose.yaml', () => {
  it("is a valid Compose file by the Compose Specification's JSON Schema", () => {
    const require = createRequire(import.meta.url)
    // The schema names draft-07 by an https address Ajv does not know it by; Ajv's default is draft-07.
    const { $schema: _draft, ...schema } = require('docker-compose/schema/compose-spec.json')
    const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(schema)
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true)
  })

  it('runs three replicas of the image this repository builds, with the same settings, pointed at the store service', () => {
    expect(mocks.map(([name]) => name)).toEqual(['mock-1', 'mock-2', 'mock-3'])
    expect(read('Dockerfile')).toMatch(/^EXPOSE 4010$/m)
    const envs = mocks.map(([, s]) => s.environment)
    for (const env of envs) expect(env).toEqual(envs[0])
    expect(envs[0]?.TALKOVER_MOCK_STATE).toBe(`redis://${storeName}:6379`)
    for (const [name, value] of Object.entries(envs[0]!)) {
      const setting = SETTINGS.find((s) => s.env.includes(name))
      expect(setting, `${name} is not a talkover-mock setting`).toBeDefined()
      expect(() => setting!.parse(String(value), name, () => 0)).not.toThrow()
    }
    for (const [, s] of mocks) expect(s).toMatchObject({ read_only: true, cap_drop: ['ALL'] })
  })

  it('starts each replica once the store answers, and the front once every replica is healthy', () => {
    expect(store.healthcheck?.test.join(' ')).toMatch(/(valkey|redis)-cli ping/)
    for (const [, s] of mocks) expect(s.depends_on).toEqual({ [storeName]: { condition: 'service_healthy' } })
    expect(front.depends_on).toEqual(Object.fromEntries(mocks.map(([name]) => [name, { condition: 'service_healthy' }])))
    const health = mocks[0][1].healthcheck!.test.join(' ')
    expect(health).toContain('http://127.0.0.1:4010/__mock/health')
    expect(loadSpec().operations.find((o) => o.path === '/__mock/health' && o.method === 'get')?.secured).toBe(false)
  })

  it('runs the store with no disk, refusing writes rather than evicting when full', () => {
    const args = store.command!
    const flag = (name: string) => args[args.indexOf(name) + 1]
    expect([flag('--save'), flag('--appendonly'), flag('--maxmemory-policy')]).toEqual(['', 'no', 'noeviction'])
    expect(flag('--maxmemory')).toMatch(/^\d+mb$/)
  })

  it('publishes only on loopback: the front on 4010, each replica on a port of its own, the store not at all', () => {
    expect(store.ports).toBeUndefined()
    expect(front.ports).toEqual(['127.0.0.1:4010:4010'])
    const published = mocks.map(([, s]) => s.ports![0])
    expect(published).toEqual(['127.0.0.1:4011:4010', '127.0.0.1:4012:4010', '127.0.0.1:4013:4010'])
    // What a browser or curl sends through the published ports passes the mock's default Host check.
    const passes = hostPolicy('') // no TALKOVER_MOCK_ALLOWED_HOSTS: what the replicas run with
    for (const host of ['127.0.0.1:4010', 'localhost:4010', 'localhost:4012']) expect(passes(host), host).toBe(true)
  })
})

describe(`deploy/nginx.conf (the ${frontName} service)`, () => {
  it('is mounted read-only as the default site and listens on the port the front publishes', () => {
    expect(nginxMount.slice(1)).toEqual(['/etc/nginx/conf.d/default.conf', 'ro'])
    expect(nginx).toMatch(/^\s*listen 4010;$/m)
  })

  it('sends requests round-robin to exactly the three replicas, keeping a replica in the rotation after an injected fault', () => {
    const servers = [...nginx.matchAll(/^\s*server (\S+)(.*);$/gm)].map((m) => [m[1], m[2].trim()])
    expect(servers).toEqual(mocks.map(([name]) => [`${name}:4010`, 'max_fails=0']))
    expect(nginx).not.toMatch(/^\s*(least_conn|ip_hash|hash|random)\b/m)
  })

  it('never sends a request to a second replica, which would count it twice in the fleet-wide fault counters', () => {
    expect(nginx).toMatch(/^\s*proxy_next_upstream off;$/m)
  })

  it("passes the client's Host, bodies of any size to the mock's own limit, and answers its own errors in JSON", () => {
    expect(nginx).toMatch(/^\s*proxy_set_header Host \$http_host;$/m)
    expect(nginx).toMatch(/^\s*client_max_body_size 0;$/m)
    expect(nginx).toMatch(/^\s*proxy_request_buffering off;$/m)
    const body = nginx.match(/return 502 '(.*)';/)?.[1]
    expect(JSON.parse(body!)).toEqual({ success: false, message: expect.stringMatching(/^The front got no answer .*\.$/) })
    expect(nginx).toMatch(/^\s*error_page 502 504 = @no_answer;$/m)
  })
})
