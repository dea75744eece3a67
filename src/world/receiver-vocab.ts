// Vocabulary of receivers: the ways a delivery attempt fails and the receiver stacks (servers,
// CDNs, platforms) a webhook's host answers with, with their weights. Fixed tables; vocab.ts
// re-exports them with the rest of the vocabulary.
import { cumulate } from '../encode/random.js'

/**
 * Ways a delivery attempt fails. `error` may use {host} and {timeout}; `http` is absent when the
 * receiver never answered. `ms` is [min, spread) of duration_ms, or the webhook's timeout.
 */
export interface FailureKind {
  http?: number
  error: string
  weight: number
  ms: readonly [number, number] | 'timeout' | 'gateway'
}

export const FAILURES: readonly FailureKind[] = [
  { http: 500, error: 'Internal Server Error', weight: 30, ms: [20, 600] },
  { http: 500, error: 'Internal Server Error', weight: 8, ms: [1_000, 9_000] },
  { http: 502, error: 'Bad Gateway', weight: 22, ms: [15, 2_000] },
  { http: 503, error: 'Service Unavailable', weight: 28, ms: [5, 250] },
  { http: 504, error: 'Gateway Timeout', weight: 14, ms: 'gateway' },
  { http: 404, error: 'Not Found', weight: 12, ms: [8, 200] },
  { http: 410, error: 'Gone', weight: 2, ms: [8, 120] },
  { http: 429, error: 'Too Many Requests', weight: 10, ms: [3, 80] },
  { http: 401, error: 'Unauthorized', weight: 6, ms: [8, 150] },
  { http: 403, error: 'Forbidden', weight: 4, ms: [8, 150] },
  { http: 400, error: 'Bad Request', weight: 6, ms: [10, 200] },
  { http: 422, error: 'Unprocessable Entity', weight: 4, ms: [15, 300] },
  { error: 'Connection timed out after {timeout} seconds', weight: 20, ms: 'timeout' },
  { error: 'Connection refused', weight: 12, ms: [1, 40] },
  { error: 'Connection reset by peer', weight: 5, ms: [30, 3_000] },
  { error: 'SSL certificate problem: certificate has expired', weight: 3, ms: [20, 400] },
  { error: 'Could not resolve host: {host}', weight: 3, ms: [1, 150] },
]
export const FAILURE_CUMULATIVE = cumulate(FAILURES.map((f) => f.weight))

/**
 * How a receiver answers a successful delivery: status, body and headers (lower-case names).
 * Header values are literals or a generator token: `uuid`, `hex16`, `cf-ray`, `vercel-id`.
 * The first stack is the docs example's receiver.
 */
export interface ReceiverStack {
  status: number
  body: string
  headers: readonly (readonly [string, string])[]
  weight: number
  /** Typical latency in ms of this kind of receiver. */
  latency: readonly [number, number]
}

export const STACKS: readonly ReceiverStack[] = [
  { status: 200, body: '{"received":true}', headers: [['content-type', 'application/json']], weight: 30, latency: [60, 260] },
  {
    status: 200,
    body: '{"ok":true}',
    headers: [
      ['content-type', 'application/json; charset=utf-8'],
      ['x-powered-by', 'Express'],
    ],
    weight: 15,
    latency: [20, 180],
  },
  {
    status: 200,
    body: '{"status":"success"}',
    headers: [
      ['content-type', 'application/json'],
      ['server', 'nginx'],
      ['cache-control', 'no-cache, private'],
    ],
    weight: 12,
    latency: [80, 450],
  },
  {
    status: 200,
    body: 'OK',
    headers: [
      ['content-type', 'text/plain;charset=UTF-8'],
      ['server', 'cloudflare'],
      ['cf-ray', 'cf-ray'],
    ],
    weight: 10,
    latency: [15, 90],
  },
  {
    status: 200,
    body: '{"received":true}',
    headers: [
      ['content-type', 'application/json; charset=utf-8'],
      ['server', 'Vercel'],
      ['x-vercel-id', 'vercel-id'],
    ],
    weight: 8,
    latency: [40, 900],
  },
  { status: 200, body: '{"message":"Workflow was started"}', headers: [['content-type', 'application/json; charset=utf-8']], weight: 8, latency: [30, 200] },
  {
    status: 202,
    body: '{"queued":true}',
    headers: [
      ['content-type', 'application/json'],
      ['x-request-id', 'uuid'],
    ],
    weight: 7,
    latency: [10, 60],
  },
  {
    status: 200,
    body: '{"success":true}',
    headers: [
      ['content-type', 'application/json'],
      ['x-amzn-requestid', 'uuid'],
    ],
    weight: 6,
    latency: [50, 700],
  },
  {
    status: 204,
    body: '',
    headers: [
      ['server', 'gunicorn'],
      ['x-request-id', 'hex16'],
    ],
    weight: 4,
    latency: [20, 120],
  },
]
export const STACK_CUMULATIVE = cumulate(STACKS.map((s) => s.weight))
