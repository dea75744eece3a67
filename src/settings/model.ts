// Folder settings/: every start-up setting of the mock, split by concern: what a setting is and
// its error (this file), the value parsers (parsers.ts), the rows of the one settings table
// (serving.ts, faults.ts, features.ts) and the flag tables of the record/verify subcommands
// (commands.ts). config.ts at the top assembles the table and resolves argv, env and createApp
// options from it. It may import the parsers of the folders it configures (clock/, delivery/,
// faults/, world/time.ts); nothing below the entry points, admin/ and faults/options.ts imports it.
//
// This file: the Config every setting fills, a setting's shape, and ConfigError.
import type { ClockMode } from '../clock/clock.js'
import type { AllowedHost } from '../delivery/allow.js'
import type { Latency } from '../faults/latency.js'
import type { NetworkFault } from '../faults/schedule.js'

/** Thrown for a bad setting; the message is one sentence naming it and the accepted form. */
export class ConfigError extends Error {
  override name = 'ConfigError'
  /** True when the message was written without the value given (the CLI prints it as it is, examples and all). */
  readonly valueFree: boolean
  constructor(message: string, options: { valueFree?: boolean } = {}) {
    super(message)
    this.valueFree = options.valueFree ?? false
  }
}

/** The anchor of the generated world when none is given: the docs example's day. */
export const DEFAULT_NOW = '2024-01-15T12:00:00Z'

export interface Config {
  port: number
  host: string
  /** Host names the socket answers besides the ones always allowed (http/hosts.ts), comma-separated. */
  allowedHosts?: string
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
  /** `*`, `none`, or a comma list of origins and `loopback` (http/cors.ts); never undefined, so `none` stays none. */
  corsOrigin: string
  stateBudgetMb: number
  /** Where state lives: `memory`, or a Valkey/Redis URL shared by replicas (state/store.ts). */
  state: string
  /** Megabytes every cache of the server shares (encode/cache-budget.ts). */
  cacheMb: number
}

export interface Setting<K extends keyof Config> {
  key: K
  flag: string
  env: string[]
  default: string | undefined
  help: string
  parse: (raw: string, flag: string, wallClock: () => number) => Config[K]
}

export const setting = <K extends keyof Config>(s: Setting<K>) => s
