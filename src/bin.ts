#!/usr/bin/env node
// The `talkover-mock` bin (review of issue 28). Its first line is the plain one npm's Windows shims
// understand; the small heap comes from here instead: evaluated before the server's bundle, it
// re-launches the server once as `node --max-semi-space-size=2 --max-old-space-size=<n> dist/cli.js
// …args` (n from serverHeapMb), forwarding SIGINT/SIGTERM and exiting as the server did. When the
// heap was already chosen (NODE_OPTIONS or node flags naming --max-old-space-size,
// TALKOVER_MOCK_NODE_HEAP=node) or the command is not the server, it runs dist/cli.js in this process.
// Like cli.ts, it reads argv and env: it is the other process entry point.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { RELAUNCHED, serverHeapMb } from './heap.js'

const args = process.argv.slice(2)
const heapMb = serverHeapMb(args, process.env, process.execArgv)
if (heapMb === undefined) {
  await import('./cli.js')
} else {
  const cli = fileURLToPath(new URL('./cli.js', import.meta.url))
  const child = spawn(process.execPath, ['--max-semi-space-size=2', `--max-old-space-size=${heapMb}`, ...process.execArgv, cli, ...args], {
    stdio: 'inherit',
    env: { ...process.env, [RELAUNCHED]: '1' },
  })
  const signals = ['SIGINT', 'SIGTERM'] as const
  for (const signal of signals) process.on(signal, () => child.kill(signal))
  child.on('error', (error) => {
    console.error(`talkover-mock: could not start the server: ${error.message}`)
    process.exit(1)
  })
  child.on('exit', (code, signal) => {
    if (code !== null) process.exit(code)
    // Ended by a signal: end the same way, without the forwarding handler catching it.
    for (const s of signals) process.removeAllListeners(s)
    process.kill(process.pid, signal ?? 'SIGTERM')
  })
}
