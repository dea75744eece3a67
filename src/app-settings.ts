// createApp's options resolved once, before anything is built: every option is checked in one
// pass (the shapes, the keys, then each value in a fixed order, so the first error a user sees
// never changes) into one frozen value that the app is then built from, downward, by slice.
// Nothing accepted here may fail later. Its only I/O is reading the spec and fixture files.
import type { ClockMode } from './clock/clock.js'
import {
  checkOptionShapes,
  parseSetting,
  refuseUnknownOptions,
  resolveAppSettings,
  resolveDeliverySettings,
  type AppSettings,
  type DeliverySettings,
} from './config.js'
import type { AllowedHost } from './delivery/allow.js'
import type { Sleep } from './delivery/deliveries.js'
import type { FaultConfig } from './faults/decide.js'
import { timerSleep } from './faults/layer.js'
import { resolveFaultOptions, type FaultOptions } from './faults/options.js'
import { loadSpec, type Spec } from './http/spec.js'
import { DEFAULT_FIXTURES, loadFixtures } from './world/fixtures.js'
import type { Catalog } from './world/model.js'

export interface AppOptions {
  /** Seed of the generated world (0–4294967295). Default 1. */
  seed?: number
  /** Instant the world is anchored at, ISO-8601, a Date, or 'wall' (the clock's reading at build time). Default 2024-01-15T12:00:00Z. */
  now?: string | Date
  /** Fixture file or folder (YAML or JSON), added to the default fixtures; same ids override. */
  fixtures?: string
  /** Accept only this bearer token (otherwise any `talq_…` token). */
  token?: string
  /** Path of the OpenAPI document; default the packaged openapi.yaml. */
  spec?: string
  /** Called with one access-log line per request. */
  log?: (line: string) => void
  /** Latency, error rates, network faults and scripts for /api/*, plus test hooks (sleep, clock). */
  faults?: FaultOptions
  /** Requests kept for GET /__mock/requests (default 1000; 0 keeps none). */
  journalSize?: number
  /** When set, /__mock/* (except health, ready and the dashboard's page and assets) requires `Authorization: Bearer <adminToken>`. */
  adminToken?: string
  /** How long a retried log stays `pending` before it settles, ms (default 2000; 0 settles at once). */
  retrySettleMs?: number
  /**
   * `frozen` (default): the world stays at `now` until moved (POST /__mock/clock); `live`: it runs
   * from `now` at `clockRate` clock seconds per real second (real time from `faults.clock`).
   */
  clock?: 'frozen' | 'live'
  /** Clock seconds per real second in live mode (default 1; 60 makes a minute pass per second). */
  clockRate?: number
  /** `live` sends real, signed webhooks to allowed receivers and logs each attempt (docs/receiver.md). Default `off`. */
  deliver?: 'off' | 'live'
  /** Hosts live delivery may reach besides loopback: `'receiver:3000,hooks.internal'` or a list. */
  deliverAllow?: string | readonly (string | AllowedHost)[]
  /** Seconds between live attempts, `'1,2,4'` or `[1, 2, 4]` (the last repeats); default the logs' 10 s, 30 s, 90 s… */
  deliverBackoff?: string | readonly number[]
  /** Aborting it cancels every live delivery (waits and attempts in flight); startServer's close() does. */
  signal?: AbortSignal
  /** Test hooks of live delivery. */
  deliveryHooks?: DeliveryHooks
  /** X-RateLimit-Limit of API responses, requests per minute (default 100; 0 sends no rate-limit headers). */
  rateLimit?: number
  /**
   * Origins whose pages may read answers (Access-Control-Allow-Origin) and, on startServer's socket,
   * change state: `'loopback'` (default: localhost, 127.0.0.1, [::1], *.localhost, any port), a
   * comma list of origins and `loopback`, `'*'`, or `'none'`.
   */
  corsOrigin?: string
  /** Megabytes all sessions' retries and webhook writes may hold together (default 64); a write beyond it is refused (409) and nothing is forgotten to make room. */
  stateBudgetMb?: number
  /** Megabytes every cache shares: encoded pages, history segments, webhook profiles, validation results (default 8). */
  cacheMb?: number
  /**
   * Where state lives: `'memory'` (default: this process), or a Valkey/Redis URL
   * (`'redis://127.0.0.1:6379'`) shared by replicas, which then answer as one mock (docs/scaling.md).
   * With a store, await `readyOf(app)` (startServer does) before the first request, or the first request waits for it.
   */
  state?: string
}

/** In-process hooks of live delivery, so tests neither wait nor depend on the real time. */
export interface DeliveryHooks {
  /** Waits between attempts; default a real timer (cancelled on abort). */
  sleep?: Sleep
  /** Real wall-clock ms, for `webhook-timestamp` of each attempt; default `Date.now`. */
  wallClock?: () => number
  /** Part of every live delivery's `webhook-id` and log id; default random per app, so restarts never reuse an id. Pin it in tests. */
  runId?: string
  /** An attempt's deadline from the webhook's `timeout` (seconds); default seconds × 1000. */
  timeoutMs?: (seconds: number) => number
}

/** Every key of AppOptions: createApp refuses any other (the compiler keeps this list whole). */
export const APP_OPTION_KEYS = Object.keys({
  seed: true,
  now: true,
  fixtures: true,
  token: true,
  spec: true,
  log: true,
  faults: true,
  journalSize: true,
  adminToken: true,
  retrySettleMs: true,
  stateBudgetMb: true,
  cacheMb: true,
  clock: true,
  clockRate: true,
  deliver: true,
  deliverAllow: true,
  deliverBackoff: true,
  signal: true,
  deliveryHooks: true,
  rateLimit: true,
  corsOrigin: true,
  state: true,
} satisfies Record<keyof AppOptions, true>) as readonly (keyof AppOptions)[]

/** createApp's options as the app is built from them: every value checked, defaults filled, frozen. */
export interface CreateAppSettings {
  /** Where state lives: `memory`, or a Valkey/Redis URL. */
  readonly state: string
  /** What the world is generated from (seed, now in epoch seconds, fixtures path, token); resets return to it. */
  readonly world: AppSettings
  /** The OpenAPI document, loaded and checked. */
  readonly spec: Spec
  /** The default fixtures plus `fixtures`, loaded and checked. */
  readonly catalog: Catalog
  readonly cacheMb: number
  readonly faults: FaultConfig
  readonly journalSize: number
  readonly stateBudgetMb: number
  readonly retrySettleMs: number
  readonly clock: ClockMode
  readonly clockRate: number
  readonly delivery: DeliverySettings
  readonly adminToken?: string
  readonly corsOrigin: string
  readonly rateLimit: number
  readonly hooks: AppHooks
}

/** The in-process parts of createApp's options (functions and the signal), defaults filled. */
export interface AppHooks {
  readonly log?: (line: string) => void
  readonly signal?: AbortSignal
  /** Journal times, durations and session expiry, epoch ms: `faults.clock`, or a monotonic wall clock. */
  readonly realClock: () => number
  /** The fault layer's waits: `faults.sleep`, or a real timer. */
  readonly sleep: Sleep
  /** Live delivery's waits: `deliveryHooks.sleep`, or a real timer. */
  readonly deliverySleep: Sleep
  /** The wall clock of webhook-timestamps and the store: `deliveryHooks.wallClock`, or Date.now. */
  readonly wallClock: () => number
  readonly runId?: string
  readonly timeoutMs?: (seconds: number) => number
}

// Journal times, durations and session expiry only: never an input of generated data.
// cli.ts and tests inject their own clock through `faults.clock`.
const monotonicWallClock = () => performance.timeOrigin + performance.now()

/**
 * Checks every createApp option and resolves it, once, into one frozen value; throws the
 * ConfigError (or SpecError, FixtureError) of the first bad option, in the order createApp has always checked them.
 * @example
 * resolveCreateAppSettings({ seed: 42, rateLimit: 0 }).rateLimit //=> 0
 */
export function resolveCreateAppSettings(options: AppOptions = {}): CreateAppSettings {
  checkOptionShapes(options, 'createApp')
  refuseUnknownOptions(options, APP_OPTION_KEYS, 'createApp')
  return resolveAppOptionValues(options)
}

/**
 * The values of options whose shapes and keys are already checked (startServer checks its own).
 * @example
 * resolveAppOptionValues({ clock: 'live' }).clock //=> 'live'
 */
export function resolveAppOptionValues(options: AppOptions): CreateAppSettings {
  const realClock = options.faults?.clock ?? monotonicWallClock
  // Object literals are evaluated in order: this order is the order users see the errors in.
  const state = parseSetting('state', options.state, 'state')
  // `now: 'wall'` reads the app's clock (epoch ms), the one PATCH {"now":"wall"} reads too.
  const world = resolveAppSettings(options, realClock)
  const spec = loadSpec(options.spec)
  return Object.freeze({
    state,
    world,
    spec,
    catalog: loadFixtures(world.fixtures ? [DEFAULT_FIXTURES, world.fixtures] : [DEFAULT_FIXTURES], spec),
    cacheMb: parseSetting('cacheMb', options.cacheMb, 'cacheMb'),
    faults: resolveFaultOptions(options.faults),
    journalSize: parseSetting('journalSize', options.journalSize, 'journalSize'),
    stateBudgetMb: parseSetting('stateBudgetMb', options.stateBudgetMb, 'stateBudgetMb'),
    retrySettleMs: parseSetting('retrySettleMs', options.retrySettleMs, 'retrySettleMs'),
    clock: parseSetting('clock', options.clock, 'clock'),
    clockRate: parseSetting('clockRate', options.clockRate, 'clockRate'),
    delivery: resolveDeliverySettings(options),
    adminToken: options.adminToken === undefined ? undefined : parseSetting('adminToken', options.adminToken, 'adminToken'),
    corsOrigin: parseSetting('corsOrigin', options.corsOrigin, 'corsOrigin'),
    rateLimit: parseSetting('rateLimit', options.rateLimit, 'rateLimit'),
    hooks: Object.freeze({
      log: options.log,
      signal: options.signal,
      realClock,
      sleep: options.faults?.sleep ?? timerSleep,
      deliverySleep: options.deliveryHooks?.sleep ?? timerSleep,
      wallClock: options.deliveryHooks?.wallClock ?? (() => Date.now()),
      runId: options.deliveryHooks?.runId,
      timeoutMs: options.deliveryHooks?.timeoutMs,
    }),
  })
}

/**
 * The same settings with some hooks replaced (startServer's interruptible waits and its signal), frozen.
 * @example
 * withHooks(settings, { signal: controller.signal }).hooks.signal //=> controller.signal
 */
export function withHooks(settings: CreateAppSettings, hooks: Partial<AppHooks>): CreateAppSettings {
  return Object.freeze({ ...settings, hooks: Object.freeze({ ...settings.hooks, ...hooks }) })
}
