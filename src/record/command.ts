// `talkover-mock record`: records one owner's webhooks from an upstream into a fixture file.
// cli.ts imports this module only for the record subcommand, and this module loads faker only
// when anonymising, so serving never pays for either. Writes the file whole or not at all.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { createScrubber } from './anonymise.js'
import { recordingText } from './fixture-text.js'
import { recordOwner, type Owner, type Progress } from './record.js'
import { REDACTED } from './secrets.js'
import { upstreamOf, type Sleep } from './upstream.js'

/** The record subcommand's settings, validated (see record-config.ts). */
export interface RecordSettings {
  upstream: string
  token: string
  owner: Owner
  ownerId: string
  webhookIds: string[]
  maxRows?: number
  out: string
  anonymise: boolean
  seed: number
  /** Most requests per minute. */
  rate: number
  /** Seconds one request may take (`--timeout`; default 30). */
  timeout?: number
}

export interface RecordIo {
  /** Epoch milliseconds: the header's time and the progress rate. */
  clock: () => number
  fetch?: typeof fetch
  sleep?: Sleep
  /** Called with a progress line after each page (the CLI passes it only on a terminal). */
  progress?: (line: string) => void
}

/**
 * Records and writes the fixture; resolves with a one-line summary.
 * @example
 * await runRecord({ upstream: 'http://127.0.0.1:4010', token: 'talq_x', owner: 'agent', ownerId: 'agent-uuid', webhookIds: [], out: 'recorded.yaml', anonymise: true, seed: 1, rate: 90 }, { clock: Date.now })
 * //=> 'Recorded 247 rows of 1 webhook into recorded.yaml (anonymised with seed 1; 0 secrets removed).'
 */
export async function runRecord(s: RecordSettings, io: RecordIo): Promise<string> {
  const upstream = upstreamOf(s, io)
  const scrubber = s.anonymise ? createScrubber({ anonymise: true, seed: s.seed, faker: await loadFaker() }) : createScrubber({ anonymise: false })
  const webhooks = await recordOwner({
    upstream,
    owner: s.owner,
    ownerId: s.ownerId,
    webhookIds: s.webhookIds,
    maxRows: s.maxRows,
    scrubber,
    clock: io.clock,
    progress: io.progress && ((p) => io.progress!(progressLine(p))),
  })
  const scrub = scrubber.summary()
  const at = new Date(io.clock()).toISOString().replace(/\.\d{3}Z$/, 'Z')
  // The token is never written, even if an upstream echoed it somewhere the scrubber did not look.
  const text = recordingText({ at, upstream: upstream.base, owner: s.owner, owner_id: s.ownerId, max_rows: s.maxRows, scrub }, webhooks)
    .split(s.token)
    .join(REDACTED)
  mkdirSync(dirname(s.out), { recursive: true })
  writeFileSync(`${s.out}.partial`, text)
  renameSync(`${s.out}.partial`, s.out)
  const rows = webhooks.reduce((n, w) => n + w.rows.length, 0)
  const how = s.anonymise ? `anonymised with seed ${s.seed}` : 'not anonymised'
  return `Recorded ${rows} rows of ${webhooks.length} webhook${webhooks.length === 1 ? '' : 's'} into ${s.out} (${how}; ${scrub.secrets_removed} secrets removed).`
}

async function loadFaker() {
  const { Faker, en, base } = await import('@faker-js/faker')
  return new Faker({ locale: [en, base] })
}

/**
 * The progress line: rows so far of the total, requests, rate and time left.
 * @example
 * progressLine({ rows: 1200, total: 50000, requests: 13, elapsedMs: 8667 }) //=> 'recorded 1200 of 50000 rows · 13 requests · 1.5 req/s · ETA 5m 52s'
 */
export function progressLine(p: Progress): string {
  const perSecond = p.elapsedMs > 0 ? (p.requests * 1000) / p.elapsedMs : 0
  const rowsPerMs = p.elapsedMs > 0 ? p.rows / p.elapsedMs : 0
  const left = rowsPerMs > 0 ? Math.max(0, Math.round((p.total - p.rows) / rowsPerMs / 1000)) : undefined
  const eta = left === undefined ? '?' : left >= 60 ? `${Math.floor(left / 60)}m ${left % 60}s` : `${left}s`
  return `recorded ${p.rows} of ${p.total} rows · ${p.requests} requests · ${perSecond.toFixed(1)} req/s · ETA ${eta}`
}
