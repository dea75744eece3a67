// The request headers routes read straight from Node on a real socket (Authorization, the declared
// X-Mock-* headers, the fault controls) must mean exactly what they mean through Hono in-process.
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { DOCS_LOGS } from '../support/http.js'

let server: RunningServer
beforeAll(async () => {
  server = await startServer({ seed: 42 })
})
afterAll(() => server.close())

/** Sends raw header lines (repeats and padding kept as written) and returns status and body. */
function raw(path: string, headers: [string, string][]): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    // A raw header list gets no Host header from Node: add it.
    const req = request(`${server.url}${path}`, { headers: [['Host', new URL(server.url).host], ...headers].flat() }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve([res.statusCode!, body]))
    })
    req.on('error', reject)
    req.end()
  })
}

/** The same request in-process, repeated headers joined the way Hono's Headers join them. */
async function inProcess(path: string, headers: [string, string][]): Promise<[number, string]> {
  const joined = new Headers()
  for (const [name, value] of headers) joined.append(name, value)
  const res = await createApp({ seed: 42 }).request(path, { headers: joined })
  return [res.status, await res.text()]
}

describe('request headers on a real socket', () => {
  it.each<[string, [string, string][]]>([
    ['one plain token', [['Authorization', 'Bearer talq_x']]],
    ['a lower-case name', [['authorization', 'Bearer talq_x']]],
    ['no token', []],
    ['an empty header', [['Authorization', '']]],
    ['a token that is not talq_', [['Authorization', 'Bearer nope']]],
    [
      'the header twice',
      [
        ['Authorization', 'Bearer talq_x'],
        ['Authorization', 'Bearer talq_y'],
      ],
    ],
    [
      'a seed header',
      [
        ['Authorization', 'Bearer talq_x'],
        ['X-Mock-Seed', '7'],
      ],
    ],
    [
      'a bad seed header',
      [
        ['Authorization', 'Bearer talq_x'],
        ['x-mock-seed', 'abc'],
      ],
    ],
    [
      'a control header',
      [
        ['Authorization', 'Bearer talq_x'],
        ['X-Mock-Status', '503'],
      ],
    ],
    [
      'a bad control header',
      [
        ['Authorization', 'Bearer talq_x'],
        ['x-mock-latency', 'soon'],
      ],
    ],
    [
      'Prefer',
      [
        ['Authorization', 'Bearer talq_x'],
        ['Prefer', 'code=429'],
      ],
    ],
  ])('answers %s exactly as in-process', async (_name, headers) => {
    const path = `${DOCS_LOGS}?per_page=5`
    expect(await raw(path, headers)).toEqual(await inProcess(path, headers))
  })

  it('answers a repeated request from the same validation, and a changed header anew', async () => {
    const path = `${DOCS_LOGS}?per_page=3`
    const first = await raw(path, [['Authorization', 'Bearer talq_x']])
    expect(await raw(path, [['Authorization', 'Bearer talq_x']])).toEqual(first)
    const seeded = await raw(path, [
      ['Authorization', 'Bearer talq_x'],
      ['X-Mock-Seed', '9'],
    ])
    expect(seeded[0]).toBe(200)
    expect(seeded[1]).not.toBe(first[1])
    expect(seeded).toEqual(
      await inProcess(path, [
        ['Authorization', 'Bearer talq_x'],
        ['X-Mock-Seed', '9'],
      ]),
    )
  })
})
