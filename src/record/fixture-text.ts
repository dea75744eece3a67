// The text of a recording: a fixture file `--fixtures` loads. A `recorded:` header says where,
// when and how it was recorded and what was anonymised; each webhook carries its settings and its
// rows as `recorded_rows`, one JSON line per row, newest first (YAML block text parses fast and
// keeps each row's bytes). Pure; imports only the yaml writer.
import { stringify } from 'yaml'
import type { ScrubSummary } from './anonymise.js'
import type { Owner, RecordedWebhook } from './record.js'

export interface RecordingHeader {
  /** When the recording finished, ISO-8601. */
  at: string
  /** The upstream's base URL (never a token). */
  upstream: string
  owner: Owner
  owner_id: string
  /** Most rows per webhook, when capped. */
  max_rows?: number
  scrub: ScrubSummary
}

/** Characters a YAML file may not hold as they are, written as JSON escapes (same JSON value). */
const NOT_YAML_PRINTABLE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g

/**
 * The fixture text of a recording.
 * @example
 * recordingText(header, [{ id: 'w', settings: { max_retries: 3 }, rows: ['{"id":"l1",…}'], upstreamTotal: 1, duplicates: 0 }])
 * //=> '# Recorded by talkover-mock record …\nrecorded:\n  at: …\nagents:\n  - id: a\n    webhooks:\n      - id: w\n        max_retries: 3\n        recorded_rows: |\n          {"id":"l1",…}\n'
 */
export function recordingText(header: RecordingHeader, webhooks: readonly RecordedWebhook[]): string {
  const { scrub, ...where } = header
  const meta = {
    ...where,
    anonymised: scrub.anonymised,
    ...(scrub.anonymised ? { seed: scrub.seed, replaced: scrub.replaced } : {}),
    secrets_removed: scrub.secrets_removed,
    webhooks: Object.fromEntries(webhooks.map((w) => [w.id, { rows: w.rows.length, upstream_total: w.upstreamTotal, duplicates_skipped: w.duplicates }])),
  }
  const parts = [
    '# Recorded by talkover-mock record. Replay it with: talkover-mock --fixtures <this file>',
    '# Rows are served exactly as recorded (history: they never move with --now).',
    stringify({ recorded: meta }, { lineWidth: 0 }).trimEnd(),
    `${header.owner === 'agent' ? 'agents' : 'campaigns'}:`,
    `  - id: ${JSON.stringify(header.owner_id)}`,
    '    webhooks:',
  ]
  for (const w of webhooks) {
    parts.push(`      - id: ${JSON.stringify(w.id)}`)
    for (const [k, v] of Object.entries(w.settings)) parts.push(`        ${k}: ${JSON.stringify(v)}`)
    if (w.rows.length === 0) {
      parts.push(`        recorded_rows: ''`)
      continue
    }
    parts.push('        recorded_rows: |')
    for (const row of w.rows) parts.push(`          ${row.replace(NOT_YAML_PRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}`)
  }
  return `${parts.join('\n')}\n`
}
