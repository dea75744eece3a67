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
import { APP_OPTION_KEYS, type AppOptions } from './app-options.js'
import type { Sleep } from './delivery/deliveries.js'
import type { FaultConfig } from './faults/decide.js'
import { timerSleep } from './faults/layer.js'
import { resolveFaultOptions } from './faults/options.js'
import { loadSpec, type Spec } from './http/spec.js'
import { DEFAULT_FIXTURES, loadFixtures } from './world/fixtures.js'
import type { Catalog } from './world/model.js'

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
