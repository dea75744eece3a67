// Every start-up setting in one table: its flag, env twin, default, help and parser.
// Resolution is flags > env > defaults; values are validated once and the result is frozen.
// Pure: the CLI hands in argv, env and the wall clock.
import { parseArgs } from 'node:util'

/** Thrown for a bad setting; the message is one sentence naming it and the accepted form. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** The anchor of the generated world when none is given: the docs example's day. */
export const DEFAULT_NOW = '2024-01-15T12:00:00Z'

export interface Config {
  port: number
  host: string
  seed: number
  /** The instant the generated world is anchored at, in epoch seconds. Never moves while serving. */
  now: number
  fixtures?: string
  token?: string
  quiet: boolean
}

interface Setting<K extends keyof Config> {
  key: K
  flag: string
  env: string[]
  default: string | undefined
  help: string
  parse: (raw: string, flag: string, wallClock: () => number) => Config[K]
}

const setting = <K extends keyof Config>(s: Setting<K>) => s

const wholeNumber = (min: number, max: number, form: string) => (raw: string, flag: string) => {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`Invalid ${flag} "${raw}": use ${form}.`)
  }
  return Number(raw)
}

/**
 * Parses `--now`: an ISO-8601 instant, or `wall` for the real time at start. Whole seconds only:
 * log timestamps have no fraction.
 * @example
 * parseNow('2024-01-15T12:00:00Z') //=> 1705320000
 */
export function parseNow(raw: string, flag = '--now', wallClock: () => number = () => NaN): number {
  if (raw === 'wall') return Math.floor(wallClock() / 1000)
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) ? Date.parse(raw) : NaN
  if (Number.isNaN(ms)) {
    throw new ConfigError(`Invalid ${flag} "${raw}": use an ISO-8601 time with a zone like 2024-01-15T12:00:00Z, or "wall" for the time at start.`)
  }
  return Math.floor(ms / 1000)
}

/** The settings table; the CLI help and the README's CLI table are written from it. */
export const SETTINGS = [
  setting({ key: 'port', flag: '--port', env: ['TALKOVER_MOCK_PORT', 'PORT'], default: '4010', help: 'Port to listen on; 0 picks a free port.', parse: wholeNumber(0, 65535, 'a port number from 0 to 65535 (0 picks a free port)') }),
  setting({ key: 'host', flag: '--host', env: ['TALKOVER_MOCK_HOST', 'HOST'], default: '127.0.0.1', help: 'Interface to bind; 0.0.0.0 for all.', parse: (raw, flag) => {
    if (!/^[A-Za-z0-9.:_-]+$/.test(raw)) throw new ConfigError(`Invalid ${flag} "${raw}": use a host name or IP address like 127.0.0.1 or 0.0.0.0.`)
    return raw
  } }),
  setting({ key: 'seed', flag: '--seed', env: ['TALKOVER_MOCK_SEED'], default: '1', help: 'Seed of the generated world; same seed, same bytes.', parse: wholeNumber(0, 4294967295, 'a whole number from 0 to 4294967295, like 42') }),
  setting({ key: 'now', flag: '--now', env: ['TALKOVER_MOCK_NOW'], default: DEFAULT_NOW, help: 'Instant the world is anchored at (ISO-8601), or "wall".', parse: parseNow }),
  setting({ key: 'fixtures', flag: '--fixtures', env: ['TALKOVER_MOCK_FIXTURES'], default: undefined, help: 'Fixture file or folder (YAML or JSON) declaring agents and webhooks.', parse: (raw) => raw }),
  setting({ key: 'token', flag: '--token', env: ['TALKOVER_MOCK_TOKEN'], default: undefined, help: 'Accept only this bearer token (otherwise any talq_… token).', parse: (raw, flag) => {
    if (!/^talq_\S+$/.test(raw)) throw new ConfigError(`Invalid ${flag} "${raw}": use a token that starts with talq_, like talq_local_dev.`)
    return raw
  } }),
  setting({ key: 'quiet', flag: '--quiet', env: ['TALKOVER_MOCK_QUIET'], default: 'false', help: 'Do not print an access-log line per request.', parse: (raw, flag) => {
    if (!/^(true|false|1|0)$/.test(raw)) throw new ConfigError(`Invalid ${flag} "${raw}": use true or false.`)
    return raw === 'true' || raw === '1'
  } }),
]

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
    for (const s of SETTINGS) options[s.key] = { type: BOOLEAN_KEYS.has(s.key) ? 'boolean' : 'string' }
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values
  } catch (error) {
    throw new ConfigError(`${(error as Error).message.replace(/\s*\n\s*/g, ' ').replace(/\.$/, '')}. Run talkover-mock --help for the accepted flags.`)
  }
  const config: Record<string, unknown> = {}
  for (const s of SETTINGS) {
    const fromFlag = values[s.key]
    const envName = s.env.find((name) => env[name] !== undefined && env[name] !== '')
    const raw = fromFlag !== undefined ? String(fromFlag) : envName ? env[envName]! : s.default
    const label = fromFlag !== undefined ? s.flag : envName ?? s.flag
    if (raw !== undefined) config[s.key] = s.parse(raw, label, wallClock)
  }
  return { config: Object.freeze(config) as unknown as Config, help: values.help === true, version: values.version === true }
}

/** The `--help` text, written from the settings table. */
export function helpText(): string {
  const rows = SETTINGS.map((s) => {
    const flag = BOOLEAN_KEYS.has(s.key) ? s.flag : `${s.flag} <value>`
    const dflt = s.default !== undefined && !BOOLEAN_KEYS.has(s.key) ? ` (default ${s.default})` : ''
    return `  ${flag.padEnd(22)} ${s.help}${dflt} [env ${s.env.join(', ')}]`
  })
  return [
    'Usage: talkover-mock [options]',
    '',
    'A deterministic mock of the Talkover webhook delivery logs API.',
    '',
    'Options:',
    ...rows,
    `  ${'--help'.padEnd(22)} Show this help.`,
    `  ${'--version'.padEnd(22)} Show the version.`,
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
 * Validates programmatic options with the same rules and messages as the CLI.
 * @example
 * resolveAppSettings({ seed: 42, now: '2024-01-15T12:00:00Z' }) //=> { seed: 42, now: 1705320000 }
 */
export function resolveAppSettings(options: { seed?: number; now?: string | Date; fixtures?: string; token?: string }): AppSettings {
  const pick = <K extends keyof Config>(key: K) => SETTINGS.find((s) => s.key === key) as unknown as Setting<K>
  const now = options.now instanceof Date ? options.now.toISOString().replace(/\.\d{3}Z$/, 'Z') : options.now
  return Object.freeze({
    seed: pick('seed').parse(String(options.seed ?? pick('seed').default), 'seed', () => NaN),
    now: pick('now').parse(now ?? DEFAULT_NOW, 'now', () => NaN),
    fixtures: options.fixtures,
    token: options.token === undefined ? undefined : pick('token').parse(options.token, 'token', () => NaN),
  })
}
