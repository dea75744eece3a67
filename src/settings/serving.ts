import { parseAllowedHosts } from '../http/hosts.js'
import { ConfigError, DEFAULT_NOW, setting } from './model.js'
import { parseNow, wholeNumber } from './parsers.js'

export const SERVING_SETTINGS = [
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
    key: 'allowedHosts',
    flag: '--allowed-hosts',
    env: ['TALKOVER_MOCK_ALLOWED_HOSTS'],
    default: undefined,
    help: 'Host names the mock answers besides loopback, IP addresses and single-label names: name,.domain (and its subdomains), or * for any.',
    parse: (raw, flag) => {
      const parsed = parseAllowedHosts(raw)
      if ('problem' in parsed)
        throw new ConfigError(
          `Invalid ${flag} "${raw}": ${parsed.problem}; use host names separated by commas, like mock.internal or .example.com for a domain and its subdomains, or * for any.`,
        )
      return parsed.hosts
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
      if (!/^talq_\S+$/.test(raw))
        throw new ConfigError(`Invalid ${flag}: use a token that starts with talq_, like talq_local_dev (the value is not shown: it may be a secret).`, {
          valueFree: true,
        })
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
]
