// The fault decision: given the effective config, a session's schedule and one request's facts,
// what happens to the request — a delay, then nothing, an error status or a network fault.
// Pure: the same inputs always give the same decision and the same next schedule.
import { sampleLatency, type Latency } from './latency.js'
import { failsAtRate, failsEveryNth, takeFailNext, unitHash, type FailEvery, type Failure, type NetworkFault, type ScheduleState } from './schedule.js'

/** Statuses the mock injects with a body of its own (errors.ts), besides any the spec declares. */
export const INJECTED_STATUSES = [429, 500, 502, 503, 504] as const

/** The fault settings in force for a request (start-up config, admin changes, session overrides). */
export interface FaultConfig {
  latency: Latency | null
  errorRate: number
  errorStatus: number
  fault: NetworkFault | null
  /** Share of requests that get `fault` (when one is set). */
  faultRate: number
  failEvery: FailEvery | null
  /** Seconds in the Retry-After header of 429 and 503. */
  retryAfter: number
  /** How long a `hang` holds the connection before closing it, in ms. */
  hangMs: number
}

/** One request's own overrides, from its X-Mock-* and Prefer headers. */
export interface RequestOverrides {
  latency?: Latency
  /** 200 means "answer normally", whatever the schedule says. */
  status?: number
  errorRate?: number
  fault?: NetworkFault
}

export interface RequestFacts {
  /** operationId of the matched operation, if any. */
  route?: string
  webhook?: string
  overrides: RequestOverrides
}

/** Which rule produced the outcome. */
export type FaultSource = 'header' | 'fail_next' | 'fail_every' | 'error_rate' | 'fault_rate'

export type Outcome = { kind: 'none' } | { kind: 'status'; status: number } | { kind: 'network'; fault: NetworkFault }

export interface Decision {
  /** 1-based number of this request in its session's schedule. */
  k: number
  delayMs: number
  outcome: Outcome
  source?: FaultSource
}

const NONE: Outcome = { kind: 'none' }

function fromFailure(failure: Failure, config: FaultConfig): Outcome {
  if (failure.fault) return { kind: 'network', fault: failure.fault }
  return { kind: 'status', status: failure.status ?? config.errorStatus }
}

/**
 * Decides the fate of the next request of a session and returns the session's next schedule.
 * Order: request headers, then "fail next" scripts, then "every Nth", then the error rate, then
 * the fault rate. Headers never consume a script.
 * @example
 * const { decision } = decide(config, EMPTY_SCHEDULE, { seed: 1, session: '' }, { overrides: {} })
 * decision //=> { k: 1, delayMs: 0, outcome: { kind: 'none' } }
 */
export function decide(
  config: FaultConfig,
  state: ScheduleState,
  where: { seed: number; session: string },
  facts: RequestFacts,
): { decision: Decision; state: ScheduleState } {
  const k = state.count + 1
  const { seed, session } = where
  const latency = facts.overrides.latency ?? config.latency
  const delayMs = latency ? sampleLatency(latency, unitHash(seed, session, k, 'latency')) : 0
  const done = (outcome: Outcome, source?: FaultSource, failNext = state.failNext) => ({
    decision: source ? { k, delayMs, outcome, source } : { k, delayMs, outcome },
    state: { count: k, failNext },
  })
  const { status, fault, errorRate } = facts.overrides
  if (status !== undefined) return done(status === 200 ? NONE : { kind: 'status', status }, 'header')
  if (fault) return done({ kind: 'network', fault }, 'header')
  const { hit, left } = takeFailNext(state.failNext, facts)
  if (hit) return done(fromFailure(hit, config), 'fail_next', left)
  if (config.failEvery && failsEveryNth(k, config.failEvery.n)) return done(fromFailure(config.failEvery, config), 'fail_every')
  if (failsAtRate(seed, session, k, errorRate ?? config.errorRate)) return done({ kind: 'status', status: config.errorStatus }, 'error_rate')
  if (config.fault && failsAtRate(seed, session, k, config.faultRate, 'fault')) return done({ kind: 'network', fault: config.fault }, 'fault_rate')
  return done(NONE)
}

/**
 * True when decide() answers every request that carries no override with no delay and no fault,
 * whatever its k: no latency, no error or fault rate, no fail-every and no fail-next script. A caller
 * may then only count such a request (see nothingDecided), in O(1), instead of deciding it.
 * @example
 * decidesNothing(resolveFaultOptions(), EMPTY_SCHEDULE) //=> true
 */
export function decidesNothing(config: FaultConfig, state: ScheduleState): boolean {
  return !config.latency && !(config.errorRate > 0) && !config.fault && !config.failEvery && state.failNext.length === 0
}

/**
 * The decision decide() makes for request `k` when decidesNothing() holds and it has no overrides.
 * @example
 * nothingDecided(7) //=> { k: 7, delayMs: 0, outcome: { kind: 'none' } }
 */
export function nothingDecided(k: number): Decision {
  return { k, delayMs: 0, outcome: NONE }
}

/**
 * A short text for the access log: empty when nothing was injected.
 * @example
 * describeDecision({ k: 3, delayMs: 200, outcome: { kind: 'status', status: 503 }, source: 'fail_next' })
 * //=> 'fault=503 via=fail_next delay=200ms'
 */
export function describeDecision(decision: Decision): string {
  const parts: string[] = []
  const { outcome } = decision
  if (outcome.kind === 'status') parts.push(`fault=${outcome.status}`)
  if (outcome.kind === 'network') parts.push(`fault=${outcome.fault}`)
  if (outcome.kind !== 'none' && decision.source) parts.push(`via=${decision.source}`)
  if (decision.delayMs > 0) parts.push(`delay=${decision.delayMs}ms`)
  return parts.join(' ')
}
