import { describe, expect, it } from 'vitest'
import { pathAndSearch } from '../../src/admin/observe.js'

describe('the path and query the journal shows', () => {
  it.each([
    'http://localhost/api/v1/agents/a/webhooks/w/logs',
    'http://localhost/api/v1/agents/a/webhooks/w/logs?per_page=100&page=2',
    'http://127.0.0.1:4010/api/v1/agents/ag%C3%AAnt-%C3%BC/webhooks/wh%22q/logs?x=%20',
    'http://localhost/api/v1/agents/a b/logs?q=a b',
    'http://localhost/api/v1/agents/agênt/logs?n=ü',
    'http://localhost/api/v1/../v1/agents/./a/logs',
    'http://localhost/api/v1/agents/a/logs/..',
    'http://localhost/x?',
    'http://localhost/x?a=1#frag',
    'http://localhost/x#frag',
    'http://localhost/x?a=<b>&c="d"',
    'http://localhost/x/%2e%2e/y',
    'http://localhost/x/.%2E/y?z',
    'http://localhost/x/%2e/y',
    'http://localhost/x/a%2eb',
    'http://localhost',
    'http://localhost/x?a=1?b=2',
  ])('is what new URL() gives for %s', (url) => {
    const parsed = new URL(url)
    expect(pathAndSearch(url)).toEqual([parsed.pathname, parsed.search])
  })
})
