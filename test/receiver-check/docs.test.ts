// docs/receiver.md shows examples/receiver.mjs verbatim (the process test runs the file), and
// explains every check the command runs.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CHECKS } from '../../src/receiver-check/checks.js'

const doc = readFileSync(new URL('../../docs/receiver.md', import.meta.url), 'utf8')
const section = doc.slice(doc.indexOf('## Check your receiver'), doc.indexOf('## What starts a delivery'))

describe('docs/receiver.md, Check your receiver', () => {
  it('shows examples/receiver.mjs exactly as the file the suite runs', () => {
    const block = /### A receiver that passes every check[\s\S]*?```js\n([\s\S]*?)```/.exec(section)?.[1]
    expect(block).toBe(readFileSync(new URL('../../examples/receiver.mjs', import.meta.url), 'utf8'))
  })

  it('explains every check in its table', () => {
    const table = section.slice(section.indexOf('### The checks, and why'))
    for (const check of CHECKS) {
      const named = check.id.startsWith('event:') ? '`event:<name>`' : `\`${check.id}\``
      expect(table, check.id).toContain(named)
    }
  })
})
