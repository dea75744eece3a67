// The live delivery settings: flags, env twins and createApp options, with the CLI's sentences.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { ConfigError, helpText, resolveConfig, resolveDeliverySettings } from '../../src/config.js'

describe('live delivery settings', () => {
  it('are off by default, and read from flags over env', () => {
    expect(resolveConfig([], {}).config).toMatchObject({ deliver: 'off' })
    expect(resolveConfig([], {}).config.deliverAllow).toBeUndefined()
    const env = { TALKOVER_MOCK_DELIVER: 'live', TALKOVER_MOCK_DELIVER_ALLOW: 'receiver:3000', TALKOVER_MOCK_DELIVER_BACKOFF: '1,2' }
    expect(resolveConfig([], env).config).toMatchObject({ deliver: 'live', deliverAllow: [{ host: 'receiver', port: 3000 }], deliverBackoff: [1, 2] })
    expect(resolveConfig(['--deliver', 'off', '--deliver-backoff', '0.5'], env).config).toMatchObject({ deliver: 'off', deliverBackoff: [0.5] })
  })

  it.each([
    [['--deliver', 'on'], 'Invalid --deliver "on": use off or live.'],
    [
      ['--deliver-backoff', '1,x'],
      'Invalid --deliver-backoff "1,x": "x" is not a number of seconds from 0 to 86400; use seconds separated by commas, like 1,2,4 or 0.1.',
    ],
    [
      ['--deliver-allow', 'a b'],
      'Invalid --deliver-allow "a b": "a b" is not a host or host:port; use host or host:port names separated by commas, like receiver:3000,hooks.internal.',
    ],
  ])('rejects %j with one sentence', (argv, message) => {
    expect(() => resolveConfig(argv, {})).toThrow(message)
  })

  it('takes lists as text or arrays in createApp, with the same checks', () => {
    expect(resolveDeliverySettings({ deliver: 'live', deliverAllow: ['receiver:3000', { host: 'hooks.internal' }], deliverBackoff: [1, 2.5] })).toEqual({
      deliver: 'live',
      allow: [{ host: 'receiver', port: 3000 }, { host: 'hooks.internal' }],
      backoff: [1, 2.5],
    })
    expect(resolveDeliverySettings({})).toEqual({ deliver: 'off', allow: [], backoff: undefined })
    expect(() => createApp({ deliver: 'sometimes' as 'live' })).toThrow(ConfigError)
    expect(() => createApp({ deliverBackoff: [-1] })).toThrow('Invalid deliverBackoff "-1"')
  })

  it('are in --help', () => {
    for (const flag of ['--deliver <value>', '--deliver-allow <value>', '--deliver-backoff <value>', 'talkover-mock trigger'])
      expect(helpText()).toContain(flag)
  })
})
