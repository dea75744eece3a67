// The allow-list: loopback always, listed hosts (and ports) too, anything else never, decided from
// the URL text before any lookup.
import { describe, expect, it } from 'vitest'
import { checkUrl, parseAllowList } from '../../src/delivery/allow.js'

describe('parseAllowList', () => {
  it('reads hosts, host:port pairs and bracketed IPv6', () => {
    expect(parseAllowList('receiver:3000, Hooks.Internal ,[fd00::1]:8080')).toEqual([
      { host: 'receiver', port: 3000 },
      { host: 'hooks.internal' },
      { host: '[fd00::1]', port: 8080 },
    ])
  })

  it.each(['http://x', 'host:0', 'host:70000', 'a b', 'host:port'])('names a bad entry: %s', (raw) => {
    expect(parseAllowList(raw)).toMatch(/is not a host or host:port/)
  })
})

describe('checkUrl', () => {
  it.each(['http://localhost:3000/hook', 'http://127.0.0.1/x', 'http://127.8.9.10:1/', 'https://[::1]:8443/h', 'http://0x7f.1:9/'])(
    'allows loopback: %s',
    (url) => {
      expect(checkUrl(url, []).ok).toBe(true)
    },
  )

  it.each([
    'http://127.0.0.1.nip.invalid/x',
    'http://localhost.invalid/x',
    'http://sub.localhost.invalid/',
    'http://[::ffff:10.0.0.1]/',
    'http://10.0.0.1/',
    'https://hooks.example.invalid/webhook',
  ])('refuses anything else: %s', (url) => {
    const decision = checkUrl(url, [])
    expect(decision.ok).toBe(false)
    if (!decision.ok) expect(decision.reason).toMatch(/--deliver-allow/)
  })

  it('allows a listed host on any port, or only on the listed port', () => {
    const allowed = [{ host: 'receiver.invalid' }, { host: 'hooks.invalid', port: 8080 }]
    expect(checkUrl('http://receiver.invalid:1234/x', allowed).ok).toBe(true)
    expect(checkUrl('http://hooks.invalid:8080/x', allowed).ok).toBe(true)
    expect(checkUrl('http://hooks.invalid/x', allowed).ok).toBe(false)
    expect(checkUrl('http://other.receiver.invalid/x', allowed).ok).toBe(false)
  })

  it('says how to allow a refused host, port included', () => {
    const decision = checkUrl('http://receiver.invalid:3000/hook', [])
    expect(decision).toEqual({
      ok: false,
      reason:
        'talkover-mock did not contact receiver.invalid: live delivery only reaches loopback hosts and the --deliver-allow list. To deliver there, start the mock with --deliver-allow receiver.invalid:3000.',
    })
  })

  it('refuses schemes other than http and https', () => {
    expect(checkUrl('ftp://127.0.0.1/x', [])).toMatchObject({ ok: false, reason: expect.stringMatching(/only sends to http and https/) })
  })
})
