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

describe("createApp errors speak the library's language", () => {
  it.each([[{ fixtures: '/nope.yaml' }], [{ faults: { latency: 'abc' } }], [{ seed: -1 }], [{ deliverBackoff: 'x' }]])(
    'never name a CLI flag for %j',
    (options) => {
      expect(() => createApp(options as never)).toThrow(/^(?![\s\S]*--[a-z])/)
    },
  )
})
