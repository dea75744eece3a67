// The system under the model-based test: two apps answering the same commands with different
// real-time gaps (their injected real clocks drift apart by a few ms per command), plus an oracle
// app nobody writes to, which serves the pure history at any instant. Every request goes to both
// apps; their answers must be byte for byte the same, free of 5xx, and valid against openapi.yaml.
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import { createApp } from '../../src/app.js'
import { expectConforms } from '../support/contract.js'
import { auth } from '../support/http.js'
import { ANCHOR, SEED, SETTLE_MS } from './model.js'

type App = ReturnType<typeof createApp>
const FIXTURES = fileURLToPath(new URL('./fixtures.yaml', import.meta.url))
/** Most real ms one command may add to one app's clock on top of the nominal waits. */
export const MAX_JITTER_MS = 20

export interface Real {
  a: App
  b: App
  oracle: App
  /** Each app's fake real clock, epoch ms. */
  ms: { a: number; b: number }
}

export interface Sent {
  method?: string
  url: string
  headers?: Record<string, string | undefined>
  body?: unknown
}

export interface Answer {
  status: number
  text: string
  body: any
  headers: Headers
}

function app(clock: () => number): App {
  return createApp({ seed: SEED, fixtures: FIXTURES, retrySettleMs: SETTLE_MS, faults: { clock, sleep: async () => {} } })
}

export function createReal(): Real {
  const start = ANCHOR * 1000
  const real: Real = { a: undefined as never, b: undefined as never, oracle: app(() => start), ms: { a: start, b: start } }
  real.a = app(() => real.ms.a)
  real.b = app(() => real.ms.b)
  return real
}

/** Real time passing for both apps alike (a wait of the model). */
export function wait(real: Real, ms: number): void {
  real.ms.a += ms
  real.ms.b += ms
}

function request(target: App, { method = 'GET', url, headers = {}, body }: Sent): Promise<Response> {
  const h: Record<string, string> = { ...auth() }
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) h[k] = v
  if (body !== undefined) h['content-type'] ??= 'application/json'
  return Promise.resolve(
    target.request(url, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) }),
  )
}

/** Status line, headers and body as one text, for the byte-for-byte comparison. */
async function wire(res: Response): Promise<string> {
  const headers = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).sort()
  return `${res.status}\n${headers.join('\n')}\n\n${await res.clone().text()}`
}

/**
 * Sends one request to both apps, A after `jitter` ms of real time and B after MAX_JITTER_MS − jitter,
 * and checks: the same bytes from both, no 5xx, a status and body openapi.yaml declares for `operationId`.
 * `sameBytes: false` compares statuses only, for answers that report real time (the request journal).
 */
export async function both(real: Real, jitter: number, sent: Sent, operationId: string, { sameBytes = true } = {}): Promise<Answer> {
  real.ms.a += jitter
  real.ms.b += MAX_JITTER_MS - jitter
  const ra = await request(real.a, sent)
  const rb = await request(real.b, sent)
  const [wa, wb] = [await wire(ra), await wire(rb)]
  if (sameBytes ? wa !== wb : ra.status !== rb.status)
    throw new Error(
      `${sent.method ?? 'GET'} ${sent.url} answered differently after other real-time gaps:\n--- A\n${wa.slice(0, 1500)}\n--- B\n${wb.slice(0, 1500)}`,
    )
  expect(ra.status, `${sent.method ?? 'GET'} ${sent.url}: ${wa.slice(0, 800)}`).toBeLessThan(500)
  const body = await expectConforms(ra, operationId)
  return { status: ra.status, text: await ra.text(), body, headers: ra.headers }
}

/** Sends one request to the oracle (the pure world); it must answer 200. */
export async function toOracle(real: Real, sent: Sent, operationId: string): Promise<any> {
  const res = await request(real.oracle, sent)
  expect(res.status, `oracle ${sent.url}: ${await res.clone().text()}`).toBe(200)
  return expectConforms(res, operationId)
}
