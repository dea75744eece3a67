// Query strings and ids read the way the real API's stack (PHP, Laravel, PostgreSQL) reads them:
// the last of repeated parameters wins, `name[]` makes an array that fails `integer`, dots and
// spaces in names become underscores, and a log id in UUID form matches in any letter case.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { startServer } from '../../src/server.js'
import { readQuery } from '../../src/http/query.js'
import { expectConforms } from '../support/contract.js'
import { DOCS_LOGS, auth, get, send } from '../support/http.js'

const app = createApp()
const page = async (query: string) => (await expectConforms(await get(app, `${DOCS_LOGS}?${query}`), 'listWebhookLogs')).pagination

describe('repeated and bracketed parameters, like PHP', () => {
  it('lets the last of repeated parameters win', async () => {
    expect(await page('page=1&page=2')).toMatchObject({ current_page: 2 })
    expect(await page('per_page=5&per_page=7&page=1')).toMatchObject({ per_page: 7 })
    // An empty last value is Laravel's null: the default.
    expect(await page('per_page=5&per_page=')).toMatchObject({ per_page: 25 })
  })

  it.each(['page[]=2', 'page[x]=2', 'page[]=1&page[]=2'])('answers %s with Laravel\'s 422 "must be an integer"', async (query) => {
    const res = await get(app, `${DOCS_LOGS}?${query}`)
    expect(res.status).toBe(422)
    expect(await expectConforms(res, 'listWebhookLogs')).toEqual({
      message: 'The given data was invalid.',
      errors: { page: ['The page field must be an integer.'] },
    })
  })

  it('reads a plain value after a bracketed one as PHP does (the last wins)', async () => {
    expect(await page('page[]=3&page=2')).toMatchObject({ current_page: 2 })
  })

  it('reads dots and spaces in a name as underscores, as PHP does', async () => {
    expect(await page('per.page=9')).toMatchObject({ per_page: 9 })
    expect(await page('per%20page=8')).toMatchObject({ per_page: 8 })
  })

  it('reads the query the same way on a real socket', async () => {
    const server = await startServer()
    try {
      const last = await fetch(`${server.url}${DOCS_LOGS}?page=1&page=2`, { headers: auth() })
      expect((await last.json()).pagination.current_page).toBe(2)
      const bracket = await fetch(`${server.url}${DOCS_LOGS}?page%5B%5D=2`, { headers: auth() })
      expect(bracket.status).toBe(422)
      await bracket.arrayBuffer()
    } finally {
      await server.close()
    }
  })

  it.each([
    ['http://x/p', {}],
    ['http://x/p?', {}],
    ['http://x/p?page=2&page=3', { page: '3' }],
    ['http://x/p?page%5B%5D=2', { page: ['2'] }],
    ['http://x/p?page[]=2&page[]=4', { page: ['2', '4'] }],
    ['http://x/p?per_page=a+b&other=1', { per_page: 'a b' }],
    ['http://x/p?page=1#page=9', { page: '1' }],
    ['http://x/p?page', { page: '' }],
  ])('reads %s', (url, expected) => {
    expect(readQuery(url, ['page', 'per_page'])).toEqual(expected)
  })
})

describe('log ids', () => {
  it('retries a log whose UUID is written in upper case, answering the stored id', async () => {
    const app = createApp({ seed: 42 })
    const logs = '/api/v1/agents/a/webhooks/w/logs'
    const list = await expectConforms(await get(app, `${logs}?per_page=100`), 'listWebhookLogs')
    const failed = (list.data as { id: string; status: string }[]).find((row) => row.status === 'failed' && /^[0-9a-f-]{36}$/.test(row.id))!
    expect(failed).toBeDefined()
    const res = await send(app, 'POST', `${logs}/${failed.id.toUpperCase()}/retry`)
    expect(res.status).toBe(200)
    expect((await expectConforms(res, 'retryWebhookLog')).data.original_log_id).toBe(failed.id)
  })
})
