import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { checkBearer } from '../../src/http/auth.js'
import { paginate } from '../../src/world/paginate.js'
import { mountSpec } from '../../src/http/routes.js'
import { parseSpec, SpecError } from '../../src/http/spec.js'
import { compileValidators } from '../../src/http/validate.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, auth, get } from '../support/http.js'

const app = createApp()

describe('authentication', () => {
  it.each([
    ['no header', undefined, 'missingToken'],
    ['a Basic scheme', 'Basic dXNlcjpwYXNz', 'missingToken'],
    ['Bearer with nothing after it', 'Bearer ', 'missingToken'],
    ['a token without talq_', 'Bearer abc123', 'invalidToken'],
    ['a talq_ token', 'Bearer talq_abc', undefined],
    ['a lower-case scheme', 'bearer talq_abc', undefined],
  ])('classifies %s', (_name, header, expected) => {
    expect(checkBearer(header, {})).toBe(expected)
  })

  it('accepts only the --token when one is configured', () => {
    expect(checkBearer('Bearer talq_other', { token: 'talq_ci' })).toBe('invalidToken')
    expect(checkBearer('Bearer talq_ci', { token: 'talq_ci' })).toBeUndefined()
  })

  it('answers a request without a token with the docs body', async () => {
    const res = await app.request(DOCS_LOGS)
    expect(res.status).toBe(401)
    expect(await expectConforms(res, 'listWebhookLogs')).toEqual({ message: 'Missing Bearer Token' })
  })

  it('answers a non-talq_ token with Invalid token', async () => {
    const res = await app.request(DOCS_LOGS, { headers: auth('not-a-talkover-token') })
    expect(res.status).toBe(401)
    expect(await expectConforms(res, 'listWebhookLogs')).toEqual({ success: false, message: 'Invalid token' })
  })

  it('rejects other talq_ tokens when started with a token', async () => {
    const locked = createApp({ token: 'talq_ci' })
    expect((await get(locked, DOCS_LOGS, auth('talq_other'))).status).toBe(401)
    expect((await get(locked, DOCS_LOGS, auth('talq_ci'))).status).toBe(200)
  })

  it('refuses a --token that is not a talq_ token at start-up', () => {
    // The rejected value is never quoted back: it may be a real secret.
    expect(() => createApp({ token: 'secret' })).toThrow(/^Invalid token: use a token that starts with talq_/)
    expect(() => createApp({ token: 'secret' })).not.toThrow(/"secret"/)
  })
})

describe('parameter validation', () => {
  it.each([
    ['per_page=0', 'per_page', 'The per page field must be at least 1.'],
    ['per_page=101', 'per_page', 'The per page field must not be greater than 100.'],
    ['per_page=-1', 'per_page', 'The per page field must be at least 1.'],
    ['per_page=1.5', 'per_page', 'The per page field must be an integer.'],
    ['per_page=abc', 'per_page', 'The per page field must be an integer.'],
    ['per_page=1e2', 'per_page', 'The per page field must be an integer.'],
    ['page=0', 'page', 'The page field must be at least 1.'],
    ['page=x', 'page', 'The page field must be an integer.'],
  ])('answers ?%s with 422 naming %s', async (query, field, message) => {
    const res = await get(app, `${DOCS_LOGS}?${query}`)
    expect(res.status).toBe(422)
    const body = await expectConforms(res, 'listWebhookLogs')
    expect(body).toEqual({ message: 'The given data was invalid.', errors: { [field]: [message] } })
  })

  it('names every invalid field at once', async () => {
    const res = await get(app, `${DOCS_LOGS}?page=0&per_page=500`)
    const body = await expectConforms(res, 'listWebhookLogs')
    expect(Object.keys(body.errors).sort()).toEqual(['page', 'per_page'])
  })

  it('applies the defaults page=1 and per_page=25, also for empty values', async () => {
    for (const query of ['', '?per_page=&page=']) {
      const body = await expectConforms(await get(app, `${DOCS_LOGS}${query}`), 'listWebhookLogs')
      expect(body.pagination.current_page).toBe(1)
      expect(body.pagination.per_page).toBe(25)
    }
  })

  it('answers a bad X-Mock-Seed with 400 and how to fix it', async () => {
    const res = await get(app, DOCS_LOGS, { 'X-Mock-Seed': 'abc' })
    expect(res.status).toBe(400)
    const body = await expectConforms(res, 'listWebhookLogs')
    expect(body.message).toBe('Invalid X-Mock-Seed header "abc": use a whole number from 0 to 4294967295, like 42.')
  })
})

describe('pagination math', () => {
  it.each([
    [247, 1, 50, 0, 50, 5],
    [247, 5, 50, 200, 47, 5],
    [247, 6, 50, 250, 0, 5],
    [0, 1, 25, 0, 0, 1],
    [100, 1, 100, 0, 100, 1],
    [101, 2, 100, 100, 1, 2],
    [1, 1, 1, 0, 1, 1],
  ])('total %i, page %i, per_page %i → offset %i, %i rows, last_page %i', (total, page, perPage, offset, count, lastPage) => {
    const w = paginate(total, page, perPage)
    expect(w).toEqual({ offset, count, pagination: { current_page: page, per_page: perPage, total, last_page: lastPage } })
  })

  it('answers a page past the end with 200 and no rows', async () => {
    const first = await expectConforms(await get(app, DOCS_LOGS), 'listWebhookLogs')
    const past = first.pagination.last_page + 1
    const res = await get(app, `${DOCS_LOGS}?page=${past}`)
    expect(res.status).toBe(200)
    const body = await expectConforms(res, 'listWebhookLogs')
    expect(body.data).toEqual([])
    expect(body.pagination.total).toBe(first.pagination.total)
  })
})

describe('routing', () => {
  it('answers an unknown route with Laravel JSON 404', async () => {
    const res = await app.request('/api/v1/nothing-here')
    expect(res.status).toBe(404)
    expect(await expectConforms(res, null)).toEqual({ message: 'The route api/v1/nothing-here could not be found.' })
  })

  it.each([
    ['/', 'The route / could not be found.'],
    ['/api/v1/nothing-here/', 'The route api/v1/nothing-here could not be found.'],
  ])('names %s as Laravel does: request->path(), slashes trimmed, "/" for the root', async (path, message) => {
    const res = await app.request(path)
    expect(res.status).toBe(404)
    expect(await expectConforms(res, null)).toEqual({ message })
  })

  it('answers a wrong method with 405 and Allow', async () => {
    const res = await app.request(DOCS_LOGS, { method: 'DELETE' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, HEAD')
    expect((await expectConforms(res, null)).message).toMatch(/^The DELETE method is not supported for route api\/v1\/agents\/agent-uuid/)
  })

  it('answers an operation without a handler with 501 JSON', async () => {
    const spec = parseSpec('openapi: 3.1.0\npaths:\n  /ping:\n    get: {operationId: ping}\n')
    const bare = new Hono()
    mountSpec(bare, spec, { handlers: {}, validators: compileValidators(spec), auth: {} })
    const res = await bare.request('/ping')
    expect(res.status).toBe(501)
    expect(await res.json()).toEqual({ success: false, message: 'talkover-mock does not implement ping yet.' })
  })

  it('refuses to start when a served operation is missing from the spec', () => {
    const spec = parseSpec('openapi: 3.1.0\npaths: {}\n')
    expect(() => mountSpec(new Hono(), spec, { handlers: { listWebhookLogs: () => new Response() }, validators: new Map(), auth: {} })).toThrow(
      'openapi.yaml has no operation "listWebhookLogs", which talkover-mock serves; restore it or update the handler table.',
    )
  })

  it('serves the spec as YAML and JSON', async () => {
    const yaml = await app.request('/openapi.yaml')
    expect(yaml.status).toBe(200)
    expect(await expectConforms(yaml, 'getOpenApiYaml')).toMatch(/^openapi: 3\.1\.0/)
    const json = await expectConforms(await app.request('/openapi.json'), 'getOpenApiJson')
    expect(json.paths['/api/v1/agents/{agent_id}/webhooks/{webhook_id}/logs'].get.operationId).toBe('listWebhookLogs')
  })

  it('answers health and readiness without a token', async () => {
    expect(await expectConforms(await app.request('/__mock/health'), 'getMockHealth')).toEqual({ status: 'ok' })
    expect(await expectConforms(await app.request('/__mock/ready'), 'getMockReady')).toEqual({ status: 'ready' })
  })
})

describe('spec checks at start-up', () => {
  it.each([
    ['a 3.0 document', 'openapi: 3.0.3\npaths: {}\n', /needs an OpenAPI 3\.1\.x document/],
    ['broken YAML', 'openapi: [', /is not valid YAML/],
    ['an operation without operationId', 'openapi: 3.1.0\npaths:\n  /x:\n    get: {}\n', /GET \/x has no operationId/],
    ['a duplicate operationId', 'openapi: 3.1.0\npaths:\n  /x:\n    get: {operationId: a}\n  /y:\n    get: {operationId: a}\n', /used twice/],
    ['an undeclared path parameter', 'openapi: 3.1.0\npaths:\n  /x/{id}:\n    get: {operationId: a}\n', /uses \{id\} but declares no path parameter/],
  ])('rejects %s with one sentence', (_name, text, message) => {
    expect(() => parseSpec(text)).toThrow(SpecError)
    expect(() => parseSpec(text)).toThrow(message)
  })
})
