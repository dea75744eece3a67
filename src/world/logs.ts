// A webhook's delivery log rows: row i (0 = newest) is a pure function of (seed, ids, fixture,
// anchor, instant, i). At the anchor: pinned head rows come first, then the earlier attempts of
// the last pinned delivery, then the generated history (see segments.ts). At a later instant the
// rows made since are on top and retention drops the oldest (instant.ts). log-json.ts turns rows
// into JSON.
import { hashKey, mix, Rng } from '../encode/random.js'
import { logId, logIndex } from './ids.js'
import { deliveryPayload } from './payloads.js'
import { successAnswer } from './receiver.js'
import { FAILED, RETRYING, STATUSES, SUCCESS, statusAt } from './segments.js'
import { locateFuture } from './timeline.js'
import { futureOf, segmentOf, viewOf } from './views.js'
import { FAILURES } from './vocab.js'
import type { LogRecord, Segment, WebhookProfile, World } from './model.js'

export { rowCount, rowsAfter } from './views.js'

/** Row `index` of the anchor's list (0 = its newest), as it reads at world.at. */
function anchorRow(world: World, p: WebhookProfile, index: number): LogRecord {
  const { head, layout } = p
  if (index < head.length) return pinned(p, index)
  if (index < layout.prefix) return continued(p, index)
  const g = index - layout.prefix
  const s = Math.floor(g / layout.segmentSize)
  return generated(p, p.key, index, segmentOf(world, p, s), g - s * layout.segmentSize, world.at)
}

/**
 * Row `index` (0 = newest) of the webhook's history.
 * @example
 * logAt(world, lookupWebhook(world, 'agent-uuid', 'webhook-uuid'), 0).id //=> 'log-uuid-1'
 */
export function logAt(world: World, profile: WebhookProfile, index: number): LogRecord {
  const view = viewOf(world, profile)
  const total = view ? view.total : profile.total
  if (!(index >= 0 && index < total)) throw new RangeError(`Row ${index} does not exist: the webhook has ${total} rows.`)
  const made = view ? view.futureTop - view.futureLow : 0
  if (!view || index >= made) return anchorRow(world, profile, index - made)
  const o = view.futureTop - 1 - index
  const { seg, j } = locateFuture(view.tl, o, (f) => futureOf(world, profile, f))
  return generated(profile, view.tl.key, o, seg, j, world.at)
}

/**
 * `count` rows from `offset`: O(count + segment size), whatever the offset.
 * @example
 * logsPage(world, profile, 39 * 25, 25) // page 40 at per_page 25
 */
export function logsPage(world: World, profile: WebhookProfile, offset: number, count: number): LogRecord[] {
  const rows: LogRecord[] = []
  visitRows(world, profile, offset, count, {
    record: (row) => rows.push(row),
    generated: (idKey, idIndex, seg, j) => rows.push(generated(profile, idKey, idIndex, seg, j, world.at)),
  })
  return rows
}

/**
 * What visitRows hands each row to: a made record (pinned, continued) or a generated row's place
 * and the key and number its id is made from (logId(idKey, profile.idKey, idIndex)).
 */
export interface RowVisitor {
  record(row: LogRecord): void
  generated(idKey: number, idIndex: number, seg: Segment, j: number): void
}

/**
 * Walks rows [offset, offset + count), decoding each segment once. Generated rows are handed over
 * as (segment, position) so a caller can write them without making a record (see log-json.ts).
 * @example
 * visitRows(world, profile, 0, 25, { record: (r) => …, generated: (i, seg, j) => … })
 */
export function visitRows(world: World, profile: WebhookProfile, offset: number, count: number, visit: RowVisitor): void {
  const view = viewOf(world, profile)
  const made = view ? view.futureTop - view.futureLow : 0
  if (view) {
    // Rows made after the anchor, newest first: walk their ordinals down, a slice at a time.
    const end = Math.min(offset + count, made)
    // Slices hold their rows newest first, so walking down the ordinals walks up a slice.
    let seg: Segment | undefined
    let j = 0
    for (let i = Math.max(0, offset); i < end; i++) {
      const o = view.futureTop - 1 - i
      if (!seg || j >= seg.size) ({ seg, j } = locateFuture(view.tl, o, (k) => futureOf(world, profile, k)))
      visit.generated(view.tl.key, o, seg, j++)
    }
    if (offset + count <= made) return
    count = offset + count - Math.max(offset, made)
    offset = Math.max(0, offset - made)
  }
  const { prefix, segmentSize } = profile.layout
  const end = Math.min(offset + count, view ? view.base : profile.total)
  let s = -1
  let seg: Segment | undefined
  for (let i = Math.max(0, offset); i < end; i++) {
    if (i < prefix) {
      visit.record(anchorRow(world, profile, i))
      continue
    }
    const g = i - prefix
    if (g >= (s + 1) * segmentSize || !seg) seg = segmentOf(world, profile, (s = Math.floor(g / segmentSize)))
    visit.generated(profile.key, i, seg, g - s * segmentSize)
  }
}

/** Seed of a pinned row's delivery; the continued attempts of the last one share it. */
const pinnedSeed = (p: WebhookProfile, i: number) => mix(p.key, hashKey(0, p.head[i].id))

function pinned(p: WebhookProfile, i: number): LogRecord {
  const row = p.head[i]
  // A recorded row is served as its text; retry.ts reads its payload only when it is retried.
  if (row.payloadJson !== undefined || row.raw !== undefined) return row as LogRecord
  const cont = p.continuation
  const firstAt = i === p.head.length - 1 && cont.length > 0 ? cont[cont.length - 1].createdAt : row.createdAt
  return { ...row, payloadJson: deliveryPayload(p, pinnedSeed(p, i), firstAt, row.event).payloadJson }
}

function continued(p: WebhookProfile, index: number): LogRecord {
  const last = pinned(p, p.head.length - 1)
  const c = p.continuation[index - p.head.length]
  return record(p, p.key, index, last.event, c.attempt, RETRYING, c.createdAt, last.payloadJson, c.durationMs, c.httpStatus, c.error)
}

/** Generated row j of a segment as a record. log-json.ts writeGenerated() writes the same row as bytes. */
function generated(p: WebhookProfile, idKey: number, idIndex: number, seg: Segment, j: number, now: number): LogRecord {
  const seed = seg.chainSeed[j]
  const status = statusAt(seg, j, now)
  const delivery = deliveryPayload(p, seed, seg.chainStart[j])
  const at = seg.time[j]
  const rec = record(p, idKey, idIndex, delivery.event, seg.attempt[j], status, at, delivery.payloadJson)
  if (status === SUCCESS) {
    rec.durationMs = seg.duration[j]
    rec.deliveredAt = at + 1 + Math.floor(rec.durationMs / 1000)
    const answer = successAnswer(p, new Rng(mix(seed, 0x5eed + rec.attempt)), rec.deliveredAt)
    rec.httpStatus = answer.httpStatus
    rec.responseBody = answer.body
    rec.responseHeadersJson = answer.headersJson
  } else if (status === FAILED || status === RETRYING) {
    const kind = seg.kind[j]
    rec.durationMs = seg.duration[j]
    rec.httpStatus = FAILURES[kind].http
    rec.error = p.errorTexts[kind]
  }
  return rec
}

/** Every record has the same shape (one hidden class); absent fields stay undefined. */
function record(
  p: WebhookProfile,
  idKey: number,
  idIndex: number,
  event: string,
  attempt: number,
  status: number,
  createdAt: number,
  payloadJson: string,
  durationMs?: number,
  httpStatus?: number,
  error?: string,
): LogRecord {
  return {
    id: logId(idKey, p.idKey, idIndex),
    webhookId: p.webhookId,
    event,
    attempt,
    status: STATUSES[status],
    createdAt,
    payloadJson,
    httpStatus,
    responseBody: undefined,
    responseHeadersJson: undefined,
    durationMs,
    error,
    deliveredAt: undefined,
    raw: undefined,
  }
}

const pinnedIndex = new WeakMap<WebhookProfile, Map<string, number>>()

/**
 * Finds a row by id in O(1): pinned ids by lookup, generated ids by decoding the index they carry
 * and regenerating that row.
 * @example
 * findLog(world, profile, 'log-uuid-2') //=> { index: 1, record: { status: 'failed', … } }
 */
export function findLog(world: World, profile: WebhookProfile, logId: string): { index: number; record: LogRecord } | undefined {
  const view = viewOf(world, profile)
  // At a later instant: the anchor's rows sit below the rows made since, and only `base` are kept.
  const made = view ? view.futureTop - view.futureLow : 0
  const kept = view ? view.base : profile.total
  let pins = pinnedIndex.get(profile)
  if (!pins) pinnedIndex.set(profile, (pins = new Map(profile.head.map((row, i) => [row.id, i]))))
  const pin = pins.get(logId)
  if (pin !== undefined) return pin < kept ? { index: made + pin, record: pinned(profile, pin) } : undefined
  const index = logIndex(profile.key, profile.idKey, logId)
  if (index !== undefined && index >= profile.head.length && index < kept) {
    const record = logAt(world, profile, made + index)
    if (record.id === logId) return { index: made + index, record }
  }
  if (!view) return undefined
  const o = logIndex(view.tl.key, profile.idKey, logId)
  if (o === undefined || o < view.futureLow || o >= view.futureTop) return undefined
  const record = logAt(world, profile, view.futureTop - 1 - o)
  return record.id === logId ? { index: view.futureTop - 1 - o, record } : undefined
}
