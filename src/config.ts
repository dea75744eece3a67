// Every start-up setting in one table: its flag, env twin, default, help and parser.
// Resolution is flags > env > defaults; values are validated once and the result is frozen.
// Pure: the CLI hands in argv, env and the wall clock.
import { parseArgs } from 'node:util'
import { CLOCK_MODES, type ClockMode } from './clock/clock.js'
import { parseAllowList, type AllowedHost } from './delivery/allow.js'
import { parseBackoff } from './delivery/backoff.js'
import { INJECTED_STATUSES } from './faults/decide.js'
import { parseLatency, type Latency } from './faults/latency.js'
import { NETWORK_FAULTS, type NetworkFault } from './faults/schedule.js'
import { parseInstant } from './world/time.js'

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
  latency?: Latency
  errorRate: number
  errorStatus: number
  fault?: NetworkFault
  faultRate: number
  failEvery: number
  retryAfter: number
  hangMs: number
  journalSize: number
  adminToken?: string
  retrySettleMs: number
  /** frozen: the world stands at its instant until moved (POST /__mock/clock); live: it runs. */
  clock: ClockMode
  /** Clock seconds per real second in live mode. */
  clockRate: number
  deliver: 'off' | 'live'
  deliverAllow?: AllowedHost[]
  deliverBackoff?: number[]
  rateLimit: number
  /** undefined: no CORS headers (`--cors-origin none`). */
  corsOrigin?: string
  stateBudgetMb: number
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

/** A parser of whole numbers in [min, max]; `form` says the accepted form in the error. */
export const wholeNumber = (min: number, max: number, form: string) => (raw: string, flag: string) => {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`Invalid ${flag} "${raw}": use ${form}.`)
  }
  return Number(raw)
}

const rate = (raw: string, flag: string) => {
  if (!/^(\d{1,2}(\.\d{0,12})?|\.\d{1,12})$/.test(raw) || Number(raw) > 1)
    throw new ConfigError(`Invalid ${flag} "${raw}": use a number from 0 to 1, like 0.1.`)
  return Number(raw)
}

/** A parser of one of `choices`. */
export const oneOf =
  <T extends string | number>(choices: readonly T[]) =>
  (raw: string, flag: string): T => {
    const hit = choices.find((c) => String(c) === raw)
    if (hit === undefined) {
      const list = choices.map(String)
      throw new ConfigError(`Invalid ${flag} "${raw}": use ${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}.`)
    }
    return hit
  }

/**
 * Parses `--now`: an ISO-8601 instant, or `wall` for the real time at start. Whole seconds only:
 * log timestamps have no fraction.
 * @example
 * parseNow('2024-01-15T12:00:00Z') //=> 1705320000
 */
export function parseNow(raw: string, flag = '--now', wallClock: () => number = () => NaN): number {
  if (raw === 'wall') {
    const at = wallClock()
    if (!Number.isFinite(at))
      throw new ConfigError(`Invalid ${flag} "wall": no clock to read here; use an ISO-8601 time with a zone like 2024-01-15T12:00:00Z.`)
    return inRange(Math.floor(at / 1000), flag, raw)
  }
  const ms = parseInstant(raw)
  if (Number.isNaN(ms)) {
    throw new ConfigError(`Invalid ${flag} "${raw}": use an ISO-8601 time with a zone like 2024-01-15T12:00:00Z, or "wall" for the time at start.`)
  }
  return inRange(Math.floor(ms / 1000), flag, raw)
}

/**
 * The instants `now` may take: every timestamp the world shows (rows and webhooks up to ~13 months
 * before `now`, retries after it) then keeps a four-digit year after 1970, as openapi.yaml's
 * Timestamp requires.
 */
export const NOW_RANGE = { min: '1971-01-01T00:00:00Z', max: '9998-12-31T23:59:59Z' } as const

function inRange(now: number, flag: string, raw: string): number {
  if (now < Date.parse(NOW_RANGE.min) / 1000 || now > Date.parse(NOW_RANGE.max) / 1000) {
    throw new ConfigError(`Invalid ${flag} "${raw}": use a time from ${NOW_RANGE.min} to ${NOW_RANGE.max}, like 2024-01-15T12:00:00Z.`)
  }
  return now
}

/** The settings table; the CLI help and docs/cli.md's table are written from it. */
export const SETTINGS = [
  setting({
    key: 'port',
    flag: '--port',
    env: ['TALKOVER_MOCK_PORT', 'PORT'],
    default: '4010',
    help: 'Port to listen on; 0 picks a free port.',
    parse: wholeNumber(0, 65535, 'a port number from 0 to 65535 (0 picks a free port)'),
  }),
  setting({
    key: 'host',
    flag: '--host',
    env: ['TALKOVER_MOCK_HOST', 'HOST'],
    default: '127.0.0.1',
    help: 'Interface to bind; 0.0.0.0 for all.',
    parse: (raw, flag) => {
      if (!/^[A-Za-z0-9.:_-]+$/.test(raw)) throw new ConfigError(`Invalid ${flag} "${raw}": use a host name or IP address like 127.0.0.1 or 0.0.0.0.`)
      return raw
    },
  }),
  setting({
    key: 'seed',
    flag: '--seed',
    env: ['TALKOVER_MOCK_SEED'],
    default: '1',
    help: 'Seed of the generated world; same seed, same bytes.',
    parse: wholeNumber(0, 4294967295, 'a whole number from 0 to 4294967295, like 42'),
  }),
  setting({
    key: 'now',
    flag: '--now',
    env: ['TALKOVER_MOCK_NOW'],
    default: DEFAULT_NOW,
    help: 'Instant the world is anchored at (ISO-8601), or "wall".',
    parse: parseNow,
  }),
  setting({
    key: 'fixtures',
    flag: '--fixtures',
    env: ['TALKOVER_MOCK_FIXTURES'],
    default: undefined,
    help: 'Fixture file or folder (YAML or JSON) declaring agents and webhooks.',
    parse: (raw) => raw,
  }),
  setting({
    key: 'token',
    flag: '--token',
    env: ['TALKOVER_MOCK_TOKEN'],
    default: undefined,
    help: 'Accept only this bearer token (otherwise any talq_… token).',
    parse: (raw, flag) => {
      if (!/^talq_\S+$/.test(raw)) throw new ConfigError(`Invalid ${flag} "${raw}": use a token that starts with talq_, like talq_local_dev.`)
      return raw
    },
  }),
  setting({
    key: 'quiet',
    flag: '--quiet',
    env: ['TALKOVER_MOCK_QUIET'],
    default: 'false',
    help: 'Do not print an access-log line per request.',
    parse: (raw, flag) => {
      const word = raw.toLowerCase()
      if (!/^(true|false|1|0|yes|no|on|off)$/.test(word)) {
        throw new ConfigError(`Invalid ${flag} "${raw}": use true or false (also 1/0, yes/no, on/off, in any case).`)
      }
      return word === 'true' || word === '1' || word === 'yes' || word === 'on'
    },
  }),
  setting({
    key: 'latency',
    flag: '--latency',
    env: ['TALKOVER_MOCK_LATENCY'],
    default: undefined,
    help: 'Delay of API responses: ms (250), a range (50-300) or percentiles (p50=80,p95=250,p99=600).',
    parse: (raw, flag) => {
      const parsed = parseLatency(raw)
      if (!parsed.ok) throw new ConfigError(`Invalid ${flag} "${raw}": ${parsed.hint}.`)
      return parsed.latency
    },
  }),
  setting({
    key: 'errorRate',
    flag: '--error-rate',
    env: ['TALKOVER_MOCK_ERROR_RATE'],
    default: '0',
    help: 'Share of API requests answered with --error-status (seeded schedule).',
    parse: rate,
  }),
  setting({
    key: 'errorStatus',
    flag: '--error-status',
    env: ['TALKOVER_MOCK_ERROR_STATUS'],
    default: '500',
    help: 'Status of injected errors: 429, 500, 502, 503 or 504.',
    parse: (raw, flag) => oneOf(INJECTED_STATUSES)(raw, flag),
  }),
  setting({
    key: 'fault',
    flag: '--fault',
    env: ['TALKOVER_MOCK_FAULT'],
    default: undefined,
    help: 'Network fault to inject: reset, hang or truncate.',
    parse: oneOf(NETWORK_FAULTS),
  }),
  setting({
    key: 'faultRate',
    flag: '--fault-rate',
    env: ['TALKOVER_MOCK_FAULT_RATE'],
    default: '1',
    help: 'Share of API requests that get --fault.',
    parse: rate,
  }),
  setting({
    key: 'failEvery',
    flag: '--fail-every',
    env: ['TALKOVER_MOCK_FAIL_EVERY'],
    default: '0',
    help: 'Every Nth API request fails with --error-status; 0 is off.',
    parse: wholeNumber(0, 1_000_000_000, 'a whole number like 3 (every third request fails), or 0 for never'),
  }),
  setting({
    key: 'retryAfter',
    flag: '--retry-after',
    env: ['TALKOVER_MOCK_RETRY_AFTER'],
    default: '1',
    help: 'Retry-After seconds on injected 429 and 503.',
    parse: wholeNumber(0, 86_400, 'whole seconds from 0 to 86400, like 1'),
  }),
  setting({
    key: 'hangMs',
    flag: '--hang-ms',
    env: ['TALKOVER_MOCK_HANG_MS'],
    default: '30000',
    help: 'How long a hang holds a connection before closing it.',
    parse: wholeNumber(1, 600_000, 'milliseconds from 1 to 600000, like 30000'),
  }),
  setting({
    key: 'journalSize',
    flag: '--journal-size',
    env: ['TALKOVER_MOCK_JOURNAL_SIZE'],
    default: '1000',
    help: 'Requests kept for GET /__mock/requests; 0 keeps none.',
    parse: wholeNumber(0, 100_000, 'a whole number from 0 to 100000, like 1000'),
  }),
  setting({
    key: 'retrySettleMs',
    flag: '--retry-settle-ms',
    env: ['TALKOVER_MOCK_RETRY_SETTLE_MS'],
    default: '2000',
    help: 'How long a retried log stays pending before it settles; 0 settles at once.',
    parse: wholeNumber(0, 3_600_000, 'milliseconds from 0 to 3600000, like 2000 (0 settles at once)'),
  }),
  setting({
    key: 'clock',
    flag: '--clock',
    env: ['TALKOVER_MOCK_CLOCK'],
    default: 'frozen',
    help: 'frozen: the world stays at --now until moved through POST /__mock/clock; live: it runs from --now.',
    parse: oneOf(CLOCK_MODES),
  }),
  setting({
    key: 'clockRate',
    flag: '--clock-rate',
    env: ['TALKOVER_MOCK_CLOCK_RATE'],
    default: '1',
    help: 'Clock seconds per real second with --clock live (60: a minute per second).',
    parse: (raw, flag) => {
      if (!/^(\d{1,7}(\.\d{1,6})?|\.\d{1,6})$/.test(raw) || Number(raw) <= 0 || Number(raw) > 1_000_000)
        throw new ConfigError(`Invalid ${flag} "${raw}": use a number above 0 and at most 1000000, like 60 (a minute passes per second).`)
      return Number(raw)
    },
  }),
  setting({
    key: 'deliver',
    flag: '--deliver',
    env: ['TALKOVER_MOCK_DELIVER'],
    default: 'off',
    help: 'live: send real, signed webhooks to allowed receivers and log each attempt; off: never.',
    parse: oneOf(['off', 'live'] as const),
  }),
  setting({
    key: 'deliverAllow',
    flag: '--deliver-allow',
    env: ['TALKOVER_MOCK_DELIVER_ALLOW'],
    default: undefined,
    help: 'Hosts live delivery may reach besides loopback: host[:port],… (e.g. a Compose service).',
    parse: (raw, flag) => {
      const list = parseAllowList(raw)
      if (typeof list === 'string')
        throw new ConfigError(`Invalid ${flag} "${raw}": ${list}; use host or host:port names separated by commas, like receiver:3000,hooks.internal.`)
      return list
    },
  }),
  setting({
    key: 'deliverBackoff',
    flag: '--deliver-backoff',
    env: ['TALKOVER_MOCK_DELIVER_BACKOFF'],
    default: undefined,
    help: 'Seconds between live attempts, like 1,2,4 (the last repeats); default 10,30,90… as in the logs.',
    parse: (raw, flag) => {
      const list = parseBackoff(raw)
      if (typeof list === 'string') throw new ConfigError(`Invalid ${flag} "${raw}": ${list}; use seconds separated by commas, like 1,2,4 or 0.1.`)
      return list
    },
  }),
  setting({
    key: 'rateLimit',
    flag: '--rate-limit',
    env: ['TALKOVER_MOCK_RATE_LIMIT'],
    default: '100',
    help: 'X-RateLimit-Limit of API responses (requests per minute; Remaining is always Limit - 1); 0 sends none.',
    parse: wholeNumber(0, 1_000_000, 'a whole number of requests per minute like 100, or 0 for no rate-limit headers'),
  }),
  setting({
    key: 'corsOrigin',
    flag: '--cors-origin',
    env: ['TALKOVER_MOCK_CORS_ORIGIN'],
    default: '*',
    help: 'Access-Control-Allow-Origin of every response: *, one origin like http://localhost:3000, or none.',
    parse: (raw, flag) => {
      if (raw === 'none') return undefined
      if (raw !== '*' && !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(raw)) {
        throw new ConfigError(`Invalid ${flag} "${raw}": use *, one origin like http://localhost:3000 (scheme, host and port, no path), or none.`)
      }
      return raw
    },
  }),
  setting({
    key: 'stateBudgetMb',
    flag: '--state-budget-mb',
    env: ['TALKOVER_MOCK_STATE_BUDGET_MB'],
    default: '64',
    help: "Megabytes all sessions' retries and webhook writes may hold; least recently used sessions are forgotten whole beyond it.",
    parse: wholeNumber(1, 4096, 'megabytes from 1 to 4096, like 64'),
  }),
  setting({
    key: 'adminToken',
    flag: '--admin-token',
    env: ['TALKOVER_MOCK_ADMIN_TOKEN'],
    default: undefined,
    help: 'Require Authorization: Bearer <secret> on /__mock/* (except health/ready and the dashboard page).',
    parse: (raw, flag) => {
      if (!/^[\x21-\x7e]{1,512}$/.test(raw))
        throw new ConfigError(`Invalid ${flag}: use a secret of printable characters without spaces, like one from openssl rand -hex 16.`)
      return raw
    },
  }),
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
    for (const s of SETTINGS) options[s.flag.slice(2)] = { type: BOOLEAN_KEYS.has(s.key) ? 'boolean' : 'string' }
    values = parseArgs({ args: withNegativeValues(argv, options), options, strict: true, allowPositionals: false }).values
  } catch (error) {
    throw new ConfigError(`${(error as Error).message.replace(/\s*\n\s*/g, ' ').replace(/\.$/, '')}. Run talkover-mock --help for the accepted flags.`)
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
  ].join('\n')
}

/**
 * Refuses keys of an options object that are not options, naming the closest one: a typo must
 * not be ignored silently.
 * @example
 * refuseUnknownOptions({ journalsize: 5 }, ['seed', 'journalSize'], 'createApp')
 * // throws 'Unknown createApp option "journalsize": did you mean "journalSize"? The options are seed, journalSize.'
 */
export function refuseUnknownOptions(options: object, known: readonly string[], what: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ConfigError(`Unknown ${what} option "${key}": did you mean "${closest(key, known)}"? The options are ${known.join(', ')}.`)
    }
  }
}

/**
 * The candidate fewest edits away from `name` (Levenshtein distance, ignoring case); the first on a tie.
 * @example
 * closest('journalsize', ['seed', 'journalSize']) //=> 'journalSize'
 */
export function closest(name: string, candidates: readonly string[]): string {
  let best = candidates[0]
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance]
  }
  return best
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = row
  }
  return previous[b.length]
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
