import { INJECTED_STATUSES } from '../faults/decide.js'
import { parseLatency } from '../faults/latency.js'
import { NETWORK_FAULTS } from '../faults/schedule.js'
import { ConfigError, setting } from './model.js'
import { oneOf, rate, wholeNumber } from './parsers.js'

export const FAULT_SETTINGS = [
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
]
