// The TypeScript types of every request and response of openapi.yaml are generated from it
// (`npm run types:spec`) and committed: this fails when the spec moved and they were not regenerated.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('..', import.meta.url))

describe('src/http/openapi-types.ts', () => {
  it("is what openapi-typescript generates from today's openapi.yaml (run npm run types:spec when this fails)", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'spec-types-')), 'openapi-types.ts')
    await run(process.execPath, ['node_modules/openapi-typescript/bin/cli.js', 'openapi.yaml', '-o', out], { cwd: ROOT })
    expect(readFileSync(join(ROOT, 'src/http/openapi-types.ts'), 'utf8')).toBe(readFileSync(out, 'utf8'))
  }, 60_000)
})
