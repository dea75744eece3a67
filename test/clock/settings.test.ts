import { describe, expect, it } from 'vitest'
import { ConfigError, helpText, resolveConfig } from '../../src/config.js'

describe('--clock and --clock-rate', () => {
  it('default to a frozen clock at rate 1', () => {
    expect(resolveConfig([], {}).config).toMatchObject({ clock: 'frozen', clockRate: 1 })
  })

  it('read flags before their env twins', () => {
    expect(resolveConfig(['--clock', 'live', '--clock-rate', '60'], {}).config).toMatchObject({ clock: 'live', clockRate: 60 })
    expect(resolveConfig([], { TALKOVER_MOCK_CLOCK: 'live', TALKOVER_MOCK_CLOCK_RATE: '0.5' }).config).toMatchObject({ clock: 'live', clockRate: 0.5 })
    expect(resolveConfig(['--clock-rate', '2'], { TALKOVER_MOCK_CLOCK_RATE: '0.5' }).config.clockRate).toBe(2)
  })

  it.each([
    [['--clock', 'fast'], 'Invalid --clock "fast": use frozen or live.'],
    [['--clock-rate', '0'], 'Invalid --clock-rate "0": use a number above 0 and at most 1000000, like 60 (a minute passes per second).'],
    [['--clock-rate', 'x'], 'Invalid --clock-rate "x": use a number above 0 and at most 1000000, like 60 (a minute passes per second).'],
  ])('refuses %j with one sentence', (argv, message) => {
    expect(() => resolveConfig(argv, {})).toThrow(new ConfigError(message))
  })

  it('are in --help with their env twins', () => {
    expect(helpText()).toMatch(/--clock <value> .*\(default frozen\) \[env TALKOVER_MOCK_CLOCK\]/)
    expect(helpText()).toMatch(/--clock-rate <value> .*\(default 1\) \[env TALKOVER_MOCK_CLOCK_RATE\]/)
  })
})
