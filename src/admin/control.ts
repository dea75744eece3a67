// The mock's runtime control: the frozen start-up config, the current one (admin changes), the
// sessions, the journal and the world. One per createApp, shared by the fault middleware and the
// admin handlers. No Hono here: everything is callable in-process.
import { ConfigError, parseSetting, type AppSettings } from '../config.js'
import { decide, decidesNothing, type Decision, type FaultConfig, type RequestFacts } from '../faults/decide.js'
import { createJournal } from './journal.js'
import { JOURNAL_ANSWER_BYTES, JOURNAL_BYTES, bodyShare, entryBytes } from './entry-bounds.js'
import { createAnswerBytes } from './answer-bytes.js'
import { keepAnswer, type StoredAnswer } from './answer.js'
import { matcher, showEntry, type JournalEntry, type RecordedEntry, type RequestFilter, type StoredEntry } from './requests.js'
import { formatLatency } from '../faults/latency.js'
import { EMPTY_SCHEDULE, type FailEvery, type FailNext, type ScheduleState } from '../faults/schedule.js'
import { createSessionStore, type SessionRegistry } from '../state/sessions.js'
import type { World } from '../world/model.js'

export type { JournalEntry, RecordedEntry } from './requests.js'

/** A PATCH /__mock/config body, already checked against its schema in openapi.yaml. */
export interface ConfigPatch {
  latency?: number | string | null
  error_rate?: number
  error_status?: number
  fault?: FaultConfig['fault']
  fault_rate?: number
  fail_next?: number | FailNext | FailNext[]
  fail_every?: number | FailEvery | null
  retry_after?: number
  hang_ms?: number
  seed?: number
  now?: string
}

interface SessionState {
  overrides: Partial<FaultConfig>
  schedule: ScheduleState
}

export interface ControlOptions {
  settings: AppSettings
  faults: FaultConfig
  journalSize: number
  clock: () => number
  makeWorld: (settings: AppSettings) => World
  /** The app's sessions: a session's fault script lives as long as the rest of it. */
  registry: SessionRegistry
  /** operationIds a "fail next" script may be scoped to. */
  routes: string[]
}

export type MockControl = ReturnType<typeof createControl>

/**
 * Creates the runtime control of one app.
 * @example
 * const control = createControl({ settings, faults: resolveFaultOptions(), journalSize: 1000, clock, makeWorld: createWorld, routes })
 * control.patch(undefined, { fail_next: 2 })
 */
export function createControl(options: ControlOptions) {
  const { clock } = options
  let settings = options.settings
  let world = options.makeWorld(settings)
  let config = options.faults
  let global: SessionState = { overrides: {}, schedule: EMPTY_SCHEDULE }
  let seq = 0
  const sessions = createSessionStore<SessionState>({ create: () => ({ overrides: {}, schedule: EMPTY_SCHEDULE }), registry: options.registry })
  const journal = createJournal<StoredEntry>(options.journalSize, { maxBytes: JOURNAL_BYTES, weigh: entryBytes })
  const answerBytes = createAnswerBytes(JOURNAL_ANSWER_BYTES)
  const answerShare = bodyShare(journal.capacity)
  // True while requests without control headers can only be counted (faults/decide.ts):
  // recomputed whenever the global config or script changes, read by the fault layer per request.
  let quiet = decidesNothing(config, global.schedule)
  // With replicas, entries go to the fleet's journal (fleet/shared-journal.ts) and this one holds
  // a copy of it, refreshed before each read.
  let share: ((entry: StoredEntry, counted: boolean) => void) | undefined
  const settle = () => (quiet = decidesNothing(config, global.schedule))
  const resetListeners: ((session?: string) => void)[] = []
  const stateOf = (session?: string) => (session === undefined ? global : sessions.get(session))
  const effective = (state: SessionState): FaultConfig => ({ ...config, ...state.overrides })

  function view(session?: string) {
    const state = session === undefined ? global : (sessions.peek(session) ?? { overrides: {}, schedule: EMPTY_SCHEDULE })
    const c = effective(state)
    return {
      seed: world.seed,
      now: new Date(world.now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      latency: c.latency && formatLatency(c.latency),
      error_rate: c.errorRate,
      error_status: c.errorStatus,
      fault: c.fault,
      fault_rate: c.faultRate,
      fail_every: c.failEvery,
      fail_next: state.schedule.failNext,
      retry_after: c.retryAfter,
      hang_ms: c.hangMs,
      journal_size: journal.capacity,
      session: session === undefined ? null : { id: session, requests: state.schedule.count },
    }
  }

  return {
    clock,
    /** The world requests are answered from (changes with PATCH seed/now). */
    world: () => world,
    /** Decides the next request of a session (undefined: requests without X-Mock-Session). */
    decide(session: string | undefined, facts: RequestFacts): { decision: Decision; config: FaultConfig } {
      const state = stateOf(session)
      const c = effective(state)
      const result = decide(c, state.schedule, { seed: world.seed, session: session ?? '' }, facts)
      const next = { ...state, schedule: result.state }
      if (session === undefined) {
        global = next
        settle()
      } else sessions.set(session, next)
      return { decision: result.decision, config: c }
    },
    /** True when a request without control headers gets nothing but a number: then use count(). */
    quiet: () => quiet,
    /** Counts a request without control headers while quiet() holds; returns its k, as decide() would. */
    count(): number {
      const k = global.schedule.count + 1
      global = { overrides: global.overrides, schedule: { count: k, failNext: global.schedule.failNext } }
      return k
    },
    view,
    /** Applies a schema-valid patch to the global config or one session; throws a ConfigError. */
    patch(session: string | undefined, patch: ConfigPatch) {
      if (session !== undefined && (patch.seed !== undefined || patch.now !== undefined)) {
        throw new ConfigError('seed and now belong to the whole mock: PATCH them without ?session=.')
      }
      const changes: Partial<FaultConfig> = {}
      if (patch.latency !== undefined) changes.latency = patch.latency === null ? null : parseSetting('latency', patch.latency, 'latency')
      if (patch.error_rate !== undefined) changes.errorRate = patch.error_rate
      if (patch.error_status !== undefined) changes.errorStatus = patch.error_status
      if (patch.fault !== undefined) changes.fault = patch.fault
      if (patch.fault_rate !== undefined) changes.faultRate = patch.fault_rate
      if (patch.fail_every !== undefined) {
        const every = typeof patch.fail_every === 'number' ? { n: patch.fail_every } : patch.fail_every
        changes.failEvery = every && every.n > 0 ? every : null
      }
      if (patch.retry_after !== undefined) changes.retryAfter = patch.retry_after
      if (patch.hang_ms !== undefined) changes.hangMs = patch.hang_ms
      const failNext = patch.fail_next === undefined ? undefined : normaliseFailNext(patch.fail_next, options.routes)
      const nextSettings = {
        ...settings,
        ...(patch.seed !== undefined && { seed: patch.seed }),
        ...(patch.now !== undefined && { now: parseSetting('now', patch.now, 'now', clock) }),
      }
      // Everything is checked above; only now does anything change.
      if (nextSettings.seed !== settings.seed || nextSettings.now !== settings.now) {
        settings = Object.freeze(nextSettings)
        world = options.makeWorld(settings)
      }
      const state = stateOf(session)
      const next: SessionState = {
        overrides: session === undefined ? state.overrides : { ...state.overrides, ...changes },
        schedule: failNext === undefined ? state.schedule : { ...state.schedule, failNext },
      }
      if (session === undefined) {
        config = Object.freeze({ ...config, ...changes })
        global = next
        settle()
      } else {
        sessions.set(session, next)
        options.registry.mark(session)
      }
      return view(session)
    },
    /** Back to the start-up state: everything, or one session's script, counters and journal lines. */
    reset(session?: string) {
      if (session === undefined) {
        settings = options.settings
        world = options.makeWorld(settings)
        config = options.faults
        global = { overrides: {}, schedule: EMPTY_SCHEDULE }
        settle()
        sessions.reset()
        journal.clear()
        seq = 0
      } else {
        sessions.reset(session)
        journal.clear((e) => e.session === session)
      }
      for (const listener of resetListeners) listener(session)
    },
    /** Lets other per-session state (e.g. retries) be reset with the rest. */
    onReset(listener: (session?: string) => void) {
      resetListeners.push(listener)
    },
    /**
     * Journals a request, its time formatted when read. An entry that already holds `seq` and
     * `time` as its first fields (the observer's, on the hot path) is kept as given; any other gets them put first.
     */
    record(entry: RecordedEntry | Omit<StoredEntry, 'seq' | 'time'>, startedAt: number, counted = false) {
      const stored = 'seq' in entry ? entry : { seq: 0, time: 0, ...entry }
      stored.seq = ++seq
      stored.time = startedAt
      if (share) share(stored, counted)
      else journal.push(stored)
    },
    /** Sends every entry to `sink` instead of this journal (replicas: the fleet's journal). */
    shareJournal(sink: (entry: StoredEntry, counted: boolean) => void) {
      share = sink
    },
    /** Replaces the journal's entries (newest first) by the fleet's, each weighing what it weighed where it was answered. */
    mirrorJournal(entries: StoredEntry[], weights: (number | undefined)[] = []) {
      journal.clear()
      for (let i = entries.length - 1; i >= 0; i--) journal.push(entries[i], weights[i])
    },
    /** Sets the count of requests without a session (replicas: the fleet's, before each write is applied). */
    syncCount(k: number) {
      if (global.schedule.count !== k) global = { overrides: global.overrides, schedule: { count: k, failNext: global.schedule.failNext } }
    },
    /** Journal entries newest first, those matching the filter only (GET /__mock/requests). */
    requests(filter: RequestFilter = {}, limit?: number): JournalEntry[] {
      return journal.list(matcher(filter), limit).map(showEntry)
    },
    /** Entries the journal keeps at most (--journal-size). */
    journalCapacity: journal.capacity,
    /** What an entry keeps of the mock's answer (its body's first bytes among the newest answers'), or nothing when the journal keeps no entries. */
    keepAnswer(headers: Record<string, string>, body: string | Uint8Array): StoredAnswer | undefined {
      return journal.capacity === 0 ? undefined : keepAnswer(answerBytes, headers, body, answerShare)
    },
    /** How many journal entries match the filter (GET /__mock/requests/count). */
    countRequests(filter: RequestFilter = {}): number {
      const match = matcher(filter)
      return match ? journal.list(match).length : journal.size
    },
  }
}

function normaliseFailNext(value: number | FailNext | FailNext[], routes: string[]): FailNext[] {
  const list = typeof value === 'number' ? (value > 0 ? [{ count: value }] : []) : Array.isArray(value) ? value : [value]
  for (const script of list) {
    if (script.route !== undefined && !routes.includes(script.route)) {
      throw new ConfigError(`Invalid fail_next route "${script.route}": use an operationId from openapi.yaml, one of ${routes.join(', ')}.`)
    }
  }
  return list.filter((s) => s.count > 0).map((s) => Object.freeze({ ...s }))
}
