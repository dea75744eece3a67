// Request bodies are validated from openapi.yaml and fail like Laravel: 422, one key per bad field,
// Laravel 10's message for the first rule that fails (the docs quote two of them).
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { expectConforms } from '../support/contract.js'
import { get, send } from '../support/http.js'

const AGENT = '/api/v1/agents/agent-uuid/webhooks'
const CAMPAIGN = '/api/v1/campaigns/campaign-uuid/webhooks'
const VALID = { name: 'CRM sync', webhook_url: 'https://crm.example.com/hooks', events: ['event_phone_call_ended'] }
const app = createApp()

async function errorsOf(method: string, url: string, operationId: string, body: unknown) {
  const res = await send(app, method, url, body)
  const json = await expectConforms(res, operationId)
  expect(res.status).toBe(422)
  expect(json.message).toBe('The given data was invalid.')
  return json.errors
}

describe('creating an agent webhook with a bad body', () => {
  it("answers the docs' own example body, byte for byte", async () => {
    const res = await send(app, 'POST', AGENT, { name: 'x', events: [] })
    expect(res.status).toBe(422)
    await expectConforms(res, 'createAgentWebhook')
    expect(await res.text()).toBe(
      '{"message":"The given data was invalid.","errors":{"webhook_url":["The webhook url field is required."],"events":["The events field must contain at least 1 items."]}}',
    )
  })

  it.each([
    ['nothing', {}, { name: ['The name field is required.'], webhook_url: ['The webhook url field is required.'], events: ['The events field is required.'] }],
    ['a long name', { name: 'n'.repeat(256) }, { name: ['The name field must not be greater than 255 characters.'] }],
    ['a number for a name', { name: 5 }, { name: ['The name field must be a string.'] }],
    ['a URL without a scheme', { webhook_url: 'example.com/hook' }, { webhook_url: ['The webhook url field must be a valid URL.'] }],
    [
      'a long URL',
      { webhook_url: `https://example.com/${'a'.repeat(500)}` },
      { webhook_url: ['The webhook url field must not be greater than 500 characters.'] },
    ],
    ['a long invalid URL (url is checked before max)', { webhook_url: 'x'.repeat(600) }, { webhook_url: ['The webhook url field must be a valid URL.'] }],
    ['a string for events', { events: 'event_action' }, { events: ['The events field must be an array.'] }],
    ['an unknown event', { events: ['event_action', 'event_unknown'] }, { 'events.1': ['The selected events.1 is invalid.'] }],
    ['a campaign event', { events: ['campaign.started'] }, { 'events.0': ['The selected events.0 is invalid.'] }],
    ['a timeout under 5', { timeout: 4 }, { timeout: ['The timeout field must be at least 5.'] }],
    ['a timeout over 120', { timeout: 121 }, { timeout: ['The timeout field must not be greater than 120.'] }],
    ['a fractional timeout', { timeout: 30.5 }, { timeout: ['The timeout field must be an integer.'] }],
    ['a string timeout', { timeout: 'abc' }, { timeout: ['The timeout field must be an integer.'] }],
    ['max_retries over 10', { max_retries: 11 }, { max_retries: ['The max retries field must not be greater than 10.'] }],
    ['negative max_retries', { max_retries: -1 }, { max_retries: ['The max retries field must be at least 0.'] }],
    ['enabled as a word', { enabled: 'yes' }, { enabled: ['The enabled field must be true or false.'] }],
    ['GET as http_method', { http_method: 'GET' }, { http_method: ['The selected http method is invalid.'] }],
    ['an unknown authorization scheme', { authorization_scheme: 'oauth' }, { authorization_scheme: ['The selected authorization scheme is invalid.'] }],
    ['a long secret', { webhook_secret: 's'.repeat(256) }, { webhook_secret: ['The webhook secret field must not be greater than 255 characters.'] }],
    ['a header without a value', { custom_headers: [{ key: 'X-Env' }] }, { 'custom_headers.0.value': ['The custom headers.0.value field is required.'] }],
  ])('answers one key per bad field: %s', async (_name, change, expected) => {
    const body = Object.keys(change).length === 0 ? {} : { ...VALID, ...change }
    expect(await errorsOf('POST', AGENT, 'createAgentWebhook', body)).toEqual(expected)
  })

  it('reports every bad field at once', async () => {
    const errors = await errorsOf('POST', AGENT, 'createAgentWebhook', {
      name: 'x',
      webhook_url: 'nope',
      events: ['event_action'],
      timeout: 1,
      max_retries: 99,
    })
    expect(Object.keys(errors).sort()).toEqual(['max_retries', 'timeout', 'webhook_url'])
  })

  it('counts null and "" as not sent, as Laravel does', async () => {
    expect(await errorsOf('POST', AGENT, 'createAgentWebhook', { ...VALID, name: '', webhook_url: null })).toEqual({
      name: ['The name field is required.'],
      webhook_url: ['The webhook url field is required.'],
    })
  })

  it('reads malformed JSON or a non-object as no input: the required fields are missing', async () => {
    for (const text of ['{"name": "x",', '[1,2]', '"hello"']) {
      expect(Object.keys(await errorsOf('POST', AGENT, 'createAgentWebhook', text)).sort()).toEqual(['events', 'name', 'webhook_url'])
    }
  })

  it('ignores fields it does not know and accepts every documented one', async () => {
    const full = {
      ...VALID,
      webhook_secret: 's3cret',
      timeout: 5,
      max_retries: 0,
      enabled: false,
      http_method: 'PATCH',
      authorization_scheme: 'bearer',
      custom_headers: [{ key: 'X-Env', value: 'ci' }],
      colour: 'blue',
    }
    const res = await send(app, 'POST', AGENT, full)
    expect(res.status).toBe(201)
    const { data } = await expectConforms(res, 'createAgentWebhook')
    expect(data).toMatchObject({ timeout: 5, max_retries: 0, enabled: false, status: 'disabled' })
    expect(data).not.toHaveProperty('webhook_secret')
    expect(data).not.toHaveProperty('colour')
  })

  it('checks the token first', async () => {
    const res = await app.request(AGENT, { method: 'POST', body: '{}' })
    expect(res.status).toBe(401)
  })
})

describe('updating with a bad body', () => {
  it('applies the create rules to the fields sent, and requires none', async () => {
    expect(await errorsOf('PUT', `${AGENT}/webhook-uuid`, 'updateAgentWebhook', { events: [], timeout: 4 })).toEqual({
      events: ['The events field must contain at least 1 items.'],
      timeout: ['The timeout field must be at least 5.'],
    })
    expect(await errorsOf('PUT', `${CAMPAIGN}/webhook-uuid-1`, 'updateCampaignWebhook', { include_call_events: 'x', events: ['event_action'] })).toEqual({
      include_call_events: ['The include call events field must be true or false.'],
      'events.0': ['The selected events.0 is invalid.'],
    })
  })

  it('changes nothing for malformed JSON, which Laravel reads as no input', async () => {
    const before = await (await get(app, `${AGENT}/webhook-uuid`)).json()
    const res = await send(app, 'PUT', `${AGENT}/webhook-uuid`, '{"timeout": 4')
    expect(res.status).toBe(200)
    expect((await expectConforms(res, 'updateAgentWebhook')).data).toEqual(before.data)
  })
})

describe('creating a campaign webhook with a bad body', () => {
  it('requires the same fields and takes campaign events only', async () => {
    expect(await errorsOf('POST', CAMPAIGN, 'createCampaignWebhook', { name: 'x', webhook_url: 'https://example.com', events: ['event_action'] })).toEqual({
      'events.0': ['The selected events.0 is invalid.'],
    })
    expect(Object.keys(await errorsOf('POST', CAMPAIGN, 'createCampaignWebhook', {})).sort()).toEqual(['events', 'name', 'webhook_url'])
  })
})
