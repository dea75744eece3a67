// The recipes in examples/ run as part of this suite (vitest includes examples/**/*.test.ts); this
// file checks what running them cannot: that they typecheck against types generated from today's
// openapi.yaml, and that the GitHub Actions example matches the image and the settings table.
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { SETTINGS } from '../src/config.js'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const PAYLOAD_CHECK = `import type { components } from './talkover-api.js'
const payload: NonNullable<components['schemas']['WebhookLog']['request_payload']> = { call_id: 'call-uuid', duration: 45 }
export const callId: unknown = payload.call_id
`

describe('the examples', () => {
  it('typecheck against a client generated from openapi.yaml, with request_payload an open JSON object', async () => {
    await run('npm', ['run', '--silent', 'examples:types'], { cwd: ROOT })
    // A consumer builds and reads payloads: an untyped `{ type: object }` would generate
    // Record<string, never>, to which the docs' own payload is not assignable.
    writeFileSync(`${ROOT}/examples/generated/payload-check.ts`, PAYLOAD_CHECK)
    const typecheck = run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'examples/tsconfig.json'], { cwd: ROOT })
    await expect(typecheck.catch((error: { stdout: string }) => Promise.reject(new Error(error.stdout)))).resolves.toBeDefined()
  }, 60_000)

  it('run the image in GitHub Actions on its port, with settings the CLI knows', () => {
    const workflow = parse(readFileSync(`${ROOT}/examples/github-actions.yml`, 'utf8'))
    const service = workflow.jobs['contract-tests'].services.talkover
    expect(service.ports).toEqual(['4010:4010'])
    const known = new Set(SETTINGS.flatMap((s) => s.env))
    expect(Object.keys(service.env).filter((name) => !known.has(name))).toEqual([])
    for (const [name, value] of Object.entries(service.env)) {
      const setting = SETTINGS.find((s) => s.env.includes(name))!
      expect(() => setting.parse(String(value), name, () => 0)).not.toThrow()
    }
    const testEnv = workflow.jobs['contract-tests'].env
    expect(testEnv.TALKOVER_TOKEN).toBe(service.env.TALKOVER_MOCK_TOKEN)
    expect(readFileSync(`${ROOT}/examples/contract.test.ts`, 'utf8')).toContain('process.env.TALKOVER_BASE_URL')
  })
})
