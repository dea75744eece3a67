// The heap the bin re-launches the server with (review of issue 28), as a pure function.
import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../src/config.js'
import { DEFAULT_CACHE_MB, DEFAULT_STATE_MB, serverHeapMb } from '../src/heap.js'

describe('the heap the bin gives the server', () => {
  it("is 128 MB with the default budgets, whose defaults are the settings' own", () => {
    const { config } = resolveConfig([], {})
    expect([config.stateBudgetMb, config.cacheMb]).toEqual([DEFAULT_STATE_MB, DEFAULT_CACHE_MB])
    expect(serverHeapMb([], {}, [])).toBe(128)
  })

  it('grows with --state-budget-mb and --cache-mb, from flags over env', () => {
    expect(serverHeapMb(['--state-budget-mb', '4096', '--cache-mb=1024'], {}, [])).toBe(128 + 4032 + 254)
    expect(serverHeapMb([], { TALKOVER_MOCK_STATE_BUDGET_MB: '512' }, [])).toBe(576)
    expect(serverHeapMb(['--state-budget-mb', '100'], { TALKOVER_MOCK_STATE_BUDGET_MB: '512' }, [])).toBe(164)
    // A bad value is the CLI's to report: the server gets the default heap and exits 2.
    expect(serverHeapMb(['--state-budget-mb', 'lots'], {}, [])).toBe(128)
  })

  it.each([
    ['record', ['record', '--agent', 'a'], {}, []],
    ['verify', ['verify'], {}, []],
    ['trigger', ['trigger'], {}, []],
    ['check-receiver', ['check-receiver'], {}, []],
    ['--help', ['--port', '0', '--help'], {}, []],
    ['--version', ['--version'], {}, []],
    ['NODE_OPTIONS naming the heap', [], { NODE_OPTIONS: '--max-old-space-size=512' }, []],
    ["node's own flag", [], {}, ['--max-old-space-size=512']],
    ['TALKOVER_MOCK_NODE_HEAP=node', [], { TALKOVER_MOCK_NODE_HEAP: 'node' }, []],
    ['the re-launched server', [], { TALKOVER_MOCK_RELAUNCHED: '1' }, []],
  ])('leaves the heap alone for %s', (_, args, env, execArgv) => {
    expect(serverHeapMb(args as string[], env as Record<string, string>, execArgv as string[])).toBeUndefined()
  })
})
