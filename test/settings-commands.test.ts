import { describe, expect, it } from 'vitest'
import { commandHelp, resolveRecord, resolveVerify } from '../src/settings/commands.js'
import { progressLine } from '../src/record/command.js'

const TOKEN = 'talq_config_secret'
const env = { TALKOVER_TOKEN: TOKEN }

describe('the record and verify flag tables', () => {
  it('take defaults, env and flags in that order of precedence', () => {
    expect(resolveRecord(['--agent', 'a'], env).settings).toEqual({
      upstream: 'https://app.talkover.ai/api/v1',
      token: TOKEN,
      owner: 'agent',
      ownerId: 'a',
      agent: 'a',
      webhookIds: [],
      out: 'fixtures/recorded.yaml',
      anonymise: true,
      seed: 1,
      rate: 90,
      timeout: 30,
    })
    const flags = ['--agent', 'a', '--webhook', 'w1', '--webhook', 'w2', '--anonymise', 'off', '--seed', '42', '--max-rows', '500', '--token', 'talq_flag']
    expect(resolveRecord(flags, { ...env, TALKOVER_UPSTREAM: 'http://127.0.0.1:4010' }).settings).toMatchObject({
      upstream: 'http://127.0.0.1:4010',
      token: 'talq_flag',
      webhookIds: ['w1', 'w2'],
      anonymise: false,
      seed: 42,
      maxRows: 500,
    })
    expect(resolveVerify(['--campaign', 'c', '--webhook', 'w', '--format', 'junit', '--timeout', '2.5'], env).settings).toMatchObject({
      timeout: 2.5,
      owner: 'campaign',
      ownerId: 'c',
      webhookIds: ['w'],
      format: 'junit',
    })
  })

  it.each([
    [['--agent', 'a'], {}, "Missing token: set TALKOVER_TOKEN (or pass --token) to your environment's talq_… token."],
    [[], env, 'Missing --agent: name the agent whose webhooks to record, like --agent 9fbef0b7-8d4e-4a08-9207-66c22155721d.'],
    [['--agent', 'a', '--campaign', 'c'], env, "Use --agent or --campaign, not both: talkover-mock record works on one owner's webhooks."],
    [['--campaign', 'c'], env, 'Missing --webhook: campaigns have no list of webhooks to read, so name each one with --webhook.'],
    [
      ['--agent', 'a', '--upstream', 'ftp://x'],
      env,
      'Invalid --upstream "ftp://x": use an http(s) base URL like https://app.talkover.ai/api/v1 or http://127.0.0.1:4010.',
    ],
    [['--agent', 'a', '--rate', '0'], env, 'Invalid --rate "0": use requests per minute from 1 to 60000, like 90.'],
    [['--agent', 'a', '--timeout', '0'], env, 'Invalid --timeout "0": use seconds from 0.1 to 3600, like 30.'],
    [['--agent', 'a', '--timeout', 'forever'], env, 'Invalid --timeout "forever": use seconds from 0.1 to 3600, like 30.'],
    [
      ['--agent', 'a'],
      { TALKOVER_TOKEN: 'not-a-token' },
      "Invalid TALKOVER_TOKEN: use your environment's API token, which starts with talq_ (the value is not shown).",
    ],
    [['--agent', 'a', '--bogus'], env, "Unknown option '--bogus'. Run talkover-mock record --help for the accepted flags."],
  ])('reject %j in one sentence', (argv, given, message) => {
    expect(() => resolveRecord(argv, given)).toThrow(message)
  })

  it('never echo a token, even a stray one', () => {
    expect(() => resolveRecord(['--agent', 'a', TOKEN], env)).toThrow(/talq_…/)
    expect(() => resolveRecord(['--agent', 'a', TOKEN], env)).not.toThrow(TOKEN)
    expect(() => resolveRecord(['--agent', 'a', '--token', 'talq bad'], env)).not.toThrow('talq bad')
  })

  it('write --help from the tables', () => {
    expect(commandHelp('record')).toContain('--anonymise <value>')
    expect(commandHelp('record')).toContain('[env TALKOVER_TOKEN]')
    expect(commandHelp('verify')).toContain('--format <value>')
    for (const command of ['record', 'verify'] as const) expect(commandHelp(command)).toMatch(/--timeout <value> +Seconds one request may take.*\(default 30\)/)
  })
})

describe('the progress line', () => {
  it.each([
    [{ rows: 1200, total: 50000, requests: 13, elapsedMs: 8667 }, 'recorded 1200 of 50000 rows · 13 requests · 1.5 req/s · ETA 5m 52s'],
    [{ rows: 0, total: 0, requests: 1, elapsedMs: 0 }, 'recorded 0 of 0 rows · 1 requests · 0.0 req/s · ETA ?'],
    [{ rows: 247, total: 247, requests: 3, elapsedMs: 2000 }, 'recorded 247 of 247 rows · 3 requests · 1.5 req/s · ETA 0s'],
  ])('%j', (progress, line) => {
    expect(progressLine(progress)).toBe(line)
  })
})
