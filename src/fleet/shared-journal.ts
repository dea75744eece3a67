// The fleet's journal: every replica keeps the requests it answered (the newest --journal-size of
// them, and a count of the rest) and stages them in the store when asked, at least once a second
// and when it stops; GET /__mock/requests (and a write while no fault is configured) first asks
// every replica to flush (a barrier) and then seals the staged lines into one capped list in the
// order they were answered, each taking a fleet-wide seq and, when counted, k. A pure read thus
// costs what it costs in memory: no store round trip, no rendering (a line is shown once, when
// staged). Entries are stored as GET /__mock/requests shows them (redacted), never raw. An answer's
// body is stored once per distinct body (a cached page answered a thousand times is one body in the
// store, each line a digest of it): a replica sends a body the first time and whenever the store
// says it lacks it.
import type { JournalBounds, JournalLine, RedisLog } from './redis-log.js'

/** A journal entry shown: its line without the answer's body, and that body with its digest ('' when none). */
export interface ShownLine {
  json: string
  ref: string
  body: string
  /** What the entry weighs against the journal's byte budget. */
  weight: number
  /** Bytes its answer's body took in this replica's answer ring, '' when it has no answer. */
  answerBytes: string
}

export interface SharedJournalOptions {
  log: RedisLog
  /** What one process's journal keeps (--journal-size entries, 0 keeps none but counts them; bytes). */
  bounds: JournalBounds
  /** The entry as the journal shows it (redacted). */
  show: (entry: object) => ShownLine
  /** This replica's id. */
  replica: string
  /** The log id of the last global reset this replica applied ('' before any). */
  epoch: () => string
  /** Makes the store's part of the global reset with that log id (once, whoever sends it). */
  makeReset: (id: string) => Promise<void>
}

/** One entry read back: its fleet-wide seq and k (when counted) and the shown entry. */
export interface SharedEntry {
  seq: number
  k?: number
  shown: Record<string, unknown>
  /** What the entry weighed where it was answered (the journal's byte budget). */
  weight: number
}

/** Digests of bodies this replica sent and believes the store has; forgotten past this many. */
const SENT_MAX = 4096
/** How often a replica stages what it answered even when nobody asks (bounds what a crash loses), ms. */
export const STAGE_EVERY_MS = 1000
/** Lines rendered and staged at once: a large journal is staged in slices, the event loop free between them. */
export const STAGE_SLICE = 500
/** How long lines wait for a reset's store part before this replica makes it, ms. */
export const HOLD_MS = 5000

interface Pending {
  entry: object
  counted: boolean
  /** When it was answered: wall time, ms. */
  at: number
}

/**
 * Creates the journal side of one replica.
 * @example
 * const journal = createSharedJournal({ log, bounds, show: journalLine(showEntry), replica: 'r1', epoch: () => lastReset })
 * journal.record(entry, true)
 * await journal.flush() // every replica, then: await journal.seal()
 */
export function createSharedJournal({ log, bounds, show, replica, epoch, makeReset }: SharedJournalOptions) {
  const { capacity } = bounds
  // Newest last; never more than capacity + slack (the oldest are then left out, counted).
  let pending: Pending[] = []
  const slack = Math.max(1, capacity >> 2)
  let skipped = 0
  let skippedCounted = 0
  let flushing: Promise<void> = Promise.resolve()
  let heldSince: number | undefined
  let made = 0
  const prefix = replica.replaceAll('-', '').slice(0, 8)
  const sent = new Set<string>()
  const timer = setInterval(() => void flush(), STAGE_EVERY_MS)
  timer.unref()

  function leaveOut(n: number): void {
    for (let i = 0; i < n; i++) {
      skipped++
      if (pending[i].counted) skippedCounted++
    }
    pending = pending.slice(n)
  }

  /** Renders and stages one slice of lines (the left-out counts go with the first). */
  async function stageSlice(batch: Pending[], left: number, leftCounted: number, since: string): Promise<'staged' | 'stale' | 'hold'> {
    const lines: JournalLine[] = []
    const bodies = new Map<string, string>()
    for (const { entry, counted, at } of batch) {
      // Unique in the fleet, and in this replica's order (lines answered at the same microsecond).
      const id = `${prefix}${String(made++).padStart(12, '0')}`
      const { json, ref, body, weight, answerBytes } = show(entry)
      const fresh = ref !== '' && !sent.has(ref) && !bodies.has(ref)
      if (ref !== '') bodies.set(ref, body)
      lines.push({
        at: at.toFixed(3),
        id,
        counted,
        session: (entry as { session?: string }).session ?? '',
        ref,
        body: fresh ? body : '',
        weight,
        answerBytes,
        json,
      })
    }
    const { outcome, missing } = await log.stage(lines, bounds, since, left, leftCounted)
    if (outcome !== 'staged') return outcome
    if (sent.size + bodies.size > SENT_MAX) sent.clear()
    for (const ref of bodies.keys()) sent.add(ref)
    if (missing.length > 0) await log.fillBodies(missing.map((ref) => [ref, bodies.get(ref) ?? '']))
    return outcome
  }

  /**
   * Lines of a reset whose store part is still to come wait here: they go back in front of what
   * came since. After HOLD_MS the origin of the reset is taken for gone and this replica makes the
   * store part itself (RESET is made once, whoever sends it).
   */
  async function hold(batch: Pending[], left: number, leftCounted: number, since: string): Promise<void> {
    pending = batch.concat(pending)
    skipped += left
    skippedCounted += leftCounted
    heldSince ??= Date.now()
    if (Date.now() - heldSince >= HOLD_MS) {
      await makeReset(since)
      heldSince = undefined
    }
  }

  async function write(batch: Pending[], left: number, leftCounted: number, since: string): Promise<void> {
    try {
      for (let from = 0; from === 0 || from < batch.length; from += STAGE_SLICE) {
        if (from > 0) await new Promise((resolve) => setImmediate(resolve))
        const outcome = await stageSlice(batch.slice(from, from + STAGE_SLICE), from === 0 ? left : 0, from === 0 ? leftCounted : 0, since)
        // Answered before a reset the store has made: gone, as that reset dropped them everywhere.
        if (outcome === 'stale') return
        if (outcome === 'hold') return await hold(batch.slice(from), from === 0 ? left : 0, from === 0 ? leftCounted : 0, since)
        heldSince = undefined
      }
    } catch {
      // A store that is away loses these lines and counts, never the requests themselves; it may
      // also have lost the bodies this replica sent: send every body again next time.
      sent.clear()
    }
  }

  function flush(): Promise<void> {
    if (pending.length > capacity) leaveOut(pending.length - capacity)
    const batch = pending
    const left = skipped
    const leftCounted = skippedCounted
    pending = []
    skipped = 0
    skippedCounted = 0
    // The lines are of the last global reset this replica applied (applying one drops older lines).
    const since = epoch()
    // Batches are written in order: a later flush waits for the one before it.
    if (batch.length > 0 || left > 0) flushing = flushing.then(() => write(batch, left, leftCounted, since))
    return flushing
  }

  return {
    /** Keeps an entry until the next flush; `counted` takes its k from the fleet's count when sealed. */
    record(entry: object, counted: boolean): void {
      const at = performance.timeOrigin + performance.now()
      pending.push({ entry, counted, at })
      if (pending.length >= capacity + slack) leaveOut(pending.length - capacity)
    },
    /** Stages every entry kept so far; resolves when the store has them. */
    flush,
    /** Seals the fleet's staged lines into its journal (after every replica flushed). */
    seal: () => log.seal(bounds),
    /** Forgets the entries kept so far: all of them (a global reset) or one session's. */
    forget(session?: string): void {
      if (session === undefined) {
        pending = []
        skipped = 0
        skippedCounted = 0
      } else pending = pending.filter((p) => (p.entry as { session?: string }).session !== session)
    },
    /** Stops staging by the clock. */
    stop: () => clearInterval(timer),
    /** The fleet's journal, newest first (the newest `limit` lines only, when given). */
    async read(limit?: number): Promise<SharedEntry[]> {
      const lines = await log.journalEntries(bounds.ringSize, limit)
      return lines.map(({ seq, k, json, body, weight }) => {
        const shown = JSON.parse(json) as Record<string, unknown>
        if (body !== undefined) {
          const answer = shown.answer as Record<string, unknown>
          if (body === null) answer.body_dropped = true
          else answer.body = body
        }
        return k === '' ? { seq, shown, weight } : { seq, k: Number(k), shown, weight }
      })
    },
  }
}

export type SharedJournal = ReturnType<typeof createSharedJournal>
