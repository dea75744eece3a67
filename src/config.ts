// Every start-up setting in one table: its flag, env twin, default, help and parser (the rows live
// in settings/, by concern). Resolution is flags > env > defaults; values are validated once and
// the result is frozen. Pure: the CLI hands in argv, env and the wall clock.
import { parseArgs } from 'node:util'
import type { AllowedHost } from './delivery/allow.js'
import { redactTokens } from './http/redact.js'
import { FAULT_SETTINGS } from './settings/faults.js'
import { FEATURE_SETTINGS } from './settings/features.js'
import { ConfigError, type Config, type Setting } from './settings/model.js'
import { SERVING_SETTINGS } from './settings/serving.js'

export { ConfigError, DEFAULT_NOW, type Config } from './settings/model.js'
export { closest, NOW_RANGE, parseNow, refuseUnknownOptions } from './settings/parsers.js'
export { checkOptionShapes } from './settings/options-shape.js'

/** The settings table; the CLI help and docs/cli.md's table are written from it. */
export const SETTINGS = [...SERVING_SETTINGS, ...FAULT_SETTINGS, ...FEATURE_SETTINGS]

const BOOLEAN_KEYS = new Set(['quiet'])

export interface CliRequest {
  config: Config
  help: boolean
  version: boolean
}

/**
 * Resolves argv and env into a frozen config: flags > env > defaults.
 * @example
 * resolveConfig(['--seed', '42'], {}).config.seed //=> 42
 */
export function resolveConfig(argv: string[], env: Record<string, string | undefined>, wallClock: () => number = () => NaN): CliRequest {
  let values: Record<string, string | boolean | undefined>
  try {
    const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' }, version: { type: 'boolean' } }
    for (const s of SETTINGS) options[s.flag.slice(2)] = { type: BOOLEAN_KEYS.has(s.key) ? 'boolean' : 'string' }
    values = parseArgs({ args: withNegativeValues(argv, options), options, strict: true, allowPositionals: false }).values
  } catch (error) {
    // A stray argument may be a token pasted in the wrong place: it is never quoted back.
    const message = (error as Error).message
      .replace(/\s*\n\s*/g, ' ')
      .replace(/^Unexpected argument '.*?'\. /s, 'Unexpected argument (not shown: it may be a secret). ')
      .replace(/\.$/, '')
    throw new ConfigError(`${redactTokens(message).text}. Run talkover-mock --help for the accepted flags.`)
  }
  const config: Record<string, unknown> = {}
  for (const s of SETTINGS) {
    const fromFlag = values[s.flag.slice(2)]
    const envName = s.env.find((name) => env[name] !== undefined && env[name] !== '')
    const raw = fromFlag !== undefined ? String(fromFlag) : envName ? env[envName]! : s.default
    const label = fromFlag !== undefined ? s.flag : (envName ?? s.flag)
    if (raw !== undefined) config[s.key] = s.parse(raw, label, wallClock)
  }
  return { config: Object.freeze(config) as unknown as Config, help: values.help === true, version: values.version === true }
}

/**
 * Joins `--flag -1` into `--flag=-1` for flags that take a value, so a negative number reaches
 * the setting's parser (whose sentence names the accepted range) instead of parseArgs, which
 * reads it as an option and calls the argument ambiguous.
 * @example
 * withNegativeValues(['--seed', '-1'], { seed: { type: 'string' } }) //=> ['--seed=-1']
 */
function withNegativeValues(argv: string[], options: Record<string, { type: 'string' | 'boolean' }>): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1]
    if (options[argv[i].slice(2)]?.type === 'string' && argv[i].startsWith('--') && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${argv[i]}=${next}`)
      i++
    } else out.push(argv[i])
  }
  return out
}

/** The `--help` text, written from the settings table. */
export function helpText(): string {
  const rows = SETTINGS.map((s) => {
    const flag = BOOLEAN_KEYS.has(s.key) ? s.flag : `${s.flag} <value>`
    const dflt = s.default !== undefined && !BOOLEAN_KEYS.has(s.key) ? ` (default ${s.default})` : ''
    return `  ${flag.padEnd(26)} ${s.help}${dflt} [env ${s.env.join(', ')}]`
  })
  return [
    'Usage: talkover-mock [options]',
    '       talkover-mock trigger <event> --webhook <agent_id>/<webhook_id> [--url …]   (see trigger --help)',
    '',
    'A deterministic mock of the Talkover webhook delivery logs API.',
    '',
    'Options:',
    ...rows,
    `  ${'--help'.padEnd(26)} Show this help.`,
    `  ${'--version'.padEnd(26)} Show the version.`,
    '',
    'Commands:',
    `  ${'record'.padEnd(26)} Record a webhook's delivery logs from the API into a fixture (talkover-mock record --help).`,
    `  ${'verify'.padEnd(26)} Check the API's answers against openapi.yaml for drift (talkover-mock verify --help).`,
    `  ${'check-receiver'.padEnd(26)} Check a webhook receiver with signed deliveries (talkover-mock check-receiver --help).`,
  ].join('\n')
}

/** Options of createApp/startServer: the CLI's settings as typed values, plus in-process hooks. */
export interface AppSettings {
  seed: number
  now: number
  fixtures?: string
  token?: string
}

/**
 * Validates programmatic options with the same rules and messages as the CLI. `now: 'wall'` reads
 * `wallClock` (epoch ms; createApp passes its clock), as `--now wall` reads the time at start.
 * @example
 * resolveAppSettings({ seed: 42, now: '2024-01-15T12:00:00Z' }) //=> { seed: 42, now: 1705320000 }
 */
export function resolveAppSettings(
  options: { seed?: number; now?: string | Date; fixtures?: string; token?: string },
  wallClock: () => number = () => Number.NaN,
): AppSettings {
  const date = options.now instanceof Date ? options.now : undefined
  const now = date ? (Number.isNaN(date.getTime()) ? 'Invalid Date' : date.toISOString().replace(/\.\d{3}Z$/, 'Z')) : options.now
  return Object.freeze({
    seed: parseSetting('seed', options.seed, 'seed'),
    now: parseSetting('now', now, 'now', wallClock),
    fixtures: options.fixtures,
    token: options.token === undefined ? undefined : parseSetting('token', options.token, 'token'),
  })
}

/**
 * Parses one setting from a programmatic value (or its default when undefined) with the CLI's
 * rules and messages; `label` names it in the message.
 * @example
 * parseSetting('errorRate', 0.1, 'faults.errorRate') //=> 0.1
 * parseSetting('errorRate', undefined, 'x') //=> 0
 */
export function parseSetting<K extends keyof Config>(key: K, value: unknown, label: string, wallClock: () => number = () => NaN): Config[K] {
  const s = SETTINGS.find((row) => row.key === key) as unknown as Setting<K>
  const raw = value === undefined ? s.default : String(value)
  return (raw === undefined ? undefined : s.parse(raw, label, wallClock)) as Config[K]
}

/** Live delivery settings of createApp, validated. */
export interface DeliverySettings {
  deliver: 'off' | 'live'
  allow: AllowedHost[]
  backoff?: number[]
}

/**
 * Validates createApp's delivery options with the CLI's rules and messages; lists may be given
 * as the flag's text or as arrays.
 * @example
 * resolveDeliverySettings({ deliver: 'live', deliverAllow: ['receiver:3000'], deliverBackoff: [1, 2] })
 * //=> { deliver: 'live', allow: [{ host: 'receiver', port: 3000 }], backoff: [1, 2] }
 */
export function resolveDeliverySettings(options: {
  deliver?: string
  deliverAllow?: string | readonly (string | AllowedHost)[]
  deliverBackoff?: string | readonly number[]
}): DeliverySettings {
  const allow = Array.isArray(options.deliverAllow)
    ? options.deliverAllow.map((a: string | AllowedHost) => (typeof a === 'string' ? a : a.port === undefined ? a.host : `${a.host}:${a.port}`)).join(',')
    : options.deliverAllow
  const backoff = Array.isArray(options.deliverBackoff) ? options.deliverBackoff.join(',') : options.deliverBackoff
  return Object.freeze({
    deliver: parseSetting('deliver', options.deliver, 'deliver'),
    allow: (allow === undefined || allow === '' ? undefined : parseSetting('deliverAllow', allow, 'deliverAllow')) ?? [],
    backoff: backoff === undefined ? undefined : parseSetting('deliverBackoff', backoff, 'deliverBackoff'),
  })
}
