// The run's bounds, with an injected sender and clock (no receiver, no waiting), and over a real
// socket: a client that leaves stops its check.
import { afterEach, describe, expect, it } from 'vitest'
import type { Target } from '../../src/delivery/attempt.js'
import type { SendRequest, SendResult } from '../../src/delivery/send.js'
import { runChecks } from '../../src/receiver-check/run.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { startReceiver, type TestReceiver } from '../support/receiver.js'

const target: Target = {
  owner: 'agent',
  ownerId: '',
  webhookId: '',
  url: 'http://127.0.0.1:1/hook',
  method: 'POST',
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  customHeaders: [],
  timeout: 1,
  maxRetries: 0,
  enabled: true,
}

describe('runChecks', () => {
  it('stops sending once 10 × the timeout has passed, failing the checks left unsent', async () => {
    let now = 1_700_000_000_000
    const sent: SendRequest[] = []
    // Each answer takes 900 ms of a 1 s timeout: never a timeout, always slow.
    const send = async (req: SendRequest): Promise<SendResult> => {
      sent.push(req)
      now += 900
      return { kind: 'response', status: 200, headers: {}, body: '', truncated: false, durationMs: 900 }
    }
    let n = 0
    const report = await runChecks({ target, url: new URL(target.url), timeoutMs: 1000, wallClock: () => now, newId: () => `msg_${++n}`, send })
    expect(sent).toHaveLength(12)
    expect(report.outcome).toBe('failed')
    expect(report.checks[12]).toMatchObject({
      verdict: 'fail',
      requests: [],
      note: 'not sent: the check ran out of its 10 s (10 × the timeout); the receiver answers too slowly.',
    })
  })
})

describe('POST /__mock/receiver-check over a socket', () => {
  let server: RunningServer | undefined
  let receiver: TestReceiver | undefined
  afterEach(async () => {
    await server?.close()
    await receiver?.close()
  })

  it('stops the check when the client leaves: no request is sent after it', async () => {
    receiver = await startReceiver(['hang'])
    server = await startServer({ deliver: 'live', port: 0 })
    const client = new AbortController()
    const asked = fetch(`${server.url}/__mock/receiver-check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, secret: target.secret, timeout: 1 }),
      signal: client.signal,
    }).catch(() => undefined)
    await receiver.waitFor(1)
    client.abort()
    await asked
    await new Promise((done) => setTimeout(done, 2500))
    expect(receiver.received).toHaveLength(1)
  })
})
