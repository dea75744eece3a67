// Rows of the settings table: the clock, live delivery, rate-limit and CORS headers, the memory
// budget of per-session state, the byte budget of the caches, and the admin token.
import { CLOCK_MODES } from '../clock/clock.js'
import { parseAllowList } from '../delivery/allow.js'
import { parseBackoff } from '../delivery/backoff.js'
import { DEFAULT_CACHE_MB } from '../encode/cache-budget.js'
import { LOOPBACK, parseCorsOrigin } from '../http/cors.js'
import { parseStateStore } from '../fleet/store-url.js'
import { ConfigError, setting } from './model.js'
import { oneOf, wholeNumber } from './parsers.js'

export const FEATURE_SETTINGS = [
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
    default: LOOPBACK,
    help: 'Origins whose pages may read answers and change state: loopback (localhost, 127.0.0.1, [::1], *.localhost, any port), a list of origins like http://app.test:3000,loopback, * for any, or none.',
    parse: (raw, flag) => {
      const parsed = parseCorsOrigin(raw)
      if ('problem' in parsed)
        throw new ConfigError(
          `Invalid ${flag} "${raw}": ${parsed.problem}; use loopback, origins like http://localhost:3000 (scheme, host and port, no path) separated by commas, * or none.`,
        )
      return parsed.origins
    },
  }),
  setting({
    key: 'stateBudgetMb',
    flag: '--state-budget-mb',
    env: ['TALKOVER_MOCK_STATE_BUDGET_MB'],
    default: '64',
    help: "Megabytes all sessions' retries and webhook writes may hold; a write beyond it is refused (409), nothing is forgotten to make room. A larger budget needs a larger heap: 1 MB more --max-old-space-size in NODE_OPTIONS for each MB over 64 (exit 2 at start if the heap cannot hold the budget).",
    parse: wholeNumber(1, 4096, 'megabytes from 1 to 4096, like 64'),
  }),
  setting({
    key: 'state',
    flag: '--state',
    env: ['TALKOVER_MOCK_STATE'],
    default: 'memory',
    help: 'Where state lives: memory (this process), or redis://[user:password@]host:port[/db] (also rediss://) so replicas on one Valkey/Redis answer as one mock.',
    parse: (raw, flag) => parseStateStore(raw, flag),
  }),
  setting({
    key: 'cacheMb',
    flag: '--cache-mb',
    env: ['TALKOVER_MOCK_CACHE_MB'],
    default: String(DEFAULT_CACHE_MB),
    help: 'Megabytes all caches share (encoded pages, history segments, webhook profiles, validation results); each keeps to its share, whatever is asked. Above 8, a quarter of each megabyte is added to the heap, as for --state-budget-mb.',
    parse: wholeNumber(1, 1024, 'megabytes from 1 to 1024, like 8'),
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
