// `check-receiver --webhook` against an address that never answers, or a mock whose check never
// ends: it gives up after its own deadlines (injected, short) with a sentence saying which.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { CheckUsageError, checkReceiver, parseCheck } from '../../src/receiver-check/command.js'

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((done) => server?.close(done) ?? done(undefined))
})

/** A server answering health with `health`, and never answering anything else. */
const fakeMock = async (health: boolean) => {
  server = createServer((req, res) => {
    if (health && req.url === '/__mock/health') res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}')
  })
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}
const io = { wallClock: Date.now, newId: () => 'msg_1', reachMs: 100, deadlineMs: 300 }
const failure = async (from: string) => {
  const request = parseCheck(['--webhook', 'dev-agent/local', '--from', from], {})!
  return checkReceiver(request, io).then(
    () => undefined,
    (error: unknown) => error,
  )
}

describe('check-receiver --webhook reaching the mock', () => {
  it('gives up on an address that never answers after the short reach deadline, saying so', async () => {
    const error = await failure(await fakeMock(false))
    expect(error).toBeInstanceOf(CheckUsageError)
    expect((error as Error).message).toMatch(
      /^Failed to reach talkover-mock at http:\/\/127\.0\.0\.1:\d+ \(no answer to GET \/__mock\/health within 0\.1 s\)\. /,
    )
  })

  it("gives up on a mock whose check outlasts the check's own budget, without blaming the mock for not running", async () => {
    const error = await failure(await fakeMock(true))
    expect(error).toBeInstanceOf(CheckUsageError)
    expect((error as Error).message).toMatch(/^talkover-mock at http:\/\/127\.0\.0\.1:\d+ did not finish the check within 0\.3 s, /)
    expect((error as Error).message).not.toMatch(/start it/i)
  })
})
