// A real webhook receiver for delivery tests: a node:http server on 127.0.0.1, port 0, that
// records every request and answers with a scripted list of replies.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

/** How the receiver answers one request: a status (and body/headers), 'hang' or 'reset'. */
export type Reply = { status: number; body?: string; headers?: Record<string, string> } | 'hang' | 'reset'

export interface TestReceiver {
  url: string
  received: Received[]
  /** Resolves once `n` requests arrived. */
  waitFor(n: number): Promise<Received[]>
  close(): Promise<void>
}

/**
 * Starts a receiver; request k gets replies[k] (the last one repeats; default 200 {"received":true}).
 * @example
 * const receiver = await startReceiver([{ status: 500 }, { status: 500 }, { status: 200 }])
 */
export async function startReceiver(replies: Reply[] = [], path = '/hook'): Promise<TestReceiver> {
  const received: Received[] = []
  const waiters: { n: number; resolve: (r: Received[]) => void }[] = []
  const hung: ServerResponse[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (body += c))
    req.on('end', () => {
      const k = received.length
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body })
      const reply = replies[Math.min(k, replies.length - 1)] ?? { status: 200, body: '{"received":true}', headers: { 'content-type': 'application/json' } }
      if (reply === 'hang') hung.push(res)
      else if (reply === 'reset') req.socket.destroy()
      else res.writeHead(reply.status, reply.headers ?? {}).end(reply.body ?? '')
      for (const w of waiters.filter((w) => received.length >= w.n)) w.resolve(received.slice())
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    waitFor: (n) => (received.length >= n ? Promise.resolve(received.slice()) : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () =>
      new Promise((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}
