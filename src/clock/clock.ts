// The mock's clock: which instant the world is seen at, per session. Owns the clock modes
// (`frozen`: stands still until moved; `live`: runs at `rate` × real time from the anchor), time
// travel (advance, set: forward only), reset, and the retry clock derived from it. Imports only
// ./parse.ts and the generic session store; world/ never imports it (it gets the instant as a
// number). See docs/time-travel.md.
//
// For other capabilities: `clocks.of(session).now()` is the instant requests of that session are
// answered at, in epoch seconds; `clocks.of(session).retryMs()` the retry clock in epoch ms.
import { createSessionBooks, createSessionRegistry, NO_SESSION, type SessionRegistry } from '../state/sessions.js'
import { formatInstant, MAX_INSTANT, MAX_INSTANT_TEXT } from './parse.js'

export type ClockMode = 'frozen' | 'live'
export const CLOCK_MODES: readonly ClockMode[] = ['frozen', 'live']

export interface ClockOptions {
  mode: ClockMode
  /** Clock seconds per real second in live mode (e.g. 60: a minute passes per second). */
  rate: number
  /** The world's anchor (t0), epoch seconds; it may change (PATCH /__mock/config now). */
  anchor: () => number
  /** Real time in milliseconds, only compared with itself. Tests inject a fake. */
  realMs: () => number
  /** The app's sessions: a session's clock lives as long as it does, and a move marks it as written. Default: the clocks' own. */
  registry?: SessionRegistry
}

/** GET /__mock/clock's data. */
export interface ClockView {
  now: string
  anchor: string
  mode: ClockMode
  rate: number
}

/** One session's clock. */
export interface SessionClock {
  /** The instant requests are answered at: epoch seconds, whole, never before the anchor. */
  now(): number
  /** The retry clock, epoch ms: the instant plus real time since start, so a retry settles with either. */
  retryMs(): number
  /** Moves the clock forward by whole seconds; returns the new instant. Throws a RangeError, changing nothing, past MAX_INSTANT. */
  advance(seconds: number): number
  /** Moves the clock to `at` (epoch seconds); throws a RangeError, changing nothing, when `at` is before now() or past MAX_INSTANT. */
  set(at: number): number
  view(): ClockView
}

interface ClockState {
  anchor: number
  /** Seconds travelled (advance/set) on top of the anchor. */
  offset: number
  /** Real ms when this clock started (start-up, reset, or first use by its session). */
  startedMs: number
}

export type Clocks = ReturnType<typeof createClocks>

/**
 * The clocks of one app: one for requests without a session and one per session.
 * @example
 * const clocks = createClocks({ mode: 'frozen', rate: 1, anchor: () => world.now, realMs: () => performance.now() })
 * clocks.of().advance(3600) //=> anchor + 3600
 * clocks.of('A').now() //=> anchor (sessions have their own clocks)
 */
export function createClocks(options: ClockOptions) {
  const { mode, rate, realMs } = options
  const registry = options.registry ?? createSessionRegistry({ clock: realMs })
  const books = createSessionBooks((key) => sessionClock(options, () => key !== NO_SESSION && registry.mark(key)), registry)
  return {
    mode,
    rate,
    /** The clock of a session (or of requests without one); a new session's starts at the anchor. */
    of: (session?: string): SessionClock => books.book(session),
    /** Back to the anchor: one session's clock, or every clock. */
    reset: (session?: string) => books.reset(session),
  }

  function sessionClock({ mode, rate, anchor, realMs }: ClockOptions, moved: () => void): SessionClock {
    let s: ClockState = { anchor: anchor(), offset: 0, startedMs: realMs() }
    // A new anchor (PATCH now) starts the clock afresh at it.
    const state = () => (s.anchor === anchor() ? s : (s = { anchor: anchor(), offset: 0, startedMs: realMs() }))
    const elapsedMs = (c: ClockState) => Math.max(0, realMs() - c.startedMs)
    // A live clock stops at the last instant; moves past it are refused (pastLast).
    const now = () => {
      const c = state()
      return Math.min(MAX_INSTANT, mode === 'live' ? c.anchor + c.offset + Math.floor((elapsedMs(c) * rate) / 1000) : c.anchor + c.offset)
    }
    const pastLast = (move: string, current: number) =>
      new RangeError(
        `The clock cannot pass ${MAX_INSTANT_TEXT}, the last instant a four-digit-year timestamp can show: ${move} from ${formatInstant(current)} would. POST /__mock/reset takes it back to the anchor.`,
      )
    return {
      now,
      retryMs() {
        const c = state()
        return (c.anchor + c.offset) * 1000 + Math.floor(elapsedMs(c) * (mode === 'live' ? Math.max(1, rate) : 1))
      },
      advance(seconds) {
        const current = now()
        if (current + seconds > MAX_INSTANT) throw pastLast(`advancing ${seconds} s`, current)
        // A live clock stopped at the last instant stays there: its offset never grows past it.
        if (seconds > 0) state().offset += seconds
        moved()
        return now()
      },
      set(at) {
        const current = now()
        if (at > MAX_INSTANT) throw pastLast('setting a later instant', current)
        if (at < current)
          throw new RangeError(
            `The clock only moves forward: ${formatInstant(at)} is before its current instant ${formatInstant(current)}. POST /__mock/reset takes it back to the anchor.`,
          )
        state().offset += at - current
        moved()
        return now()
      },
      view: () => ({ now: formatInstant(now()), anchor: formatInstant(state().anchor), mode, rate }),
    }
  }
}
