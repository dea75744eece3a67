// The heap the bin gives the server (review of issue 28): small by default, grown with the state
// budget and the caches, and none of its business when the heap was already chosen or the command
// is not the server. Pure, import-free: the bin evaluates it before the server's bundle.

/** The commands that are not the server: they run with Node's own heap (record holds whole pages). */
const NOT_SERVING = new Set(['record', 'verify', 'trigger', 'check-receiver'])
/** Set on the re-launched server: it never re-launches again. */
export const RELAUNCHED = 'TALKOVER_MOCK_RELAUNCHED'
/** The defaults of --state-budget-mb and --cache-mb (src/settings/features.ts; a test keeps them equal). */
export const DEFAULT_STATE_MB = 64
export const DEFAULT_CACHE_MB = 8

/** The megabytes of `--flag N`, `--flag=N` or the env var, or the default; a bad value is cli.ts's to report. */
function megabytes(args: readonly string[], flag: string, fromEnv: string | undefined, fallback: number): number {
  let raw = fromEnv
  args.forEach((arg, i) => {
    if (arg === flag) raw = args[i + 1]
    else if (arg.startsWith(`${flag}=`)) raw = arg.slice(flag.length + 1)
  })
  return raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw) : fallback
}

/**
 * The old-space megabytes to re-launch the server with, or undefined to run in this process:
 * 128, plus every megabyte of state budget over 64 and a quarter of every cache megabyte over 8.
 * @example
 * serverHeapMb([], {}, []) //=> 128
 * serverHeapMb(['--state-budget-mb', '1024'], {}, []) //=> 1088
 * serverHeapMb(['record'], {}, []) //=> undefined
 */
export function serverHeapMb(args: readonly string[], env: Readonly<Record<string, string | undefined>>, execArgv: readonly string[]): number | undefined {
  if (env[RELAUNCHED] || env.TALKOVER_MOCK_NODE_HEAP === 'node') return undefined
  if ((env.NODE_OPTIONS ?? '').includes('--max-old-space-size') || execArgv.some((a) => a.startsWith('--max-old-space-size'))) return undefined
  if (NOT_SERVING.has(args[0] ?? '') || args.some((a) => ['--help', '-h', '--version', '-v'].includes(a))) return undefined
  const state = megabytes(args, '--state-budget-mb', env.TALKOVER_MOCK_STATE_BUDGET_MB, DEFAULT_STATE_MB)
  const cache = megabytes(args, '--cache-mb', env.TALKOVER_MOCK_CACHE_MB, DEFAULT_CACHE_MB)
  return heapNeededMb(state, cache)
}

/**
 * The old space a server with these budgets needs: 128 MB holds the defaults with room to serve;
 * every state megabyte over 64, and a quarter of every cache megabyte over 8, comes on top.
 * @example
 * heapNeededMb(64, 8) //=> 128
 */
export function heapNeededMb(stateBudgetMb: number, cacheMb: number): number {
  return 128 + Math.max(0, stateBudgetMb - DEFAULT_STATE_MB) + Math.ceil(Math.max(0, cacheMb - DEFAULT_CACHE_MB) / 4)
}
