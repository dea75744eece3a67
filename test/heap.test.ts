// The heap flags the bin sets in its own process before loading the server (issue 28), as a pure function.
import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../src/config.js'
import { DEFAULT_CACHE_MB, DEFAULT_STATE_MB, heapNeededMb, SMALL_HEAP_FLAGS, smallHeapFlags } from '../src/heap.js'

describe('the heap flags the bin sets', () => {
  it('are V8 flags that act at run time, for the server with any budgets', () => {
    expect(SMALL_HEAP_FLAGS).toEqual(['--semi-space-growth-factor=1', '--heap-growing-percent=30'])
    expect(smallHeapFlags([], {}, [])).toBe(SMALL_HEAP_FLAGS)
    expect(smallHeapFlags(['--state-budget-mb', '4096', '--cache-mb=1024'], {}, [])).toBe(SMALL_HEAP_FLAGS)
    // The old space's limit is another choice: the young generation stays small under it.
    expect(smallHeapFlags([], { NODE_OPTIONS: '--max-old-space-size=512' }, [])).toBe(SMALL_HEAP_FLAGS)
    expect(smallHeapFlags([], {}, ['--max-old-space-size=512'])).toBe(SMALL_HEAP_FLAGS)
  })

  it.each(['Node', '1', 'true', 'small'])('refuses TALKOVER_MOCK_NODE_HEAP=%s with a sentence instead of ignoring it', (value) => {
    expect(() => smallHeapFlags([], { TALKOVER_MOCK_NODE_HEAP: value }, [])).toThrow(
      `Invalid TALKOVER_MOCK_NODE_HEAP "${value}": use node (node's own heap sizing), or leave it unset for the small heap.`,
    )
  })

  it.each([
    ['record', ['record', '--agent', 'a'], {}, []],
    ['verify', ['verify'], {}, []],
    ['trigger', ['trigger'], {}, []],
    ['check-receiver', ['check-receiver'], {}, []],
    ['--help', ['--port', '0', '--help'], {}, []],
    ['--version', ['--version'], {}, []],
    ['NODE_OPTIONS naming the young generation', [], { NODE_OPTIONS: '--max-semi-space-size=16' }, []],
    ['NODE_OPTIONS naming the growth', [], { NODE_OPTIONS: '--heap-growing-percent=50' }, []],
    ["node's own flag", [], {}, ['--semi-space-growth-factor=2']],
    ['TALKOVER_MOCK_NODE_HEAP=node', [], { TALKOVER_MOCK_NODE_HEAP: 'node' }, []],
    // V8 takes either spelling of a flag (review of issue 28).
    ['NODE_OPTIONS naming the young generation with underscores', [], { NODE_OPTIONS: '--max_semi_space_size=16' }, []],
    ['NODE_OPTIONS naming the growth with underscores', [], { NODE_OPTIONS: '--heap_growing_percent=50' }, []],
  ])('sets none for %s', (_, args, env, execArgv) => {
    expect(smallHeapFlags(args as string[], env as Record<string, string>, execArgv as string[])).toEqual([])
  })

  it("needs 128 MB of old space with the default budgets, whose defaults are the settings' own, and more for larger ones", () => {
    const { config } = resolveConfig([], {})
    expect([config.stateBudgetMb, config.cacheMb]).toEqual([DEFAULT_STATE_MB, DEFAULT_CACHE_MB])
    expect(heapNeededMb(DEFAULT_STATE_MB, DEFAULT_CACHE_MB)).toBe(128)
    expect(heapNeededMb(4096, 1024)).toBe(128 + 4032 + 254)
  })
})
