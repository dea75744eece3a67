// A request fuzzer generated from openapi.yaml itself: it walks paths × methods (as msw's
// fromOpenApi does) and, from each operation's own parameter and body schemas, draws valid and
// invalid requests: odd ids (unicode, %2F, 1,000 characters), huge numbers, wrong types, bracketed
// and repeated query parameters, empty headers, bodies of the wrong type or content type. Every
// answer: no 5xx, and a status openapi.yaml declares for the operation with a body that validates.
// Fault-injection headers only ever ask for no fault (a 5xx they ask for is documented, not a defect).
// TALKOVER_MOCK_FUZZ_RUNS=<n> draws n requests per operation (default 30).
import fc from 'fast-check'
import type { ParameterObject, RequestBodyObject, SchemaObject } from 'openapi3-ts/oas31'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { loadSpec, resolve } from '../../src/http/spec.js'
import { expectConforms } from '../support/contract.js'
import { TOKEN } from '../support/http.js'

const spec = loadSpec()
const doc = spec.document
const RUNS = Number(process.env.TALKOVER_MOCK_FUZZ_RUNS ?? 30)
const SEED = 42

/** Odd strings any text slot gets besides its valid values. */
const ODD = ['', ' ', 'ü', '日本', '%2F', 'a%2Fb', '..', '%00', '%', 'x'.repeat(1000), '<script>', "' OR 1=1", '\u{1F600}', 'null', '[]', '{}']
/** Odd numbers (as text) any number slot gets besides its valid values. */
const ODD_NUMBERS = ['-1', '0', '1.5', '1e309', '99999999999999999999999', 'NaN', 'abc', '0x10', ' 1', '']
/** Ids the world knows, so some requests reach the handlers' deep paths. */
const KNOWN: Record<string, string[]> = {
  agent_id: ['agent-uuid', 'a', 'agent-7'],
  campaign_id: ['campaign-uuid'],
  webhook_id: ['webhook-uuid', 'webhook-uuid-1', 'webhook-uuid-1m'],
  log_id: ['log-uuid-1', 'log-uuid-2'],
  asset: ['app.js', 'app.css'],
}
/** Control headers restricted to values that ask for no injected fault. */
const NO_FAULT: Record<string, string[]> = {
  'x-mock-status': ['200', '404', '422', '100', '600', 'abc', ''],
  prefer: ['code=200', 'code=404', 'respond-async', 'code=abc', ''],
  'x-mock-error-rate': ['0', '-0.5', '2', 'abc', ''],
  'x-mock-fault': ['none', 'RESET', ''],
  'x-mock-latency': ['0', '1-2', '9999999', 'abc', ''],
}

const schemaOf = (s: SchemaObject | undefined): SchemaObject => resolve<SchemaObject>(doc, (s ?? {}) as SchemaObject)

/** Text values from a schema: some valid, some at and past its bounds. */
function textFor(name: string, raw: SchemaObject | undefined): fc.Arbitrary<string> {
  const s = schemaOf(raw)
  const known = KNOWN[name] ?? []
  const valid: fc.Arbitrary<string>[] = known.length ? [fc.constantFrom(...known)] : []
  if (s.enum) valid.push(fc.constantFrom(...s.enum.map(String)))
  if (s.type === 'integer' || s.type === 'number') {
    const bounds = [s.minimum, s.maximum, s.default].filter((v): v is number => typeof v === 'number')
    valid.push(fc.constantFrom(...[...bounds, ...bounds.map((b) => b + 1), ...bounds.map((b) => b - 1), 1].map(String)))
    valid.push(fc.integer({ min: Math.max(-1e9, s.minimum ?? -1e9), max: Math.min(1e9, s.maximum ?? 1e9) }).map(String))
    return fc.oneof(...valid, fc.constantFrom(...ODD_NUMBERS))
  }
  if (s.type === 'boolean') valid.push(fc.constantFrom('true', 'false', '1', '0'))
  if (typeof s.pattern === 'string') valid.push(fc.stringMatching(new RegExp(s.pattern)))
  if (valid.length === 0) valid.push(fc.string({ maxLength: 40 }))
  return fc.oneof({ weight: 3, arbitrary: fc.oneof(...valid) }, { weight: 2, arbitrary: fc.constantFrom(...ODD) })
}

/** A JSON value drawn from a schema (valid most of the time, since the schema guides it). */
function valueFor(raw: SchemaObject | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = schemaOf(raw)
  const alts = (s.oneOf ?? s.anyOf) as SchemaObject[] | undefined
  if (alts?.length) return fc.oneof(...alts.map((a) => valueFor(a, depth + 1)))
  if (s.enum) return fc.constantFrom(...s.enum)
  if ('const' in s) return fc.constant(s.const)
  const type = Array.isArray(s.type) ? s.type[0] : s.type
  switch (type) {
    case 'integer':
      return fc.oneof(fc.integer({ min: Math.max(-1e6, s.minimum ?? -1e6), max: Math.min(1e9, s.maximum ?? 1e9) }), fc.constantFrom(-1, 2 ** 53, 1e308))
    case 'number':
      return fc.oneof(fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true }), fc.constantFrom(-1, 1e308))
    case 'boolean':
      return fc.boolean()
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(valueFor(s.items as SchemaObject, depth + 1), { maxLength: 4 })
    case 'object': {
      if (depth > 3) return fc.constant({})
      const props = Object.entries((s.properties ?? {}) as Record<string, SchemaObject>)
      const required = new Set(s.required ?? [])
      return fc.record(Object.fromEntries(props.map(([k, v]) => [k, valueFor(v, depth + 1)])), {
        requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)),
      })
    }
    case 'string':
      if (s.format === 'uri') return fc.constantFrom('https://example.com/hook', 'http://127.0.0.1:9/x', 'not a url', `https://${'a'.repeat(300)}.com`)
      if (typeof s.pattern === 'string') return fc.oneof(fc.stringMatching(new RegExp(s.pattern)), fc.constantFrom(...ODD))
      return fc.oneof(fc.string({ maxLength: s.maxLength ?? 40 }), fc.constantFrom(...ODD))
    default:
      return fc.oneof(fc.string(), fc.integer(), fc.constant(null))
  }
}

interface Drawn {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
}

/** One request to an operation: path, query, headers and body drawn from its schemas. */
function requestFor(op: (typeof spec.operations)[number]): fc.Arbitrary<Drawn> {
  const params = op.parameters as ParameterObject[]
  const path = params.filter((p) => p.in === 'path')
  const query = params.filter((p) => p.in === 'query')
  const headers = params.filter((p) => p.in === 'header')
  const pathArb = fc.tuple(...path.map((p) => fc.tuple(fc.constant(p.name), textFor(p.name, p.schema as SchemaObject), fc.boolean())))
  const queryPart = (p: ParameterObject) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant('') },
      { weight: 3, arbitrary: textFor(p.name, p.schema as SchemaObject).map((v) => `${p.name}=${encodeURIComponent(v)}`) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(`${p.name}[]=1`, `${p.name}[x]=2`, `${p.name}=1&${p.name}=2`, `${p.name}`, `${p.name}=`, `${p.name.replace('_', '.')}=3`),
      },
    )
  const headerPart = (p: ParameterObject) => {
    const name = p.name.toLowerCase()
    const values = NO_FAULT[name] ? fc.constantFrom(...NO_FAULT[name]) : textFor(p.name, p.schema as SchemaObject)
    // Fetch refuses header values outside Latin-1: those go percent-encoded, as a client would have to.
    return fc.option(
      values.map((v) => [p.name, /^[\x20-\x7e]*$/.test(v) ? v : encodeURIComponent(v)] as const),
      { freq: 2 },
    )
  }
  const body = op.operation.requestBody ? resolve<RequestBodyObject>(doc, op.operation.requestBody) : undefined
  const media = body && Object.entries(body.content ?? {})[0]
  const bodyArb: fc.Arbitrary<{ text?: string; type?: string }> = media
    ? fc.oneof(
        { weight: 4, arbitrary: valueFor(media[1].schema as SchemaObject).map((v) => ({ text: JSON.stringify(v), type: media[0] })) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('[]', '1', '"x"', 'null', '{', '', `{"a":${'1'.repeat(400)}}`).map((text) => ({ text, type: 'application/json' })),
        },
        { weight: 1, arbitrary: valueFor(media[1].schema as SchemaObject).map((v) => ({ text: JSON.stringify(v), type: 'text/plain' })) },
        { weight: 1, arbitrary: fc.constantFrom('a=1&b=2', '').map((text) => ({ text, type: 'application/x-www-form-urlencoded' })) },
        { weight: 1, arbitrary: fc.constant({}) },
      )
    : fc.oneof({ weight: 5, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.constant({ text: '{"unexpected":true}', type: 'application/json' }) })
  const authArb = fc.constantFrom(`Bearer ${TOKEN}`, `Bearer ${TOKEN}`, `Bearer ${TOKEN}`, '', 'Bearer', 'Basic abc', `Bearer ${TOKEN} extra`)
  return fc
    .record({ path: pathArb, query: fc.tuple(...query.map(queryPart)), headers: fc.tuple(...headers.map(headerPart)), body: bodyArb, auth: authArb })
    .map((d) => {
      let url = op.path
      for (const [name, value, encode] of d.path)
        url = url.replace(`{${name}}`, encode || value === '' ? encodeURIComponent(value) : value.replace(/[?#\s]/g, encodeURIComponent))
      const qs = d.query.filter(Boolean).join('&')
      const h: Record<string, string> = Object.fromEntries(d.headers.filter((x): x is readonly [string, string] => x !== null))
      if (d.auth) h.Authorization = d.auth
      if (d.body.type) h['content-type'] = d.body.type
      return { method: op.method.toUpperCase(), url: qs ? `${url}?${qs}` : url, headers: h, body: d.body.text }
    })
}

const app = createApp({ seed: 42, faults: { clock: () => Date.UTC(2024, 0, 15, 12), sleep: async () => {} } })
/** Operations whose requests may change what later requests get (config, clock): reset after each. */
const WRITES_ADMIN = new Set(['updateMockConfig', 'moveMockClock', 'resetMock'])

async function send(d: Drawn, operationId: string): Promise<void> {
  const res = await Promise.resolve(
    app.request(d.url, { method: d.method, headers: d.headers, body: d.method === 'GET' || d.method === 'HEAD' ? undefined : d.body }),
  )
  const text = await res.clone().text()
  const where = `${d.method} ${d.url.slice(0, 300)} ${JSON.stringify(d.headers).slice(0, 300)} body ${String(d.body).slice(0, 200)}\n→ ${res.status} ${text.slice(0, 500)}`
  expect(res.status, where).toBeLessThan(500)
  if (WRITES_ADMIN.has(operationId)) await app.request('/__mock/reset', { method: 'POST' })
  try {
    // A path the router cannot match (an id holding %2F, say) is Laravel's route-level 404, { message }.
    if (res.status === 404 && /^\{"message":/.test(text)) return void (await expectConforms(res, null))
    await expectConforms(res, operationId)
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${where}`)
  }
}

describe('a request fuzzer generated from openapi.yaml', () => {
  it('walks every path and method of openapi.yaml', () => {
    const declared = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object)
        .filter((m) => ['get', 'put', 'post', 'delete', 'patch'].includes(m))
        .map((m) => `${m} ${path}`),
    )
    expect(spec.operations.map((op) => `${op.method} ${op.path}`).sort()).toEqual(declared.sort())
  })

  it('answers POST /__mock/clock with an invalid ?session= with a documented 422 (Laravel validation body)', async () => {
    await send(
      { method: 'POST', url: '/__mock/clock?session=%3Cscript%3E', headers: { 'content-type': 'application/json' }, body: '{"advance":60}' },
      'moveMockClock',
    )
  })

  it('answers POST /__mock/receiver-check with a form body with the documented 415', async () => {
    await send(
      { method: 'POST', url: '/__mock/receiver-check', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=2' },
      'checkMockReceiver',
    )
  })

  it('answers /__mock/ui/<65 characters> with the JSON 404 of an unknown route, as any other unknown asset', async () => {
    const res = await Promise.resolve(app.request(`/__mock/ui/${'x'.repeat(65)}`))
    expect(res.status).toBe(404)
    await send({ method: 'GET', url: `/__mock/ui/${'x'.repeat(1000)}`, headers: {} }, 'getMockUiAsset')
  })

  it('answers a method a path does not declare with 405 and a { message } body, never a 5xx', async () => {
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => KNOWN[name]?.[0] ?? 'x')
      for (const method of ['get', 'put', 'post', 'delete', 'patch'].filter((m) => !(m in (item as object)))) {
        const res = await Promise.resolve(app.request(url, { method: method.toUpperCase(), headers: { Authorization: `Bearer ${TOKEN}` } }))
        expect(res.status, `${method} ${url}`).toBe(405)
        await expectConforms(res, null)
      }
    }
  })

  for (const op of spec.operations) {
    it(`answers ${op.operationId} (${op.method.toUpperCase()} ${op.path}) without a 5xx, with a declared status and body`, async () => {
      await fc.assert(
        fc.asyncProperty(requestFor(op), (d) => send(d, op.operationId)),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      )
    })
  }
})
