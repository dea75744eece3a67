// The fleet's journal: every replica appends the requests it answered to one capped list in the
// store, each with a fleet-wide seq; GET /__mock/requests on any replica first asks every replica
// to flush (a barrier), then reads the list. Entries are stored as GET /__mock/requests shows them
// (redacted), never raw. A request counted without a write gets its k from the fleet's counter
// when its line is written.
import type { RedisLog } from './redis-log.js'

export interface SharedJournalOptions {
  log: RedisLog
  /** Entries kept (--journal-size); 0 keeps none (requests are still counted). */
  capacity: number
  /** The entry as the journal shows it (redacted), as JSON text. */
  show: (entry: object) => string
}

/** One entry read back: its fleet-wide seq and k (when counted) and the shown entry. */
export interface SharedEntry {
  seq: number
  k?: number
  shown: Record<string, unknown>
}

/**
 * Creates the journal side of one replica. Requests are counted and journaled in one script call
 * per tick (a pure read never waits on the store, and pays no round trip of its own); a write of
 * the log first asks every replica to flush (replicate.ts), so the fleet's count is exact.
 * @example
 * const journal = createSharedJournal({ log, capacity: 1000, show: (e) => JSON.stringify(showEntry(e)) })
 * journal.record(entry, true)
 */
export function createSharedJournal({ log, capacity, show }: SharedJournalOptions) {
  let queue: { entry: object; counted: boolean }[] = []
  let scheduled = false
  let flushing: Promise<void> = Promise.resolve()

  async function write(batch: typeof queue): Promise<void> {
    // Only the newest `capacity` lines would stay: older ones of a large batch are counted, not sent.
    const skip = Math.max(0, batch.length - capacity)
    const lines: [string, string, string][] = []
    let skippedCounted = 0
    for (let i = 0; i < batch.length; i++) {
      const { entry, counted } = batch[i]
      if (i < skip) skippedCounted += counted ? 1 : 0
      else lines.push([counted ? '1' : '0', (entry as { session?: string }).session ?? '', show(entry)])
    }
    // A store that is away loses these lines and counts, never the requests themselves.
    await log.journal(lines, capacity, skip, skippedCounted).catch(() => {})
  }

  const flush = (): Promise<void> => {
    scheduled = false
    const batch = queue
    queue = []
    // Batches are written in order: a later flush waits for the one before it.
    flushing = flushing.then(() => (batch.length > 0 ? write(batch) : undefined))
    return flushing
  }

  return {
    /** Queues an entry, written within the tick; `counted` takes its k from the fleet's counter then. */
    record(entry: object, counted: boolean): void {
      queue.push({ entry, counted })
      if (!scheduled) {
        scheduled = true
        // After the body of a write has been read into the entry (observe.ts keepBody).
        setImmediate(flush)
      }
    },
    /** Writes every queued entry; resolves when the store has them. */
    flush,
    /** The fleet's journal, newest first (the newest `limit` lines only, when given). */
    async read(limit?: number): Promise<SharedEntry[]> {
      const lines = await log.journalEntries(limit)
      return lines.map(([seq, k, json]) => {
        const shown = JSON.parse(json) as Record<string, unknown>
        return k === '' ? { seq, shown } : { seq, k: Number(k), shown }
      })
    },
  }
}

export type SharedJournal = ReturnType<typeof createSharedJournal>
