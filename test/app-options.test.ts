// createApp and startServer options: an unknown key is refused with a sentence naming the closest
// option, and docs/library.md lists every option there is.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { APP_OPTION_KEYS, createApp } from '../src/app.js'
import { closest, ConfigError } from '../src/config.js'
import { FAULT_OPTION_KEYS } from '../src/faults/options.js'
import { startServer } from '../src/server.js'

const refusal = (run: () => unknown): ConfigError => {
  try {
    run()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('unknown options', () => {
  it('refuses an unknown createApp option, naming the closest one', () => {
    // A typo of journalSize was accepted silently before.
    expect(refusal(() => createApp({ journalsize: 5 } as never)).message).toBe(
      `Unknown createApp option "journalsize": did you mean "journalSize"? The options are ${APP_OPTION_KEYS.join(', ')}.`,
    )
    expect(refusal(() => createApp({ sed: 42 } as never)).message).toMatch(/^Unknown createApp option "sed": did you mean "seed"\?/)
    expect(refusal(() => createApp({ bogus: 1 } as never)).message).toMatch(/^Unknown createApp option "bogus": did you mean "\w+"\? The options are /)
  })

  it('refuses an unknown fault option, naming the closest one', () => {
    expect(refusal(() => createApp({ faults: { errorrate: 1 } as never })).message).toBe(
      `Unknown faults option "errorrate": did you mean "errorRate"? The options are ${FAULT_OPTION_KEYS.join(', ')}.`,
    )
  })

  it('lets startServer take port and host on top of the createApp options, and nothing else', async () => {
    await expect(startServer({ prot: 0 } as never)).rejects.toThrow(/^Unknown startServer option "prot": did you mean "port"\?/)
    const server = await startServer({ port: 0, host: '127.0.0.1', seed: 3 })
    expect((await fetch(`${server.url}/__mock/health`)).status).toBe(200)
    await server.close()
  })

  it('measures closeness by edits, ignoring case', () => {
    expect(closest('journalsize', ['seed', 'journalSize', 'now'])).toBe('journalSize')
    expect(closest('tokn', ['token', 'adminToken'])).toBe('token')
    expect(closest('admintoken', ['token', 'adminToken'])).toBe('adminToken')
  })
})

describe('options of the wrong type', () => {
  // Accepted before and failing later: every request a 500 (log: 5), a TypeError at build, or a
  // hook that breaks the first delivery. Refused now when the app is built, naming the option.
  it('refuses createApp({ log: 5 }) when the app is built, naming the option', () => {
    expect(refusal(() => createApp({ log: 5 } as never)).message).toBe(
      'Invalid log 5: use a function that takes each access-log line, like (line) => console.log(line), or leave it out.',
    )
  })

  it.each([null, 5, 'seed', [1]])('refuses createApp(%j) in one sentence instead of a bare TypeError', (options) => {
    expect(refusal(() => createApp(options as never)).message).toBe(
      `Invalid createApp options ${JSON.stringify(options)}: pass an object like { seed: 42 }, or nothing.`,
    )
  })

  it('refuses startServer(null) the same way', async () => {
    await expect(startServer(null as never)).rejects.toThrow('Invalid startServer options null: pass an object like { seed: 42 }, or nothing.')
  })

  it.each([
    [{ faults: null }, 'Invalid faults null: use an object of fault settings like { errorRate: 0.1 }, or leave it out.'],
    [{ faults: 5 }, 'Invalid faults 5: use an object of fault settings like { errorRate: 0.1 }, or leave it out.'],
    [{ faults: { sleep: 5 } }, 'Invalid faults.sleep 5: use a function (ms, signal?) => Promise<void>, or leave it out.'],
    [{ faults: { clock: 'x' } }, 'Invalid faults.clock "x": use a function returning epoch milliseconds, like () => Date.now(), or leave it out.'],
    [{ signal: {} }, 'Invalid signal (an object): use an AbortSignal, like new AbortController().signal, or leave it out.'],
    [{ deliveryHooks: 5 }, 'Invalid deliveryHooks 5: use an object { sleep?, wallClock?, timeoutMs?, runId? }, or leave it out.'],
    [
      { deliveryHooks: { runId: 7 } },
      'Invalid deliveryHooks.runId 7: use a string that pins the random part of live webhook-ids, like "test-run", or leave it out.',
    ],
    [{ deliveryHooks: { sleep: 5 } }, 'Invalid deliveryHooks.sleep 5: use a function (ms, signal?) => Promise<void>, or leave it out.'],
    [
      { deliveryHooks: { wallClock: 1 } },
      'Invalid deliveryHooks.wallClock 1: use a function returning epoch milliseconds, like () => Date.now(), or leave it out.',
    ],
    [
      { deliveryHooks: { timeoutMs: 30 } },
      'Invalid deliveryHooks.timeoutMs 30: use a function from seconds to milliseconds, like (s) => s * 1000, or leave it out.',
    ],
    [{ spec: 5 }, 'Invalid spec 5: use the path of an OpenAPI document, like "openapi.yaml", or leave it out.'],
    [{ fixtures: 5 }, 'Invalid fixtures 5: use the path of a fixture file or folder, like "fixtures/team.yaml", or leave it out.'],
    [{ deliverAllow: [5] }, 'Invalid deliverAllow [5]: use "host:port,host" or a list of "host:port" strings or { host, port? } objects.'],
    [{ deliverAllow: [{ host: 5 }] }, 'Invalid deliverAllow [{"host":5}]: use "host:port,host" or a list of "host:port" strings or { host, port? } objects.'],
    [{ deliverAllow: {} }, 'Invalid deliverAllow (an object): use "host:port,host" or a list of "host:port" strings or { host, port? } objects.'],
    [{ deliverBackoff: {} }, 'Invalid deliverBackoff (an object): use seconds like "1,2,4" or a list like [1, 2, 4].'],
  ])('refuses %j at build, naming the option', (options, message) => {
    expect(refusal(() => createApp(options as never)).message).toBe(message)
  })

  it('refuses an unknown key inside deliveryHooks, naming the closest one', () => {
    expect(refusal(() => createApp({ deliveryHooks: { slep: async () => {} } } as never)).message).toBe(
      'Unknown deliveryHooks option "slep": did you mean "sleep"? The options are sleep, wallClock, timeoutMs, runId.',
    )
  })

  it('still takes every option of the right type', async () => {
    const app = createApp({
      log: () => {},
      faults: { sleep: async () => {}, clock: () => 0 },
      signal: new AbortController().signal,
      deliveryHooks: { sleep: async () => {}, wallClock: () => 0, timeoutMs: (s) => s * 1000 },
      deliverAllow: ['receiver:3000', { host: 'hooks.internal' }, { host: 'x', port: 8080 }],
      deliverBackoff: [1, 2],
    })
    expect((await app.request('/__mock/health')).status).toBe(200)
  })
})

describe('docs/library.md', () => {
  const page = readFileSync(new URL('../docs/library.md', import.meta.url), 'utf8')
  const tableOf = (heading: string) => {
    const section = page.slice(page.indexOf(heading) + heading.length)
    const body = section.slice(0, section.search(/^## /m))
    return [...body.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1])
  }

  it('lists every createApp option in its table', () => {
    expect(tableOf('## createApp(options?)').sort()).toEqual([...APP_OPTION_KEYS].sort())
  })

  it('lists every fault option', () => {
    const listed = [...page.matchAll(/`faults\.(\w+)`/g)].map((m) => m[1])
    for (const key of FAULT_OPTION_KEYS) expect(listed).toContain(key)
  })
})
