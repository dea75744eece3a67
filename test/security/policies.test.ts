// The pure parts of the guards, table-driven: which Host names pass, and which origins CORS allows.
import { describe, expect, it } from 'vitest'
import { corsHeaders, isLoopbackOrigin, parseCorsOrigin } from '../../src/http/cors.js'
import { hostName, hostPolicy, parseAllowedHosts } from '../../src/http/hosts.js'

describe('the Host check', () => {
  const dflt = hostPolicy('')
  it.each([
    ['localhost:4010', true],
    ['api.localhost', true],
    ['127.0.0.1:4010', true],
    ['[::1]:4010', true],
    ['talkover-mock', true],
    ['evil.example', false],
    ['localhost.evil.example', false],
    ['127.0.0.1.nip.io:4010', false],
    ['', false],
    ['evil.example:80:80', false],
    ['evil.example.', false],
  ])('%j passes by default: %s', (host, passes) => {
    expect(dflt(host)).toBe(passes)
  })

  it('reads a Host value as a name without port or trailing dot', () => {
    expect(hostName('LocalHost.:4010')).toBe('localhost')
    expect(hostName('[::1]:4010')).toBe('[::1]')
    expect(hostName('a:b:c')).toBeUndefined()
  })

  it('parses --allowed-hosts into one form, or says what is wrong', () => {
    expect(parseAllowedHosts('Mock.Internal, .example.com')).toEqual({ hosts: 'mock.internal,.example.com' })
    expect(parseAllowedHosts('*')).toEqual({ hosts: '*' })
    expect(parseAllowedHosts('a,,b')).toEqual({ problem: '"" is not a host name' })
    expect(parseAllowedHosts('http://x/')).toEqual({ problem: '"http://x/" is not a host name' })
  })
})

describe('the CORS policy', () => {
  it.each([
    ['http://localhost', true],
    ['https://localhost:8443', true],
    ['http://a.b.localhost:3000', true],
    ['http://127.0.0.1:1', true],
    ['http://[::1]:5173', true],
    ['http://localhost.evil.example', false],
    ['http://127.0.0.2', false],
    ['file://', false],
    ['null', false],
  ])('%s is a loopback origin: %s', (origin, loopback) => {
    expect(isLoopbackOrigin(origin)).toBe(loopback)
    expect(corsHeaders('loopback').allows(origin)).toBe(loopback)
  })

  it('allows every origin with *, none with none, and the listed ones (case-insensitively) with a list', () => {
    expect(corsHeaders('*').allows('http://evil.example')).toBe(true)
    expect(corsHeaders('none').allows('http://localhost')).toBe(false)
    const listed = corsHeaders('http://app.test:3000')
    expect(listed.allows('http://APP.test:3000')).toBe(true)
    expect(listed.allows('http://localhost:3000')).toBe(false)
  })

  it('parses --cors-origin into one form, or says what is wrong', () => {
    expect(parseCorsOrigin('none')).toEqual({ origins: 'none' })
    expect(parseCorsOrigin('HTTP://App.Test:3000/, loopback')).toEqual({ origins: 'http://app.test:3000,loopback' })
    expect(parseCorsOrigin('*,loopback')).toEqual({ problem: '"*" is not an origin' })
  })
})
