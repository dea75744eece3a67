// What the fleet needs of the app it replicates, and what it tells the layers below on a request's
// env. Types only: replicate.ts and write.ts share them, fleet-wiring.ts provides them.
import type { Credentials, Op } from './op.js'
import type { JournalBounds } from './redis-log.js'
import type { SharedEntry, ShownLine } from './shared-journal.js'

/** What a request is to the fleet. */
export type Kind = 'read' | 'write' | 'journal'

/** Fields the fleet puts on a request's env for the layers below (faults/layer.ts, admin/observe.ts). */
export interface FleetEnv {
  /** The request is another replica's write, applied here: skip waits, journal nothing. */
  fleetReplay?: true
  /** Called by the fault layer once the state change is made, before an injected delay. */
  fleetSettled?: () => void
  /** Awaited by the fault layer before it breaks a connection: every replica has the write then. */
  fleetBeforeAnswer?: () => Promise<void>
}

export type Fetch = (request: Request, env?: object) => Response | Promise<Response>

/** What the replicator needs of the app. */
export interface ReplicaApp {
  /** The app's own fetch. */
  fetch: Fetch
  classify: (request: Request) => Kind
  /** Before each write is applied: the fleet's count of API requests without a session before it. */
  beforeApply: (k0: number) => void
  /** Starts the clocks afresh (the clock is pinned to the fleet's origin meanwhile). */
  rebase: () => void
  /** Replaces this replica's journal by the fleet's, newest first. */
  mirror: (entries: SharedEntry[]) => void
  /** How many of the newest journal lines a journal read needs (a `limit` without filters), or undefined for all. */
  journalWindow: (request: Request) => number | undefined
  /** The 413 of a body over the mock's cap (http/body-limit.ts). */
  tooLarge: (request: Request) => Response
  /** The answer to a write the store could not take: 503, naming the store. */
  unavailable: (request: Request, message: string) => Response
  /** A session the write resets, if it is a reset of one session (its journal lines go too). */
  resetSession: (op: Op) => string | undefined | null
  credentials: Credentials
  /** A digest of the settings every replica must share (fleet-wiring.ts settingsFingerprint). */
  fingerprint: string
  /** This replica's own run id (live delivery ids); adoptRunId receives the fleet's, the first replica's. */
  runId: string
  adoptRunId: (run: string) => void
  /** What one process's journal keeps (--journal-size, bytes, the answer ring): the fleet's keeps alike. */
  journalBounds: JournalBounds
  /** A journal entry as its line in the fleet's journal (redacted as GET /__mock/requests shows it), its answer's body apart. */
  show: (entry: object) => ShownLine
  /** True while no fault is configured: requests are then counted in batches, so a write first has every replica flush. */
  quiet: () => boolean
}
