// The command line: with bin.ts (which only picks the heap) the only module that reads argv/env,
// prints, exits or reads the wall clock. Run as `node dist/cli.js`, or through the bin, dist/bin.js.
import { readFileSync } from 'node:fs'
import { ConfigError, helpText, resolveConfig } from './config.js'
import { faultOptionsOf } from './faults/options.js'
import { serverOptionsIn, startServer } from './server.js'
import { redactText, redactUrl } from './http/redact.js'
import { SpecError } from './http/spec.js'
import { FixtureError } from './world/fixtures.js'
import { getHeapStatistics } from 'node:v8'
import { heapNeededMb } from './heap.js'

async function main(): Promise<void> {
  if (process.argv[2] === 'trigger') return runTrigger(process.argv.slice(3))
  if (process.argv[2] === 'check-receiver') return runCheckReceiver(process.argv.slice(3))
  const command = process.argv[2]
  if (command === 'record' || command === 'verify') return subcommand(command, process.argv.slice(3))
  const { config, help, version } = resolveConfig(process.argv.slice(2), process.env, () => Date.now())
  if (help) return void console.log(helpText())
  if (version) {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    return void console.log(pkg.version)
  }
  refuseBudgetsBeyondHeap(config.stateBudgetMb, config.cacheMb)
  const server = await startServer(
    {
      ...serverOptionsIn(config),
      now: new Date(config.now * 1000),
      // Wall time with sub-millisecond resolution, for journal times and access-log durations.
      faults: { ...faultOptionsOf(config), clock: () => performance.timeOrigin + performance.now() },
      log: config.quiet ? undefined : (line) => console.log(line),
    },
    // This process is the mock's: its faster Request and Response may be the globals.
    { ownProcess: true },
  )
  // Replicas say which store they share (its password shown as [redacted]).
  const state = config.state === 'memory' ? '' : `, state in ${redactUrl(config.state)}`
  console.log(`talkover-mock listening on ${server.url} (seed ${config.seed}${state})`)
  let closing = false
  const stop = (signal: string) => {
    if (closing) return
    closing = true
    if (!config.quiet) console.log(`talkover-mock received ${signal}, finishing in-flight requests`)
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

/**
 * A heap chosen elsewhere (NODE_OPTIONS, node's flags, the image) may be too small for the budgets
 * asked for: the server would crash out of memory later, so it refuses to start (exit 2).
 */
function refuseBudgetsBeyondHeap(stateBudgetMb: number, cacheMb: number): void {
  const needed = heapNeededMb(stateBudgetMb, cacheMb)
  // heap_size_limit counts the young generation too (~6 MB with --max-semi-space-size=2).
  const limit = Math.floor(getHeapStatistics().heap_size_limit / 2 ** 20)
  if (needed <= limit) return
  console.error(
    `talkover-mock: --state-budget-mb ${stateBudgetMb} and --cache-mb ${cacheMb} need a heap of ${needed} MB, but node has ${limit} MB: start it with --max-old-space-size=${needed} (in NODE_OPTIONS), or lower the budgets.`,
  )
  process.exit(2)
}

/** `talkover-mock trigger …`: its logic lives in delivery/trigger.ts, loaded only for it. */
async function runTrigger(argv: string[]): Promise<void> {
  const { parseTrigger, trigger, TriggerUsageError, TRIGGER_HELP } = await import('./delivery/trigger.js')
  let request: Awaited<ReturnType<typeof parseTrigger>>
  try {
    request = parseTrigger(argv, process.env)
  } catch (error) {
    if (!(error instanceof TriggerUsageError)) throw error
    console.error(`talkover-mock: ${hideTokens(error.message)}`)
    process.exit(2)
  }
  if (!request) return void console.log(TRIGGER_HELP)
  const result = await trigger(request, fetch)
  if (!result.ok) {
    console.error(`talkover-mock: ${hideTokens(result.message)}`)
    process.exit(1)
  }
  console.log(result.message)
}

/** `talkover-mock check-receiver …`: its logic lives in receiver-check/, loaded only for it. */
async function runCheckReceiver(argv: string[]): Promise<void> {
  const { randomUUID } = await import('node:crypto')
  const { checkReceiver, parseCheck, CheckUsageError } = await import('./receiver-check/command.js')
  const { CHECK_HELP } = await import('./receiver-check/help.js')
  try {
    const request = parseCheck(argv, process.env)
    if (!request) return void console.log(CHECK_HELP)
    // Real time (receivers compare webhook-timestamp with their clock) and ids unique across runs.
    const { status, output } = await checkReceiver(request, { wallClock: () => Date.now(), newId: () => `msg_${randomUUID().replace(/-/g, '')}` })
    process.stdout.write(output)
    process.exitCode = status
  } catch (error) {
    if (!(error instanceof CheckUsageError)) throw error
    console.error(`talkover-mock: ${error.message}`)
    process.exit(2)
  }
}

/** `record` and `verify`: loaded only when asked for, so serving never pays for them (nor faker). */
async function subcommand(command: 'record' | 'verify', argv: string[]): Promise<void> {
  const { commandHelp, resolveRecord, resolveVerify } = await import('./settings/commands.js')
  if (command === 'record') {
    const { settings, help } = resolveRecord(argv, process.env)
    if (help || !settings) return void console.log(commandHelp('record'))
    const { runRecord } = await import('./record/command.js')
    // The progress line redraws in place on a terminal; piped output stays quiet.
    const progress = process.stderr.isTTY ? (line: string) => process.stderr.write(`\r\x1b[2K${line}`) : undefined
    const summary = await runRecord(settings, { clock: () => Date.now(), progress })
    if (progress) process.stderr.write('\n')
    return void console.log(summary)
  }
  const { settings, help } = resolveVerify(argv, process.env)
  if (help || !settings) return void console.log(commandHelp('verify'))
  const { runVerify } = await import('./verify/command.js')
  const { status, report } = await runVerify(settings, { clock: () => Date.now() })
  console.log(report)
  process.exitCode = status
}

main().catch((error: unknown) => {
  // The Valkey/Redis store of --state does not answer at start: one sentence, naming it without its password.
  if (
    error instanceof ConfigError ||
    error instanceof SpecError ||
    error instanceof FixtureError ||
    (error instanceof Error && error.name === 'StoreUnavailable')
  ) {
    console.error(`talkover-mock: ${error instanceof ConfigError && error.valueFree ? error.message : hideTokens(error.message)}`)
    process.exit(2)
  }
  // record's failures are one sentence: exit 1 when the upstream answered no (token refused,
  // unknown agent), 2 when it could not be asked (unreachable, no answer within --timeout), as verify.
  if (error instanceof Error && (error.name === 'RecordError' || error.name === 'UpstreamError')) {
    console.error(`talkover-mock: ${hideTokens(error.message)}`)
    process.exit(error.name === 'UpstreamError' ? 2 : 1)
  }
  const e = error as NodeJS.ErrnoException
  if (e.code === 'EADDRINUSE') {
    console.error(`talkover-mock: Failed to listen: the port is already in use. Please pick another with --port (0 picks a free one).`)
    process.exit(2)
  }
  console.error(`talkover-mock: ${hideTokens(e.stack ?? String(error))}`)
  process.exit(1)
})

/** No token, URL password or query value ever reaches the terminal or a log, even inside an unexpected error. */
function hideTokens(text: string): string {
  return redactText(text)
}
