// The settings of the `record` and `verify` subcommands, one table each in the style of config.ts:
// flag, env twin, default, help and parser; flags > env > defaults; one-sentence errors (the CLI
// exits 2). Pure: the CLI hands in argv and env. The token is never part of an error message.
import { parseArgs } from 'node:util'
import { ConfigError } from './model.js'
import { oneOf, wholeNumber } from './parsers.js'
import type { RecordSettings } from '../record/command.js'
import type { VerifySettings } from '../verify/command.js'
import { TALKOVER_BASE_URL } from '../record/upstream.js'

interface Arg {
  key: string
  flag: string
  env: string[]
  default?: string
  help: string
  /** Parses one raw value; `multiple` args get each value in turn. */
  parse: (raw: string, flag: string) => unknown
  multiple?: boolean
}

const url = (raw: string, flag: string) => {
  if (!/^https?:\/\/[^\s/?#]+/.test(raw) || !URL.canParse(raw))
    throw new ConfigError(`Invalid ${flag} "${raw}": use an http(s) base URL like ${TALKOVER_BASE_URL} or http://127.0.0.1:4010.`)
  return raw
}
const token = (raw: string, flag: string) => {
  if (!/^talq_\S+$/.test(raw)) throw new ConfigError(`Invalid ${flag}: use your environment's API token, which starts with talq_ (the value is not shown).`)
  return raw
}
const id = (what: string) => (raw: string, flag: string) => {
  if (!/^[^\s/?#]{1,255}$/.test(raw))
    throw new ConfigError(`Invalid ${flag} "${raw}": use the ${what}'s id as the dashboard shows it, like 9fbef0b7-8d4e-4a08-9207-66c22155721d.`)
  return raw
}

const seconds = (raw: string, flag: string) => {
  if (!/^\d{1,4}(\.\d{1,3})?$/.test(raw) || Number(raw) < 0.1 || Number(raw) > 3600)
    throw new ConfigError(`Invalid ${flag} "${raw}": use seconds from 0.1 to 3600, like 30.`)
  return Number(raw)
}

const COMMON: Arg[] = [
  { key: 'upstream', flag: '--upstream', env: ['TALKOVER_UPSTREAM'], default: TALKOVER_BASE_URL, help: 'Base URL of the API to talk to.', parse: url },
  { key: 'token', flag: '--token', env: ['TALKOVER_TOKEN'], help: 'API token (talq_…); never printed or written. Prefer the env variable.', parse: token },
  { key: 'agent', flag: '--agent', env: [], help: 'Agent whose webhooks to use.', parse: id('agent') },
  { key: 'campaign', flag: '--campaign', env: [], help: 'Campaign whose webhooks to use (needs --webhook).', parse: id('campaign') },
  {
    key: 'webhookIds',
    flag: '--webhook',
    env: [],
    help: "A webhook to use; repeat for more (default: all of the agent's).",
    parse: id('webhook'),
    multiple: true,
  },
  {
    key: 'timeout',
    flag: '--timeout',
    env: [],
    default: '30',
    help: 'Seconds one request may take, answer and body; a request that takes longer is abandoned (and tried once more).',
    parse: seconds,
  },
]

/** The record subcommand's table. */
export const RECORD_ARGS: Arg[] = [
  ...COMMON,
  {
    key: 'maxRows',
    flag: '--max-rows',
    env: [],
    help: 'Record at most this many rows per webhook (the newest).',
    parse: wholeNumber(1, 10_000_000, 'a whole number like 5000'),
  },
  { key: 'out', flag: '--out', env: [], default: 'fixtures/recorded.yaml', help: 'Fixture file to write.', parse: (raw) => raw },
  {
    key: 'anonymise',
    flag: '--anonymise',
    env: ['TALKOVER_MOCK_ANONYMISE'],
    default: 'on',
    help: 'Replace phone numbers, names, e-mails, call ids and free text with seeded fakes.',
    parse: (raw, flag) => oneOf(['on', 'off'])(raw, flag) === 'on',
  },
  {
    key: 'seed',
    flag: '--seed',
    env: ['TALKOVER_MOCK_SEED'],
    default: '1',
    help: 'Seed of the fakes: same seed, same fakes.',
    parse: wholeNumber(0, 4294967295, 'a whole number from 0 to 4294967295, like 42'),
  },
  {
    key: 'rate',
    flag: '--rate',
    env: [],
    default: '90',
    help: 'Most requests per minute.',
    parse: wholeNumber(1, 60_000, 'requests per minute from 1 to 60000, like 90'),
  },
]

/** The verify subcommand's table. */
export const VERIFY_ARGS: Arg[] = [
  ...COMMON,
  { key: 'format', flag: '--format', env: [], default: 'table', help: 'Report as a table or as JUnit XML.', parse: oneOf(['table', 'junit']) },
  {
    key: 'rate',
    flag: '--rate',
    env: [],
    default: '90',
    help: 'Most requests per minute.',
    parse: wholeNumber(1, 60_000, 'requests per minute from 1 to 60000, like 90'),
  },
]

function resolveArgs(command: string, table: Arg[], argv: string[], env: Record<string, string | undefined>): { values: Record<string, any>; help: boolean } {
  let parsed: Record<string, string | string[] | boolean | undefined>
  try {
    const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { help: { type: 'boolean' } }
    for (const a of table) options[a.flag.slice(2)] = { type: 'string', multiple: a.multiple === true }
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as typeof parsed
  } catch (error) {
    // A token given as a stray argument must not be echoed back.
    const why = (error as Error).message
      .replace(/\s*\n\s*/g, ' ')
      .replace(/\.$/, '')
      .replace(/talq_[^\s'"]*/g, 'talq_…')
    throw new ConfigError(`${why}. Run talkover-mock ${command} --help for the accepted flags.`)
  }
  const values: Record<string, any> = {}
  for (const a of table) {
    const given = parsed[a.flag.slice(2)]
    if (a.multiple) {
      values[a.key] = ((given as string[] | undefined) ?? []).map((raw) => a.parse(raw, a.flag))
      continue
    }
    const envName = a.env.find((name) => env[name] !== undefined && env[name] !== '')
    const raw = given !== undefined ? String(given) : envName ? env[envName]! : a.default
    if (raw !== undefined) values[a.key] = a.parse(raw, given !== undefined ? a.flag : (envName ?? a.flag))
  }
  return { values, help: parsed.help === true }
}

/** The owner and token rules both subcommands share. */
function owner(command: string, values: Record<string, any>): Pick<RecordSettings, 'owner' | 'ownerId' | 'token'> {
  if (values.token === undefined) throw new ConfigError(`Missing token: set TALKOVER_TOKEN (or pass --token) to your environment's talq_… token.`)
  if (values.agent !== undefined && values.campaign !== undefined)
    throw new ConfigError(`Use --agent or --campaign, not both: talkover-mock ${command} works on one owner's webhooks.`)
  if (values.agent === undefined && values.campaign === undefined)
    throw new ConfigError(
      `Missing --agent: name the agent whose webhooks to ${command === 'record' ? 'record' : 'check'}, like --agent 9fbef0b7-8d4e-4a08-9207-66c22155721d.`,
    )
  if (values.campaign !== undefined && values.webhookIds.length === 0)
    throw new ConfigError(`Missing --webhook: campaigns have no list of webhooks to read, so name each one with --webhook.`)
  return { owner: values.agent !== undefined ? 'agent' : 'campaign', ownerId: values.agent ?? values.campaign, token: values.token }
}

/**
 * Resolves `talkover-mock record …` into its settings (or a help request).
 * @example
 * resolveRecord(['--agent', 'a'], { TALKOVER_TOKEN: 'talq_x' }).settings?.anonymise //=> true
 */
export function resolveRecord(argv: string[], env: Record<string, string | undefined>): { settings?: RecordSettings; help: boolean } {
  const { values, help } = resolveArgs('record', RECORD_ARGS, argv, env)
  if (help) return { help }
  return { help, settings: Object.freeze({ ...values, ...owner('record', values) }) as RecordSettings }
}

/**
 * Resolves `talkover-mock verify …` into its settings (or a help request).
 * @example
 * resolveVerify(['--agent', 'a', '--format', 'junit'], { TALKOVER_TOKEN: 'talq_x' }).settings?.format //=> 'junit'
 */
export function resolveVerify(argv: string[], env: Record<string, string | undefined>): { settings?: VerifySettings; help: boolean } {
  const { values, help } = resolveArgs('verify', VERIFY_ARGS, argv, env)
  if (help) return { help }
  return { help, settings: Object.freeze({ ...values, ...owner('verify', values) }) as VerifySettings }
}

/** The `--help` text of a subcommand, written from its table. */
export function commandHelp(command: 'record' | 'verify'): string {
  const table = command === 'record' ? RECORD_ARGS : VERIFY_ARGS
  const what =
    command === 'record'
      ? "Records the delivery logs of one agent's (or campaign's) webhooks from the API into a fixture file, anonymised by default."
      : "Checks a sample of the API's answers against openapi.yaml; exits 0 with no drift, 1 with drift, 2 when it could not check."
  const rows = table.map((a) => {
    const dflt = a.default !== undefined ? ` (default ${a.default})` : ''
    const env = a.env.length ? ` [env ${a.env.join(', ')}]` : ''
    return `  ${`${a.flag} <value>`.padEnd(26)} ${a.help}${dflt}${env}`
  })
  return [`Usage: talkover-mock ${command} [options]`, '', what, '', 'Options:', ...rows, `  ${'--help'.padEnd(26)} Show this help.`].join('\n')
}
