// openapi.yaml must load the same in every YAML parser a consumer's generator may use: strict
// parsers (PyYAML, SnakeYAML) refuse what lenient ones read as a bogus key.
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { isMap, isPair, isScalar, parseDocument, visit } from 'yaml'
import { DEFAULT_SPEC_PATH, loadSpec } from '../../src/http/spec.js'

const text = readFileSync(DEFAULT_SPEC_PATH, 'utf8')
const pyyaml = spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0

describe('openapi.yaml as YAML', () => {
  it('parses with the yaml package in strict mode with unique keys, without errors or warnings', () => {
    const doc = parseDocument(text, { strict: true, uniqueKeys: true, prettyErrors: false })
    expect(doc.errors.map((e) => e.message)).toEqual([])
    expect(doc.warnings.map((w) => w.message)).toEqual([])
  })

  it('has no key without a value inside a flow mapping (a "," in a plain scalar splits it; PyYAML refuses the file)', () => {
    const doc = parseDocument(text)
    const bogus: string[] = []
    visit(doc, {
      Map(_, map) {
        if (!isMap(map) || !map.flow) return
        for (const pair of map.items) {
          if (isPair(pair) && pair.value === null)
            bogus.push(`line ${lineOf(pair.key)}: ${JSON.stringify(String(isScalar(pair.key) ? pair.key.value : pair.key))}`)
        }
      },
    })
    expect(bogus).toEqual([])
  })

  it.skipIf(!pyyaml)('loads with PyYAML (safe_load) into the same structure the server uses', () => {
    const script = 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'
    const out = execFileSync('python3', ['-c', script], { input: text, maxBuffer: 64 * 1024 * 1024 }).toString()
    expect(JSON.parse(out)).toEqual(JSON.parse(loadSpec().json))
  })
})

function lineOf(node: unknown): number {
  const offset = (node as { range?: [number] } | null)?.range?.[0] ?? 0
  return text.slice(0, offset).split('\n').length
}
