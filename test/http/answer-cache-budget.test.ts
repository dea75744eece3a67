// The answer cache before Hono keeps to its share of --cache-mb, counting every answer's body,
// key and overhead, however many distinct pages are offered.
import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { ANSWER_OVERHEAD_BYTES, createAnswerCache } from '../../src/http/answer-cache.js'

const hooks = { open: () => true, readHeaders: [], describe: (url: string) => url, answered: () => {}, clock: () => 0 }
const request = (url: string) => ({ method: 'GET', url, rawHeaders: ['Authorization', 'Bearer talq_x'] }) as unknown as IncomingMessage

describe('the answer cache under its byte budget', () => {
  it('never holds more than its bytes while many distinct pages are offered', () => {
    const answers = createAnswerCache(hooks, 256 * 1024)
    for (let i = 0; i < 2000; i++) {
      answers.offer(request(`/api/v1/agents/a/webhooks/w-${i}/logs`), { status: 200, headers: {}, body: new Uint8Array(10_000) })
      expect(answers.bytes).toBeLessThanOrEqual(256 * 1024)
    }
    expect(answers.size).toBeGreaterThan(0)
  })

  it('counts an answer as its body, its key and the overhead, and a page offered again once', () => {
    const answers = createAnswerCache(hooks, 1024 * 1024)
    const page = { status: 200, headers: {}, body: new Uint8Array(5_000) }
    answers.offer(request('/p'), page)
    answers.offer(request('/p'), page)
    expect(answers.bytes).toBe(5_000 + 2 * '/p\nBearer talq_x'.length + ANSWER_OVERHEAD_BYTES)
  })

  it('does not keep an answer larger than an eighth of its budget', () => {
    const answers = createAnswerCache(hooks, 64 * 1024)
    answers.offer(request('/big'), { status: 200, headers: {}, body: new Uint8Array(9_000) })
    expect(answers.size).toBe(0)
  })
})
