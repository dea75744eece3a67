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
  it('passes a correct receiver that answers every request just within the timeout: the budget never stops it', async () => {
    let now = 1_700_000_000_000
    const sent: SendRequest[] = []
    // Each answer takes 4.9 s of a 5 s timeout: slow, but correct.
    const send = async (req: SendRequest): Promise<SendResult> => {
      sent.push(req)
      now += 4900
      return { kind: 'response', status: 200, headers: {}, body: '', truncated: false, durationMs: 4900 }
    }
    let n = 0
    const report = await runChecks({ target, url: new URL(target.url), timeoutMs: 5000, wallClock: () => now, newId: () => `msg_${++n}`, send })
    expect(report.checks.filter((c) => c.note.startsWith('not sent'))).toEqual([])
    expect(sent.length).toBe(report.checks.reduce((k, c) => k + c.requests.length, 0))
    expect(report.checks.every((c) => c.requests.length > 0)).toBe(true)
  })

  it('stops sending once (requests + 1) × the timeout has passed, failing the checks left unsent', async () => {
    let now = 1_700_000_000_000
    const sent: SendRequest[] = []
    // Each answer takes 3 s of a 1 s timeout (a sender that overruns): the budget is the safety net.
    const send = async (req: SendRequest): Promise<SendResult> => {
      sent.push(req)
      now += 3000
      return { kind: 'response', status: 200, headers: {}, body: '', truncated: false, durationMs: 3000 }
    }
    let n = 0
    const report = await runChecks({ target, url: new URL(target.url), timeoutMs: 1000, wallClock: () => now, newId: () => `msg_${++n}`, send })
    const total = report.checks.length + 2 // the duplicate and the rotated signature send two requests each
    expect(report.outcome).toBe('failed')
    const unsent = report.checks.filter((c) => c.requests.length === 0)
    expect(unsent.length).toBeGreaterThan(0)
    expect(unsent[0]).toMatchObject({
      verdict: 'fail',
      note: `not sent: the check ran out of its ${total + 1} s (${total + 1} requests' worth of the 1 s timeout); the receiver answers slower than its timeout.`,
    })
    expect(sent.length * 3).toBeLessThanOrEqual(total + 1 + 3)
  })

  it('stops after three timeouts in all, even when they are not in a row', async () => {
    const sent: SendRequest[] = []
    const send = async (req: SendRequest): Promise<SendResult> => {
      sent.push(req)
      return sent.length % 2 === 0
        ? { kind: 'error', error: 'Connection timed out after 1000 ms', durationMs: 1000 }
        : { kind: 'response', status: 200, headers: {}, body: '', truncated: false, durationMs: 1 }
    }
    let n = 0
    const report = await runChecks({ target, url: new URL(target.url), timeoutMs: 1000, wallClock: () => 0, newId: () => `msg_${++n}`, send })
    expect(sent).toHaveLength(6)
    expect(report.checks[6]).toMatchObject({ verdict: 'fail', requests: [], note: 'not sent: the receiver did not answer 3 requests within 1 s.' })
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
