// The fault options of createApp and how the CLI's settings become them. Validation reuses the
// settings table, so createApp, the CLI, the environment and the admin API share every message.
import { parseSetting, refuseUnknownOptions, type Config } from '../config.js'
import type { FaultConfig } from './decide.js'
import { formatLatency } from './latency.js'

/** Waits `ms`, or less when `signal` aborts. Never blocks the event loop. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

/** The fault options of createApp: the CLI's settings as typed values, plus in-process hooks. */
export interface FaultOptions {
  /** `250`, `'50-300'` or `'p50=80,p95=250,p99=600'` (ms). */
  latency?: number | string
  errorRate?: number
  errorStatus?: number
  fault?: 'reset' | 'hang' | 'truncate'
  faultRate?: number
  failEvery?: number
  retryAfter?: number
  hangMs?: number
  /** Replaces the real timer-based wait, so tests do not wait. */
  sleep?: Sleep
  /** Milliseconds since the epoch, for journal times, durations and session expiry. */
  clock?: () => number
}

/** Every key of FaultOptions: createApp refuses any other inside `faults`. */
export const FAULT_OPTION_KEYS = Object.keys({
  latency: true,
  errorRate: true,
  errorStatus: true,
  fault: true,
  faultRate: true,
  failEvery: true,
  retryAfter: true,
  hangMs: true,
  sleep: true,
  clock: true,
} satisfies Record<keyof FaultOptions, true>) as readonly (keyof FaultOptions)[]

/**
 * Resolves createApp's fault options with the CLI's rules and messages.
 * @example
 * resolveFaultOptions({ latency: '50-300', errorRate: 0.1 }).errorRate //=> 0.1
 */
export function resolveFaultOptions(options: FaultOptions = {}): FaultConfig {
  refuseUnknownOptions(options, FAULT_OPTION_KEYS, 'faults')
  const get = <K extends keyof Config>(key: K, value: unknown) => parseSetting(key, value, `faults.${key}`)
  const failEvery = get('failEvery', options.failEvery)
  return Object.freeze({
    latency: get('latency', options.latency) ?? null,
    errorRate: get('errorRate', options.errorRate),
    errorStatus: get('errorStatus', options.errorStatus),
    fault: get('fault', options.fault) ?? null,
    faultRate: get('faultRate', options.faultRate),
    failEvery: failEvery > 0 ? { n: failEvery } : null,
    retryAfter: get('retryAfter', options.retryAfter),
    hangMs: get('hangMs', options.hangMs),
  })
}

/**
 * The fault options the CLI config describes (what cli.ts hands to startServer).
 * @example
 * faultOptionsOf(resolveConfig(['--latency', '50-300'], {}).config).latency //=> '50-300'
 */
export function faultOptionsOf(config: Config): FaultOptions {
  const { latency, errorRate, errorStatus, fault, faultRate, failEvery, retryAfter, hangMs } = config
  return { latency: latency && formatLatency(latency), errorRate, errorStatus, fault, faultRate, failEvery, retryAfter, hangMs }
}
