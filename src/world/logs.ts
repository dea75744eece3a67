// A webhook's delivery log rows: row i (0 = newest) is a pure function of (seed, ids, fixture,
// now, i). Pinned head rows come first, then the earlier attempts of the last pinned delivery,
// then the generated history (see segments.ts). log-json.ts turns rows into JSON.
import { hashKey, mix, Rng } from '../encode/random.js'
import { logId, logIndex } from './ids.js'
import { deliveryPayload } from './payloads.js'
import { successAnswer } from './receiver.js'
import { decodeSegment, FAILED, RETRYING, STATUSES, SUCCESS } from './segments.js'
import { FAILURES } from './vocab.js'
import type { LogRecord, Segment, WebhookProfile, World } from './model.js'

const serials = new WeakMap<WebhookProfile, number>()
let nextSerial = 0

/** Decoded segment `s`, memoised per profile object (a changed profile never sees stale rows). */
function segmentOf(world: World, p: WebhookProfile, s: number): Segment {
  let serial = serials.get(p)
  if (serial === undefined) serials.set(p, (serial = nextSerial++))
  return world.cache.segments.get(`${serial}:${s}`, () => decodeSegment(p, s))
}

/**
 * Row `index` (0 = newest) of the webhook's history.
 * @example
 * logAt(world, lookupWebhook(world, 'agent-uuid', 'webhook-uuid'), 0).id //=> 'log-uuid-1'
 */
export function logAt(world: World, profile: WebhookProfile, index: number): LogRecord {
  const { head, layout } = profile
  if (!(index >= 0 && index < profile.total)) throw new RangeError(`Row ${index} does not exist: the webhook has ${profile.total} rows.`)
  if (index < head.length) return pinned(profile, index)
  if (index < layout.prefix) return continued(profile, index)
  const g = index - layout.prefix
  const s = Math.floor(g / layout.segmentSize)
  return generated(profile, index, segmentOf(world, profile, s), g - s * layout.segmentSize)
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
    generated: (index, seg, j) => rows.push(generated(profile, index, seg, j)),
  })
  return rows
}

/** What visitRows hands each row to: a made record (pinned, continued) or a generated row's place. */
export interface RowVisitor {
  record(row: LogRecord): void
  generated(index: number, seg: Segment, j: number): void
}

/**
 * Walks rows [offset, offset + count), decoding each segment once. Generated rows are handed over
 * as (segment, position) so a caller can write them without making a record (see log-json.ts).
 * @example
 * visitRows(world, profile, 0, 25, { record: (r) => …, generated: (i, seg, j) => … })
 */
export function visitRows(world: World, profile: WebhookProfile, offset: number, count: number, visit: RowVisitor): void {
  const { prefix, segmentSize } = profile.layout
  const end = Math.min(offset + count, profile.total)
  let s = -1
  let seg: Segment | undefined
  for (let i = Math.max(0, offset); i < end; i++) {
    if (i < prefix) {
      visit.record(logAt(world, profile, i))
      continue
    }
    const g = i - prefix
    if (g >= (s + 1) * segmentSize || !seg) seg = segmentOf(world, profile, (s = Math.floor(g / segmentSize)))
    visit.generated(i, seg, g - s * segmentSize)
  }
}

/** Seed of a pinned row's delivery; the continued attempts of the last one share it. */
const pinnedSeed = (p: WebhookProfile, i: number) => mix(p.key, hashKey(0, p.head[i].id))

function pinned(p: WebhookProfile, i: number): LogRecord {
  const row = p.head[i]
  if (row.payloadJson !== undefined) return row as LogRecord
  const cont = p.continuation
  const firstAt = i === p.head.length - 1 && cont.length > 0 ? cont[cont.length - 1].createdAt : row.createdAt
  return { ...row, payloadJson: deliveryPayload(p, pinnedSeed(p, i), firstAt, row.event).payloadJson }
}

function continued(p: WebhookProfile, index: number): LogRecord {
  const last = pinned(p, p.head.length - 1)
  const c = p.continuation[index - p.head.length]
  return record(p, index, last.event, c.attempt, RETRYING, c.createdAt, last.payloadJson, c.durationMs, c.httpStatus, c.error)
}

/** Generated row j of a segment as a record. log-json.ts writeGenerated() writes the same row as bytes. */
function generated(p: WebhookProfile, index: number, seg: Segment, j: number): LogRecord {
  const seed = seg.chainSeed[j]
  const status = seg.status[j]
  const delivery = deliveryPayload(p, seed, seg.chainStart[j])
  const at = seg.time[j]
  const rec = record(p, index, delivery.event, seg.attempt[j], status, at, delivery.payloadJson)
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
  index: number,
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
    id: logId(p.key, index),
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
  let pins = pinnedIndex.get(profile)
  if (!pins) pinnedIndex.set(profile, (pins = new Map(profile.head.map((row, i) => [row.id, i]))))
  const pin = pins.get(logId)
  if (pin !== undefined) return { index: pin, record: pinned(profile, pin) }
  const index = logIndex(profile.key, logId)
  if (index === undefined || index < profile.head.length || index >= profile.total) return undefined
  const record = logAt(world, profile, index)
  return record.id === logId ? { index, record } : undefined
}
