#!/usr/bin/env node
// The `talkover-mock` bin (issue 28). Its first line is the plain one npm's Windows shims and every
// `env` understand (BusyBox's, on Alpine, has no `-S`); the small heap comes from here instead, in
// this one process: V8 flags that act at run time (heap.ts), set before the server's bundle loads,
// then dist/cli.js. No second node start. Like cli.ts, it reads argv and env: it is the other
// process entry point.
import { setFlagsFromString } from 'node:v8'
import { smallHeapFlags } from './heap.js'

let flags: readonly string[]
try {
  flags = smallHeapFlags(process.argv.slice(2), process.env, process.execArgv)
} catch (error) {
  console.error(`talkover-mock: ${(error as Error).message}`)
  process.exit(2)
}
for (const flag of flags) setFlagsFromString(flag)
await import('./cli.js')
