// `talkover-mock trigger`: argument reading, and the request it makes to a real running mock
// (startServer on port 0) that delivers to a real receiver. The binary itself is in test/cli.test.ts.
import { afterEach, describe, expect, it } from 'vitest'
import { parseTrigger, trigger, TriggerUsageError } from '../../src/delivery/trigger.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { auth } from '../support/http.js'
import { startReceiver, type TestReceiver } from '../support/receiver.js'

const running: (RunningServer | TestReceiver)[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()))
})

describe('parseTrigger', () => {
  it('reads the event, the webhook and the options', () => {
    expect(parseTrigger(['event_phone_call_ended', '--webhook', 'agent-uuid/webhook-uuid'], {})).toEqual({
      url: 'http://127.0.0.1:4010',
      session: undefined,
      adminToken: undefined,
      body: { agent_id: 'agent-uuid', webhook_id: 'webhook-uuid', event: 'event_phone_call_ended' },
    })
    expect(
      parseTrigger(['campaign_call.completed', '--webhook', 'c/w', '--campaign', '--url', 'http://mock:4010/', '--payload', '{"a":1}', '--session', 's'], {
        TALKOVER_MOCK_ADMIN_TOKEN: 't',
      }),
    ).toEqual({
      url: 'http://mock:4010',
      session: 's',
      adminToken: 't',
      body: { campaign_id: 'c', webhook_id: 'w', event: 'campaign_call.completed', payload: { a: 1 } },
    })
    expect(parseTrigger(['--help'], {})).toBeUndefined()
  })

  it.each([
    [[], /^Name one event to trigger/],
    [['e'], /^Invalid --webhook "": use <agent_id>\/<webhook_id>/],
    [['e', '--webhook', 'only-one'], /^Invalid --webhook "only-one"/],
    [['e', '--webhook', 'a/w', '--payload', '[1]'], /^Invalid --payload: use a JSON object/],
    [['e', '--webhook', 'a/w', '--url', 'ftp://x'], /^Invalid --url "ftp:\/\/x"/],
    [['e', '--webhook', 'a/w', '--nope'], /Run talkover-mock trigger --help/],
  ])('refuses %j with one sentence', (argv, message) => {
    expect(() => parseTrigger(argv as string[], {})).toThrow(TriggerUsageError)
    expect(() => parseTrigger(argv as string[], {})).toThrow(message)
  })
})

describe('trigger against a running mock', () => {
  it('delivers the event to the receiver and says where to follow it', async () => {
    const receiver = await startReceiver()
    const server = await startServer({ deliver: 'live' })
    running.push(receiver, server)
    const created = await fetch(`${server.url}/api/v1/agents/agent-uuid/webhooks`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'R', webhook_url: receiver.url, events: ['event_phone_call_ended'] }),
    }).then((r) => r.json())
    const request = parseTrigger(['event_phone_call_ended', '--webhook', `agent-uuid/${created.data.id}`, '--url', server.url], {})!
    const result = await trigger(request, fetch)
    expect(result).toEqual({
      ok: true,
      message: expect.stringMatching(
        new RegExp(
          `^Delivery queued: event_phone_call_ended to webhook ${created.data.id} \\(first attempt [0-9a-f-]{36}\\)\\. Follow it: GET ${server.url}/api/v1/agents/agent-uuid/webhooks/${created.data.id}/logs$`,
        ),
      ),
    })
    const [got] = await receiver.waitFor(1)
    expect(JSON.parse(got.body)).toMatchObject({ agent_id: 'agent-uuid' })
  })

  it("passes the mock's refusal on, and names an unreachable mock", async () => {
    const server = await startServer()
    running.push(server)
    const off = await trigger(parseTrigger(['e', '--webhook', 'agent-uuid/webhook-uuid', '--url', server.url], {})!, fetch)
    expect(off).toEqual({
      ok: false,
      message:
        'talkover-mock answered 409: Live delivery is off: start talkover-mock with --deliver live (or TALKOVER_MOCK_DELIVER=live) to send real webhooks.',
    })
    await server.close()
    running.pop()
    const gone = await trigger(parseTrigger(['e', '--webhook', 'a/w', '--url', server.url], {})!, fetch)
    expect(gone).toEqual({
      ok: false,
      message: `Failed to reach talkover-mock at ${server.url} (ECONNREFUSED). Please start it (talkover-mock --deliver live) or pass its address with --url.`,
    })
  })
})
