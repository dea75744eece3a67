// One HTTP request over node:http, so a test can set Host, Origin and framing headers by hand
// (fetch decides those itself).
import { request } from 'node:http'

export interface RawAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

export interface RawInit {
  method?: string
  headers?: Record<string, string>
  /** Sent as is; an array is sent chunk by chunk (Transfer-Encoding: chunked). */
  body?: string | Buffer | Buffer[]
}

/**
 * Sends one request to `url` and reads the whole answer.
 * @example
 * await rawRequest(`${server.url}/__mock/health`, { headers: { Host: 'evil.example' } })
 */
export function rawRequest(url: string, { method = 'GET', headers = {}, body }: RawInit = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString() }))
      res.on('error', reject)
    })
    req.on('error', reject)
    if (Array.isArray(body)) {
      for (const chunk of body) req.write(chunk)
      req.end()
    } else req.end(body)
  })
}
