// Serving never pays for recording: the modules the server loads statically (everything cli.ts
// reaches through static imports) include neither faker nor the record and verify commands.
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))

/** Every module reached from `entry` through static `import … from` (not `await import()`). */
function staticGraph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen
  seen.add(entry)
  if (!entry.startsWith(SRC)) return seen
  const text = readFileSync(entry, 'utf8')
  for (const [, spec] of text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gm)) {
    if (/^import\s+type\s/m.test(text.slice(text.lastIndexOf('\n', text.indexOf(`'${spec}'`)) + 1, text.indexOf(`'${spec}'`)))) continue
    staticGraph(spec.startsWith('.') ? resolve(dirname(entry), spec.replace(/\.js$/, '.ts')) : spec, seen)
  }
  return seen
}

describe('the server start-up path', () => {
  it('does not import faker, the record command or the verify command', () => {
    const graph = [...staticGraph(join(SRC, 'cli.ts'))]
    expect(graph).toContain(join(SRC, 'app.ts'))
    expect(graph.filter((m) => m.includes('faker') || m.includes('/record/') || m.includes('/verify/') || m.endsWith('settings/commands.ts'))).toEqual([])
  })
})
