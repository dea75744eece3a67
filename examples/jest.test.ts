// The jest recipe of docs/testing.md: jest's hooks are globals, so useTalkoverMock finds them and
// one line is the whole setup. This repository does not install jest: its suite runs this file
// with vitest's jest-compatible globals (the "jest-recipe" project of vitest.config.ts, globals:
// true). Under jest itself (ES modules: node --experimental-vm-modules, and a TypeScript
// transform such as ts-jest), the file runs unchanged, with @types/jest declaring the globals.
import { useTalkoverMock } from 'talkover-mock/testing'

const mock = useTalkoverMock({ seed: 42 })
const LOGS = '/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs'
const init = { headers: { Authorization: 'Bearer talq_example' } }

describe('a client retrying through the mock (jest)', () => {
  test('gets its page after one 503, having asked exactly twice', async () => {
    await mock.client.failNext(1, 503)
    let res = await mock.fetch(LOGS, init)
    if (res.status >= 500) res = await mock.fetch(LOGS, init)
    expect(res.status).toBe(200)
    await mock.client.requests.expectCount({ method: 'GET', path: LOGS }, 2)
  })

  test('starts the next test in a session of its own: no fault, an empty journal', async () => {
    expect((await mock.fetch(LOGS, init)).status).toBe(200)
    expect(await mock.client.requests.count()).toBe(1)
  })
})
