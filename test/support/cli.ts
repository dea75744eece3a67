// Starts the real built CLI as a child process and waits for its "listening on" line.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))

export interface RunningCli {
  child: ChildProcess
  url: string
  output: () => string
  /** Sends a signal and resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
}

/**
 * Runs `node dist/cli.js …args` (or another build's cli.js) until it prints its URL; `as: 'bin'`
 * runs the file itself, as a shell or npx does, through its #! line.
 */
export function startCli(args: string[], env: Record<string, string> = {}, cli = CLI, as: 'node' | 'bin' = 'node'): Promise<RunningCli> {
  const argv = as === 'bin' ? [cli, args] : [process.execPath, [cli, ...args]]
  const child = spawn(argv[0] as string, argv[1] as string[], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const match = out.match(/listening on (http:\/\/\S+)/)
      if (match) {
        resolve({ child, url: match[1], output: () => out, stop: (signal = 'SIGTERM') => (child.kill(signal), exited) })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()))
    exited.then((code) => reject(new Error(`CLI exited with ${code} before listening:\n${out}`)))
  })
}

/** Runs the CLI to completion and returns its exit code and output. */
export function runCli(args: string[], env: Record<string, string> = {}, cli = CLI): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })))
}
