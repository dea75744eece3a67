// createApp's options as a caller writes them: every key, its type and its default, documented
// (docs/library.md lists them). app-settings.ts resolves them; app.ts re-exports them.
import type { AllowedHost } from './delivery/allow.js'
import type { Sleep } from './delivery/deliveries.js'
import type { FaultOptions } from './faults/options.js'

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
