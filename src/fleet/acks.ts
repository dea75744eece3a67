// What the other replicas have told this one over pub/sub: how far each has applied the log, and
// which barriers each has finished. A write waits for every live replica to have applied it; a
// barrier (before a journal read, a reset or a write while no fault is configured) waits for every
// live replica to have staged what it answered. Neither waits longer than ACK_TIMEOUT_MS for a
// replica that stopped answering. Pure bookkeeping: the connections are redis-log.ts's.
import { randomUUID } from 'node:crypto'
import { compareIds } from './redis-log.js'

/** How long a write or a barrier waits for the other replicas before going on anyway, ms. */
export const ACK_TIMEOUT_MS = 2000

export interface AcksOptions {
  log?: (line: string) => void
}

/**
 * The acknowledgements one replica has received.
 * @example
 * const acks = createAcks({ log })
 * acks.received('r2', '1700000000000-0') // another replica applied the log through that id
 * await acks.applied('1700000000000-0', ['r2'])
 */
export function createAcks({ log }: AcksOptions = {}) {
  const applied = new Map<string, string>()
  const waiters = new Set<() => void>()
  const barriers = new Map<string, Set<string>>()

  function waitFor(done: () => boolean, what: string, live: string[]): Promise<void> {
    if (done()) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        waiters.delete(wake)
        log?.(`talkover-mock: ${live.length} replica(s) did not acknowledge ${what} within ${ACK_TIMEOUT_MS} ms; answering anyway`)
        resolve()
      }, ACK_TIMEOUT_MS)
      const wake = () => {
        if (!done()) return
        clearTimeout(timer)
        waiters.delete(wake)
        resolve()
      }
      waiters.add(wake)
    })
  }

  return {
    /** Another replica's acknowledgement: `sync:<nonce>` (a barrier it finished) or the id of the last write it applied. */
    received(from: string, what: string): void {
      if (what.startsWith('sync:')) barriers.get(what.slice(5))?.add(from)
      else if (compareIds(what, applied.get(from) ?? '0-0') > 0) applied.set(from, what)
      for (const wake of waiters) wake()
    },
    /** Resolves once every replica in `live` has applied the write `id` (or after ACK_TIMEOUT_MS). */
    applied(id: string, live: string[]): Promise<void> {
      // Replicas no longer alive are forgotten (a restarted replica comes back with a new id).
      for (const known of applied.keys()) if (!live.includes(known)) applied.delete(known)
      return waitFor(() => live.every((r) => compareIds(applied.get(r) ?? '0-0', id) >= 0), `the write ${id}`, live)
    },
    /**
     * Runs a barrier: `ask(nonce)` asks every replica to flush; resolves once every replica in
     * `live` has said it did (or after ACK_TIMEOUT_MS) and `own` (this replica's flush) has.
     */
    async barrier(live: string[], ask: (nonce: string) => Promise<unknown>, own: () => Promise<unknown>): Promise<void> {
      const nonce = randomUUID()
      const seen = new Set<string>()
      barriers.set(nonce, seen)
      try {
        const all = waitFor(() => live.every((r) => seen.has(r)), 'a journal read', live)
        await ask(nonce)
        await own()
        await all
      } finally {
        barriers.delete(nonce)
      }
    },
  }
}

export type Acks = ReturnType<typeof createAcks>
