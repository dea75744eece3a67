// The fault settings on the command line and in the environment (the binary: test/cli.test.ts).
import { describe, expect, it } from 'vitest'
import { helpText, resolveConfig } from '../../src/config.js'
import { faultOptionsOf } from '../../src/faults/options.js'

describe('fault flags and their env twins', () => {
  it('has quiet defaults: no latency, no errors, no faults', () => {
    const { config } = resolveConfig([], {})
    expect(config).toMatchObject({ errorRate: 0, errorStatus: 500, faultRate: 1, failEvery: 0, retryAfter: 1, hangMs: 30000, journalSize: 1000 })
    expect(config.latency).toBeUndefined()
    expect(config.fault).toBeUndefined()
    expect(config.adminToken).toBeUndefined()
  })

  it('reads every flag', () => {
    const argv = [
      '--latency',
      'p50=80,p99=600',
      '--error-rate',
      '0.25',
      '--error-status',
      '503',
      '--fault',
      'truncate',
      '--fault-rate',
      '0.5',
      '--fail-every',
      '4',
      '--retry-after',
      '3',
      '--hang-ms',
      '5000',
      '--journal-size',
      '10',
      '--admin-token',
      'adm1n',
    ]
    const { config } = resolveConfig(argv, {})
    expect(config).toMatchObject({
      errorRate: 0.25,
      errorStatus: 503,
      fault: 'truncate',
      faultRate: 0.5,
      failEvery: 4,
      retryAfter: 3,
      hangMs: 5000,
      journalSize: 10,
      adminToken: 'adm1n',
    })
    expect(faultOptionsOf(config)).toEqual({
      latency: 'p50=80,p99=600',
      errorRate: 0.25,
      errorStatus: 503,
      fault: 'truncate',
      faultRate: 0.5,
      failEvery: 4,
      retryAfter: 3,
      hangMs: 5000,
    })
  })

  it('reads the env twins, and flags win over them', () => {
    const env = {
      TALKOVER_MOCK_LATENCY: '50-300',
      TALKOVER_MOCK_ERROR_RATE: '0.1',
      TALKOVER_MOCK_ERROR_STATUS: '429',
      TALKOVER_MOCK_FAULT: 'reset',
      TALKOVER_MOCK_FAULT_RATE: '0.2',
      TALKOVER_MOCK_FAIL_EVERY: '5',
      TALKOVER_MOCK_RETRY_AFTER: '2',
      TALKOVER_MOCK_HANG_MS: '100',
      TALKOVER_MOCK_JOURNAL_SIZE: '7',
      TALKOVER_MOCK_ADMIN_TOKEN: 'from-env',
    }
    expect(resolveConfig([], env).config).toMatchObject({
      latency: { kind: 'range', min: 50, max: 300 },
      errorRate: 0.1,
      errorStatus: 429,
      fault: 'reset',
      faultRate: 0.2,
      failEvery: 5,
      retryAfter: 2,
      hangMs: 100,
      journalSize: 7,
      adminToken: 'from-env',
    })
    expect(resolveConfig(['--error-rate', '0.9'], env).config.errorRate).toBe(0.9)
  })

  it.each([
    [['--latency', 'slow'], 'Invalid --latency "slow": use milliseconds like 250, a range like 50-300 or percentiles like p50=80,p95=250,p99=600.'],
    [['--latency', '300-50'], 'Invalid --latency "300-50": use a range whose lower bound comes first, like 50-300.'],
    [['--error-rate', '10%'], 'Invalid --error-rate "10%": use a number from 0 to 1, like 0.1.'],
    [['--error-rate', '1.5'], 'Invalid --error-rate "1.5": use a number from 0 to 1, like 0.1.'],
    [['--error-status', '418'], 'Invalid --error-status "418": use 429, 500, 502, 503 or 504.'],
    [['--fault', 'timeout'], 'Invalid --fault "timeout": use reset, hang or truncate.'],
    [['--fail-every', 'two'], 'Invalid --fail-every "two": use a whole number like 3 (every third request fails), or 0 for never.'],
    [['--hang-ms', '0'], 'Invalid --hang-ms "0": use milliseconds from 1 to 600000, like 30000.'],
    [['--journal-size', '1e3'], 'Invalid --journal-size "1e3": use a whole number from 0 to 100000, like 1000.'],
    [['--admin-token', 'has space'], 'Invalid --admin-token: use a secret of printable characters without spaces, like one from openssl rand -hex 16.'],
  ])('rejects %j with one sentence', (argv, message) => {
    expect(() => resolveConfig(argv, {})).toThrow(message)
  })

  it('reads --latency p0=50 as a constant 50 ms (it crashed with a stack trace before)', () => {
    expect(resolveConfig(['--latency', 'p0=50'], {}).config.latency).toMatchObject({
      kind: 'percentiles',
      points: [
        [0, 50],
        [1, 50],
      ],
    })
  })

  it('never echoes a bad admin token', () => {
    expect(() => resolveConfig([], { TALKOVER_MOCK_ADMIN_TOKEN: 'secret with space' })).toThrow(/^Invalid TALKOVER_MOCK_ADMIN_TOKEN: /)
  })

  it('lists the new flags in --help', () => {
    for (const flag of [
      '--latency',
      '--error-rate',
      '--error-status',
      '--fault',
      '--fault-rate',
      '--fail-every',
      '--retry-after',
      '--hang-ms',
      '--journal-size',
      '--admin-token',
    ]) {
      expect(helpText()).toContain(`${flag} <value>`)
    }
  })
})
