// The heap the bin gives the server (issue 28): a young generation that stays at its start size and
// an old generation that grows by 30 % over what a full collection left, both V8 flags that act at
// run time, so the bin sets them in its own process and the server starts once. None of its
// business when the command is not the server or the user chose the young generation or the growth
// themselves. Pure, import-free: the bin evaluates it before the server's bundle.

/** The commands that are not the server: they run with Node's own heap (record holds whole pages). */
const NOT_SERVING = new Set(['record', 'verify', 'trigger', 'check-receiver'])
/** The defaults of --state-budget-mb and --cache-mb (src/settings/features.ts; a test keeps them equal). */
export const DEFAULT_STATE_MB = 64
export const DEFAULT_CACHE_MB = 8

/**
 * The flags the bin sets with v8.setFlagsFromString before loading the server. V8 reads both at
 * every collection (a `--max-semi-space-size` or `--max-old-space-size` set there is ignored: the
 * heap is sized when the isolate is made). Measured on the bench's mixed load (docs/performance.md):
 * the same RSS as `--max-semi-space-size=2 --max-old-space-size=128` on node's command line.
 */
export const SMALL_HEAP_FLAGS: readonly string[] = ['--semi-space-growth-factor=1', '--heap-growing-percent=30']

/** Node flags that choose what SMALL_HEAP_FLAGS choose: given any, the bin sets none. */
const HEAP_SHAPE = /--(?:max[-_]semi[-_]space[-_]size|min[-_]semi[-_]space[-_]size|semi[-_]space[-_]growth[-_]factor|heap[-_]growing[-_]percent)\b/

/**
 * The V8 flags the bin sets before loading the server: SMALL_HEAP_FLAGS, or none for a command
 * that is not the server, with TALKOVER_MOCK_NODE_HEAP=node, or when NODE_OPTIONS or node's own
 * flags name the young generation's size or the heap's growth (the old space's limit is
 * independent: `--max-old-space-size` keeps the small young generation).
 * @example
 * smallHeapFlags([], {}, []) //=> ['--semi-space-growth-factor=1', '--heap-growing-percent=30']
 * smallHeapFlags(['record'], {}, []) //=> []
 * smallHeapFlags([], { NODE_OPTIONS: '--max-semi-space-size=16' }, []) //=> []
 */
export function smallHeapFlags(args: readonly string[], env: Readonly<Record<string, string | undefined>>, execArgv: readonly string[]): readonly string[] {
  const choice = env.TALKOVER_MOCK_NODE_HEAP
  if (choice === 'node') return []
  // Like every other setting, a value it does not know is refused, never ignored.
  if (choice !== undefined && choice !== '')
    throw new Error(`Invalid TALKOVER_MOCK_NODE_HEAP "${choice.slice(0, 40)}": use node (node's own heap sizing), or leave it unset for the small heap.`)
  if (HEAP_SHAPE.test(env.NODE_OPTIONS ?? '') || execArgv.some((a) => HEAP_SHAPE.test(a))) return []
  if (NOT_SERVING.has(args[0] ?? '') || args.some((a) => ['--help', '-h', '--version', '-v'].includes(a))) return []
  return SMALL_HEAP_FLAGS
}

/**
 * The old space a server with these budgets needs (cli.ts refuses to start below it): 128 MB holds
 * the defaults with room to serve; every state megabyte over 64, and a quarter of every cache
 * megabyte over 8, comes on top.
 * @example
 * heapNeededMb(64, 8) //=> 128
 */
export function heapNeededMb(stateBudgetMb: number, cacheMb: number): number {
  return 128 + Math.max(0, stateBudgetMb - DEFAULT_STATE_MB) + Math.ceil(Math.max(0, cacheMb - DEFAULT_CACHE_MB) / 4)
}
