// An empty session name or an empty X-Mock-* header is a mistake, never "everything": the admin
// API answers 422 to `?session=` without acting, and an empty control header is answered like any
// invalid value of that header.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, get, send } from '../support/http.js'

const json = { 'content-type': 'application/json' }

describe('an empty ?session= on the admin API', () => {
  it('refuses PATCH /__mock/config?session= with 422 and leaves the global config as it was', async () => {
    const app = createApp()
    const res = await app.request('/__mock/config?session=', { method: 'PATCH', headers: json, body: '{"error_rate":0.5}' })
    expect(res.status).toBe(422)
    const body = await expectConforms(res, 'updateMockConfig')
    expect(body.errors.session).toBeDefined()
    expect((await (await app.request('/__mock/config')).json()).data.error_rate).toBe(0)
  })

  it('refuses POST /__mock/reset?session= with 422 and resets no session', async () => {
    const app = createApp()
    await send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`, undefined, { 'X-Mock-Session': 'keep-me' })
    await app.request('/__mock/clock?session=keep-me', { method: 'POST', headers: json, body: '{"advance":60}' })
    const res = await app.request('/__mock/reset?session=', { method: 'POST' })
    expect(res.status).toBe(422)
    await expectConforms(res, 'resetMock')
    const list = await expectConforms(await get(app, DOCS_LOGS, { 'X-Mock-Session': 'keep-me' }), 'listWebhookLogs')
    expect(list.pagination.total).toBe(248)
    expect((await (await app.request('/__mock/clock?session=keep-me')).json()).data.now).toBe('2024-01-15T12:01:00Z')
  })

  it.each([
    ['getMockConfig', 'GET', '/__mock/config?session='],
    ['getMockClock', 'GET', '/__mock/clock?session='],
    ['moveMockClock', 'POST', '/__mock/clock?session='],
    ['listMockRequests', 'GET', '/__mock/requests?session='],
  ])('answers %s with an empty session 422', async (operationId, method, url) => {
    const app = createApp()
    const res = await app.request(url, { method, headers: json, body: method === 'GET' ? undefined : '{"advance":60}' })
    expect(res.status).toBe(422)
    await expectConforms(res, operationId)
    expect((await (await app.request('/__mock/clock')).json()).data.now).toBe('2024-01-15T12:00:00Z')
  })
})

describe('an empty X-Mock-* header', () => {
  it.each([
    ['X-Mock-Session', 400],
    ['X-Mock-Seed', 400],
    ['X-Mock-Now', 422],
    ['X-Mock-Status', 400],
    ['X-Mock-Latency', 400],
    ['X-Mock-Error-Rate', 400],
    ['X-Mock-Fault', 400],
  ])('answers an empty %s like an invalid one (%i), with a sentence', async (name, status) => {
    const app = createApp()
    const res = await get(app, DOCS_LOGS, { [name]: '' })
    expect(res.status).toBe(status)
    const body = await expectConforms(res, 'listWebhookLogs')
    expect(body.message).toBe(`Invalid ${name} header "": ${body.message.split('": ')[1]}`)
    expect(body.message).toMatch(/use .+\.$/)
  })

  it('answers an empty X-Mock-Retry-Outcome on a retry 400 and queues nothing', async () => {
    const app = createApp()
    const res = await send(app, 'POST', `${DOCS_LOGS}/log-uuid-2/retry`, undefined, { 'X-Mock-Retry-Outcome': '' })
    expect(res.status).toBe(400)
    await expectConforms(res, 'retryWebhookLog')
    expect((await expectConforms(await get(app, DOCS_LOGS), 'listWebhookLogs')).pagination.total).toBe(247)
  })

  it('still treats an empty query parameter of the Talkover API as absent, as Laravel does', async () => {
    const app = createApp()
    const body = await expectConforms(await get(app, `${DOCS_LOGS}?per_page=&page=`), 'listWebhookLogs')
    expect(body.pagination).toMatchObject({ current_page: 1, per_page: 25 })
  })
})
