// The app's side of replicas (fleet/): which requests change state, how the fleet's journal
// becomes this replica's, and what a reset covers. Wired by createApp; with the memory store none
// of it runs.
import { createHash } from 'node:crypto'
import type { MockControl } from './admin/control.js'
import type { CreateAppSettings } from './app-settings.js'
import { FILTER_PARAMS, showEntry, type JournalEntry, type StoredEntry } from './admin/requests.js'
import type { AnswerBytes } from './admin/answer-bytes.js'
import type { JournalAnswer } from './admin/answer.js'
import { JOURNAL_ANSWER_BYTES, JOURNAL_BYTES, bodyShare, entryBytes } from './admin/entry-bounds.js'
import type { Kind } from './fleet/replica-app.js'
import type { Credentials, Op } from './fleet/op.js'
import type { StateStore } from './fleet/store.js'
import type { SharedEntry, ShownLine } from './fleet/shared-journal.js'
import { CONTROL_HEADER_NAMES, type ReadControls } from './faults/overrides.js'
import { readQuery } from './http/query.js'
import { routedPath } from './http/routed-path.js'

type Fetch = (request: Request, env?: object) => Response | Promise<Response>

export interface FleetParts {
  /** The app's own fetch. */
  fetch: Fetch
  control: MockControl
  /** Starts every clock afresh (the replicator pins them to the fleet's origin meanwhile). */
  rebase: () => void
  /** The 413 of a body over the cap, answered by this replica and never put in the log. */
  tooLarge: (request: Request) => Response
  /** The 503 of a write the store could not take, naming the store. */
  unavailable: (request: Request, message: string) => Response
  /** This replica's run id (live delivery ids); adoptRunId receives the fleet's. */
  runId: string
  adoptRunId: (run: string) => void
  credentials: Credentials
  /** The settings every replica must share (settingsFingerprint). */
  fingerprint: string
  /** The fault layer's reader of control headers (faults/overrides.ts): a refused one counts nowhere. */
  readControls: ReadControls
}

/**
 * A digest of the start-up settings that decide what a replica answers: replicas on one store must
 * share it (fleet/replicate.ts refuses a replica that does not). Not in it: what may differ per
 * replica (port, host, allowed hosts, quiet, cache size, the in-process hooks) and `now`, which
 * `--now wall` reads per replica (docs/scaling.md). Tokens enter only through the digest.
 */
export function settingsFingerprint(settings: CreateAppSettings): string {
  const { world, faults, journalSize, stateBudgetMb, retrySettleMs, clock, clockRate, delivery, adminToken, corsOrigin, rateLimit, catalog, spec } = settings
  const shared = {
    seed: world.seed,
    token: world.token ?? null,
    fixtures: safeJson(catalog),
    spec: spec.hash,
    faults: safeJson(faults),
    journalSize,
    stateBudgetMb,
    retrySettleMs,
    clock,
    clockRate,
    delivery: safeJson(delivery),
    adminToken: adminToken ?? null,
    corsOrigin,
    rateLimit,
  }
  return createHash('sha256').update(JSON.stringify(shared)).digest('hex')
}

/** JSON of a settings part, or a marker when it cannot be written (a cycle): never a throw at start. */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined'
  } catch {
    return 'unwritable'
  }
}

/**
 * The app's fetch as the store serves it: in memory the app's own; with a store replicas share,
 * writes go through the fleet's log (fleet/replicate.ts) and the journal is the fleet's.
 * @example
 * app.fetch = servedBy(store, { fetch: app.fetch, control, rebase, tooLarge, unavailable, runId, adoptRunId, credentials })
 */
export function servedBy(
  store: StateStore,
  { fetch, control, rebase, tooLarge, unavailable, runId, adoptRunId, credentials, fingerprint, readControls }: FleetParts,
): Fetch {
  if (store.share) control.shareJournal(store.share)
  // A reset applied here also drops what this replica answered before it and has not shared yet.
  if (store.forget) control.onReset(store.forget)
  return store.serve({
    fetch,
    classify: classifier(control, readControls),
    beforeApply: (k0) => control.syncCount(k0),
    rebase,
    mirror: mirrored(control),
    journalWindow,
    tooLarge,
    unavailable,
    resetSession: resetScope,
    runId,
    adoptRunId,
    credentials,
    fingerprint,
    journalBounds: {
      capacity: control.journalCapacity,
      maxBytes: JOURNAL_BYTES,
      ringSize: JOURNAL_ANSWER_BYTES,
      bodyMax: bodyShare(control.journalCapacity),
    },
    show: journalLine(showEntry),
    quiet: () => control.quiet(),
  })
}

/** Admin writes that change nothing anywhere: run on the replica that got them. */
const LOCAL_WRITES = new Set(['/__mock/receiver-check'])

/**
 * What a request is to the fleet: a write (appended to the log and applied by every replica), a
 * journal read (the fleet's journal first), or a pure read (answered from this replica's memory).
 * An API request is a write whenever it moves a fault counter that matters: a fault is configured,
 * or it carries a control header (X-Mock-Session, X-Mock-Latency, …). One whose control headers the
 * fault layer refuses (400) moves none and changes nothing: a pure read, as one process counts it.
 * Judged on the path the router matches (percent-escapes decoded: `/%61pi/…` is `/api/…`).
 */
export function classifier(control: Pick<MockControl, 'quiet'>, readControls: ReadControls): (request: Request) => Kind {
  return (request) => {
    const path = routedPath(request.url)
    const method = request.method
    const read = method === 'GET' || method === 'HEAD'
    if (read && (path === '/__mock/requests' || path === '/__mock/requests/count')) return 'journal'
    if (method === 'OPTIONS' || LOCAL_WRITES.has(path)) return 'read'
    if (path.startsWith('/__mock/')) return read ? 'read' : 'write'
    if (!path.startsWith('/api/')) return 'read'
    const controls: Record<string, string> = {}
    for (const name of CONTROL_HEADER_NAMES) {
      const value = request.headers.get(name)
      if (value !== null) controls[name] = value
    }
    if (Object.keys(controls).length === 0) return read && control.quiet() ? 'read' : 'write'
    return 'error' in readControls(method, path, controls) ? 'read' : 'write'
  }
}

/**
 * What a write resets: undefined when it is no reset, null for the whole mock, or one session's id.
 * The session is read as the admin route reads it (http/query.ts: the last of repeated parameters),
 * so the store forgets exactly what the app reset; a malformed one the route refuses (422), and a
 * refused reset resets nothing in the store either (fleet/write.ts).
 * @example
 * resetScope({ method: 'POST', url: '/__mock/reset?session=s1' }) //=> 's1'
 * resetScope({ method: 'POST', url: '/__mock/%72eset?session=&session=r' }) //=> 'r'
 */
export function resetScope(op: Pick<Op, 'method' | 'url'>): string | null | undefined {
  if (op.method !== 'POST' || routedPath(op.url) !== '/__mock/reset') return undefined
  const { session } = readQuery(op.url, ['session'])
  return session === undefined ? null : String(session)
}

/**
 * Puts the fleet's journal (newest first, as GET /__mock/requests shows it) into this replica's,
 * with the fleet's seq and k.
 */
export function mirrored(control: Pick<MockControl, 'mirrorJournal'>): (entries: SharedEntry[]) => void {
  return (entries) =>
    control.mirrorJournal(
      entries.map(storedOf),
      entries.map((e) => e.weight),
    )
}

/**
 * A journal entry as its line in the fleet's journal: shown (redacted) as GET /__mock/requests
 * shows it, its answer's body apart with a digest of it (the store keeps each distinct body once).
 * The shown answer is kept per answer object (the answer cache hands the same one to every request
 * it answers), so a repeated page is not redacted or digested again for every request.
 */
export function journalLine(show: (entry: StoredEntry) => JournalEntry): (entry: object) => ShownLine {
  // Per header object (the responder's, by reference), the last answer shown with it; a hit needs the same body text.
  const answers = new WeakMap<object, { text: string | undefined; json: string; ref: string; body: string }>()
  return (value) => {
    const entry = value as StoredEntry
    const { answer } = entry
    const weight = entryBytes(entry)
    if (answer === undefined) return { json: JSON.stringify(show(entry)), ref: '', body: '', weight, answerBytes: '' }
    const text = answer.bytes.read(answer.body)
    let kept = answers.get(answer.headers)
    if (kept === undefined || kept.text !== text || text === undefined) {
      const { body, ...rest } = show({ ...entry, answer }).answer as JournalAnswer
      kept = { text, json: JSON.stringify(rest), body: body ?? '', ref: body === undefined ? '' : createHash('sha1').update(body).digest('base64url') }
      answers.set(answer.headers, kept)
    }
    // showEntry puts the answer last: the rest, then the kept answer.
    const rest = JSON.stringify(show({ ...entry, answer: undefined }))
    return { json: `${rest.slice(0, -1)},"answer":${kept.json}}`, ref: kept.ref, body: kept.body, weight, answerBytes: String(answer.body.length) }
  }
}

/**
 * How many of the newest journal lines GET /__mock/requests needs: its `limit` when it has no
 * filter (the dashboard's poll); undefined (all of them) otherwise, /count included.
 * @example
 * journalWindow(new Request('http://x/__mock/requests?limit=50')) //=> 50
 */
export function journalWindow(request: Request): number | undefined {
  if (routedPath(request.url) !== '/__mock/requests') return undefined
  // Read as the route reads them (http/query.ts), so a filter it applies is never missed here.
  const query = readQuery(request.url, [...FILTER_PARAMS, 'limit'])
  if (FILTER_PARAMS.some((name) => query[name] !== undefined)) return undefined
  const limit = query.limit
  return typeof limit === 'string' && /^[1-9]\d{0,5}$/.test(limit) ? Number(limit) : undefined
}

function storedOf({ seq, k, shown }: SharedEntry): StoredEntry {
  const entry = shown as unknown as JournalEntry
  const { seq: _local, time, headers, answer, ...rest } = entry
  // Fields in the order the journal shows them: seq and time first.
  const stored: StoredEntry = { seq, time: Date.parse(time), ...rest }
  if (k !== undefined) stored.k = k
  if (headers !== undefined) stored.headers = Object.entries(headers).flat()
  if (answer !== undefined) {
    // The fleet's line holds the answer as shown: its body is read back as it is (or as dropped).
    const text = answer.body_dropped ? undefined : (answer.body ?? '')
    const bytes: AnswerBytes = { write: () => ({ at: 0, length: 0, truncated: false }), read: () => text }
    stored.answer = { headers: answer.headers, bytes, body: { at: 0, length: text?.length ?? 0 } }
    if (answer.body_truncated) stored.answer.truncated = true
  }
  return stored
}
