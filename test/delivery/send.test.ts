// The sender against real receivers on 127.0.0.1 (port 0): answers, caps, timeouts, refusals.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { BODY_CAP_BYTES, CANCELLED, send } from '../../src/delivery/send.js'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => (s.closeAllConnections(), s.close(done)))))
})

/** A receiver on a free loopback port; returns its URL. */
async function receiver(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<string> {
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => handle(req, res, body))
  })
  servers.push(server)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
}

const post = (url: string, extra: Partial<Parameters<typeof send>[0]> = {}) =>
  send({ url: new URL(url), method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":"é"}', timeoutMs: 5000, ...extra })

describe('send', () => {
  it('sends the exact body and headers and reports the answer with lower-case header names', async () => {
    let seen: { method?: string; body?: string; type?: string; length?: string } = {}
    const url = await receiver((req, res, body) => {
      seen = { method: req.method, body, type: req.headers['content-type'], length: req.headers['content-length'] }
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Request-Id': 'r-1' }).end('{"received":true}')
    })
    const result = await post(url, { method: 'PUT' })
    expect(seen).toEqual({ method: 'PUT', body: '{"a":"é"}', type: 'application/json', length: String(Buffer.byteLength('{"a":"é"}')) })
    expect(result).toMatchObject({
      kind: 'response',
      status: 201,
      body: '{"received":true}',
      truncated: false,
      headers: { 'content-type': 'application/json', 'x-request-id': 'r-1' },
    })
    expect(result.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('does not follow redirects', async () => {
    let hits = 0
    const url = await receiver((_req, res) => {
      hits++
      res.writeHead(302, { Location: '/elsewhere' }).end()
    })
    expect(await post(url)).toMatchObject({ kind: 'response', status: 302, headers: { location: '/elsewhere' } })
    expect(hits).toBe(1)
  })

  it('keeps at most 64 KiB of the answer, cut on a character boundary, and says so', async () => {
    const url = await receiver((_req, res) => res.end('é'.repeat(BODY_CAP_BYTES)))
    const result = await post(url)
    if (result.kind !== 'response') throw new Error(result.error)
    expect(result.truncated).toBe(true)
    expect(Buffer.byteLength(result.body)).toBe(BODY_CAP_BYTES)
    expect(result.body).toBe('é'.repeat(BODY_CAP_BYTES / 2))
  })

  it("gives up after the timeout with the generated logs' wording", async () => {
    const url = await receiver(() => {})
    const result = await post(url, { timeoutMs: 200 })
    expect(result).toMatchObject({ kind: 'error', error: 'Connection timed out after 0.2 seconds' })
    expect(result.durationMs).toBeGreaterThanOrEqual(190)
  })

  it('reports a refused connection', async () => {
    const url = await receiver(() => {})
    servers[0].close()
    await new Promise((done) => setTimeout(done, 20))
    expect(await post(url)).toMatchObject({ kind: 'error', error: 'Connection refused' })
  })

  it('reports a receiver that closes the connection without answering', async () => {
    const url = await receiver((req) => req.socket.destroy())
    expect(await post(url)).toMatchObject({ kind: 'error', error: 'Connection reset by peer' })
  })

  it('reports a failed TLS handshake (https to a plain-http receiver)', async () => {
    const url = await receiver((_req, res) => res.end('plain'))
    const result = await post(url.replace('http:', 'https:'))
    expect(result).toMatchObject({ kind: 'error', error: 'SSL connect error: the receiver did not answer TLS (is it serving https?)' })
  })

  it('stops at once when aborted', async () => {
    const url = await receiver(() => {})
    const controller = new AbortController()
    const pending = post(url, { signal: controller.signal })
    setTimeout(() => controller.abort(), 30)
    expect(await pending).toMatchObject({ kind: 'error', error: CANCELLED, cancelled: true })
  })
})
