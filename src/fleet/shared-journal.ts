// The fleet's journal: every replica appends the requests it answered to one capped list in the
// store, each with a fleet-wide seq; GET /__mock/requests on any replica first asks every replica
// to flush (a barrier), then reads the list. Entries are stored as GET /__mock/requests shows them
// (redacted), never raw. A request counted without a write gets its k from the store at once,
// before its answer is written, so the fleet's count has it before the client can ask again.
import type { RedisLog } from './redis-log.js'

export interface SharedJournalOptions {
  log: RedisLog
  /** Entries kept (--journal-size); 0 keeps none. */
  capacity: number
  /** The entry as the journal shows it (redacted), ready for JSON. */
  show: (entry: object) => object
}

/** One entry read back: its fleet-wide seq and k (when counted) and the shown entry. */
export interface SharedEntry {
  seq: number
  k?: number
  shown: Record<string, unknown>
}

/**
 * Creates the journal side of one replica.
 * @example
 * const journal = createSharedJournal({ log, capacity: 1000, show: showEntry })
 * journal.record(entry, true)
 */
export function createSharedJournal({ log, capacity, show }: SharedJournalOptions) {
  let queue: { entry: object; k?: Promise<number | undefined> }[] = []
  let scheduled = false
  let flushing: Promise<void> = Promise.resolve()

  async function write(batch: typeof queue): Promise<void> {
    const pairs: [string, string][] = []
    for (const { entry, k } of batch) {
      const kept = k === undefined ? '' : String((await k) ?? '')
      pairs.push([kept, JSON.stringify(show(entry))])
    }
    await log.journal(pairs, capacity).catch(() => {})
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
    /** Queues an entry (written within the tick); `counted` takes its k from the fleet's counter now. */
    record(entry: object, counted: boolean): void {
      // Counted even when nothing is journaled: the fleet's k decides fail_every and error rates.
      // A store that is away loses the count (and the line) of this read, never the read itself.
      const k = counted ? log.count().catch(() => undefined) : undefined
      if (capacity === 0) return
      queue.push({ entry, k })
      if (!scheduled) {
        scheduled = true
        // After the body of a write has been read into the entry (observe.ts keepBody).
        setImmediate(flush)
      }
    },
    /** Writes every queued entry; resolves when the store has them. */
    flush,
    /** The fleet's journal, newest first. */
    async read(): Promise<SharedEntry[]> {
      const lines = await log.journalEntries()
      return lines.map(([seq, k, json]) => {
        const shown = JSON.parse(json) as Record<string, unknown>
        return k === '' ? { seq, shown } : { seq, k: Number(k), shown }
      })
    },
  }
}

export type SharedJournal = ReturnType<typeof createSharedJournal>
