// Answers a repeated pure request on a real socket without going through Hono: the bytes the app
// wrote for the same request line and Authorization header, written again with node:http's own
// writeHead/end, which is all a raw node:http server does. Only answers the app offered as pure
// (a list page no session, retry, write, fault or control header touched) are kept, and only
// while nothing has changed since: every request that may change state (any method but GET, HEAD
// and OPTIONS) moves the epoch on arrival and again when it is over, which forgets every offer.
// The app decides per request whether the cache is open (no fault configured, the clock frozen, no
// live deliveries) and journals a request answered from the cache exactly as any other.
import type { IncomingMessage, ServerResponse } from 'node:http'

/** What a cached answer is made of: the writeHead arguments and the body, as first sent. */
export interface CachedAnswer {
  status: number
  /** The exact header object the first answer was written with (same names, same order). */
  headers: Readonly<Record<string, string>>
  body: Uint8Array
}

/** What the app decides and does around a cached answer. */
export interface AnswerCacheHooks<Note> {
  /** Whether a request without control headers may be answered from memory now (O(1)). */
  open(): boolean
  /** Headers whose presence changes how the app answers (declared parameters, fault controls): such requests always go to the app. */
  readHeaders: readonly string[]
  /** What the journal needs of a request URL (its path and query), worked out once per kept answer. */
  describe(url: string): Note
  /** Journals and logs a GET request answered from the cache, as the app's own layers would have (the request by reference: its headers are read only when shown). */
  answered(note: Note, status: number, startedAt: number, incoming: IncomingMessage, answer?: { headers: Record<string, string>; body: Uint8Array }): void
  /** The app's clock, ms, for the journal's start time. */
  clock(): number
}

/**
 * Bytes kept at most when the app gives no budget (the answers' share of the default --cache-mb);
 * beyond it the book starts over (hot pages are offered again at once). Bodies are counted whole,
 * though they are mostly the page cache's own buffers: the estimate never undercounts.
 */
export const ANSWER_BYTES = 1024 * 1024

/** What an answer costs besides its body and key: the entry, its header object and journal note. */
export const ANSWER_OVERHEAD_BYTES = 1024

interface Entry<Note> extends CachedAnswer {
  epoch: number
  note: Note
}

/**
 * The answer cache of one app. `offer` is called by the app while it answers; `serve` by the
 * socket listener before the app sees a request.
 * @example
 * const answers = createAnswerCache(hooks)
 * http.createServer((req, res) => answers.serve(req, res) || honoListener(req, res))
 */
export function createAnswerCache<Note>(hooks: AnswerCacheHooks<Note>, maxBytes = ANSWER_BYTES) {
  const read = new Set(hooks.readHeaders.map((name) => name.toLowerCase()))
  const readLengths = new Set([...read].map((name) => name.length))
  const entries = new Map<string, Entry<Note>>()
  let bytes = 0
  let epoch = 0
  const moveOn = () => {
    epoch++
  }
  return {
    /**
     * Remembers the answer to a GET request that may be written again (on a real socket only;
     * app.request() has no socket listener in front of it). Never called for answers that depend on time,
     * a session, faults or state other than the world.
     */
    offer(incoming: IncomingMessage | undefined, answer: CachedAnswer): void {
      if (incoming?.method !== 'GET' || incoming.url?.[0] !== '/' || !hooks.open()) return
      const key = keyOf(incoming, read, readLengths)
      if (key === undefined) return
      const size = answerBytes(key, answer.body)
      if (size > maxBytes / 8) return
      const old = entries.get(key)
      if (old) bytes -= answerBytes(key, old.body)
      if (bytes + size > maxBytes) {
        entries.clear()
        bytes = 0
      }
      // The note depends on the URL alone: a replaced answer keeps its predecessor's.
      const note = old?.note ?? hooks.describe(incoming.url)
      entries.set(key, { status: answer.status, headers: answer.headers, body: answer.body, epoch, note })
      bytes += size
    },
    /**
     * Writes the remembered answer and returns true, or returns false for the app to answer.
     * A request that may change state moves the epoch now and once it is over.
     */
    serve(incoming: IncomingMessage, outgoing: ServerResponse): boolean {
      const method = incoming.method
      if (method !== 'GET') {
        if (method !== 'HEAD' && method !== 'OPTIONS') {
          moveOn()
          outgoing.once('close', moveOn)
        }
        return false
      }
      if (entries.size === 0) return false
      const key = keyOf(incoming, read, readLengths)
      if (key === undefined) return false
      const entry = entries.get(key)
      if (entry === undefined || entry.epoch !== epoch || !hooks.open()) return false
      const startedAt = hooks.clock()
      // Journaled before it is written: with replicas, the request is counted in the store before
      // the client can send its next one (fleet/shared-journal.ts).
      hooks.answered(entry.note, entry.status, startedAt, incoming, entry)
      outgoing.writeHead(entry.status, entry.headers)
      outgoing.end(entry.body)
      return true
    },
    /** Answers kept. */
    get size() {
      return entries.size
    },
    /** Bytes kept by the estimate: never more than maxBytes. */
    get bytes() {
      return bytes
    },
  }
}

export type AnswerCache = ReturnType<typeof createAnswerCache>

/**
 * The request line and the one plain Authorization value, or undefined when the request carries
 * a header the app reads (a declared parameter, a fault control, anything X-Mock-…) or an
 * unusual Authorization (repeated, padded), which the app must see itself.
 */
function keyOf(incoming: IncomingMessage, read: ReadonlySet<string>, readLengths: ReadonlySet<number>): string | undefined {
  const raw = incoming.rawHeaders
  let authorization: string | undefined
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]
    // Only names of a length that matters are lower-cased (Host, Accept… never are).
    if (name.length === 13 && name.toLowerCase() === 'authorization') {
      if (authorization !== undefined) return undefined
      authorization = raw[i + 1]
      if (!PLAIN_VALUE.test(authorization)) return undefined
    } else if (readLengths.has(name.length) || name.length > 7) {
      const lower = name.toLowerCase()
      if (read.has(lower) || lower.startsWith('x-mock-')) return undefined
    }
  }
  return `${incoming.url}\n${authorization ?? ''}`
}

/** An answer's bytes: its body, its key (two bytes a character: a URL may hold any) and the overhead. */
const answerBytes = (key: string, body: Uint8Array): number => body.byteLength + 2 * key.length + ANSWER_OVERHEAD_BYTES

/** A header value with no surrounding whitespace and no NUL, CR or LF. */
const PLAIN_VALUE = /^(?![\t\n\r ])[^\0\r\n]*(?<![\t\n\r ])$/
