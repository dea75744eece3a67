// How `check-receiver --webhook` talks to a running mock: one HTTP call with a deadline of its own
// (Node's fetch gives up on any answer slower than 300 s, and a long check is slower), and a
// connection error or the deadline as a value, never a throw.
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'

export type MockAnswer = { kind: 'answer'; status: number; text: string } | { kind: 'unreachable'; why: string } | { kind: 'deadline' }

export interface MockCall {
  method: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  /** The whole call (connecting, sending, the answer's last byte) must end within this many ms. */
  deadlineMs: number
}

/**
 * Calls the mock and resolves with its answer, why it could not be reached, or `deadline`.
 * @example
 * await callMock('http://127.0.0.1:4010/__mock/health', { method: 'GET', deadlineMs: 5000 }) //=> { kind: 'answer', status: 200, text: '{"status":"ok"}' }
 */
export function callMock(url: string, call: MockCall): Promise<MockAnswer> {
  return new Promise((resolve) => {
    const request = url.startsWith('https:') ? httpsRequest : httpRequest
    const req = request(url, { method: call.method, headers: call.headers })
    const timer = setTimeout(() => {
      resolve({ kind: 'deadline' })
      req.destroy()
    }, call.deadlineMs)
    const done = (answer: MockAnswer) => {
      clearTimeout(timer)
      resolve(answer)
    }
    req.on('error', (error: NodeJS.ErrnoException) => done({ kind: 'unreachable', why: error.code ?? 'connection failed' }))
    req.on('response', (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => done({ kind: 'answer', status: res.statusCode ?? 0, text }))
      res.on('error', () => done({ kind: 'unreachable', why: 'the answer was cut off' }))
    })
    req.end(call.body)
  })
}
