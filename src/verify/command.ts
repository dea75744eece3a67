// `talkover-mock verify`: checks a sample of an upstream's answers against openapi.yaml and
// reports drift. cli.ts imports it only for the verify subcommand.
import { responseValidators } from '../http/response-check.js'
import { loadSpec } from '../http/spec.js'
import { upstreamOf, type Sleep } from '../record/upstream.js'
import { exitStatus, junitReport, tableReport } from './report.js'
import { verifyUpstream } from './verify.js'

/** The verify subcommand's settings, validated (see settings/commands.ts). */
export interface VerifySettings {
  upstream: string
  token: string
  owner: 'agent' | 'campaign'
  ownerId: string
  webhookIds: string[]
  format: 'table' | 'junit'
  rate: number
  /** Seconds one request may take (`--timeout`; default 30). */
  timeout?: number
  /** openapi.yaml to check against; default the packaged one. */
  spec?: string
}

export interface VerifyIo {
  clock: () => number
  fetch?: typeof fetch
  sleep?: Sleep
}

/**
 * Runs the check; resolves with the report and the exit status (0 no drift, 1 drift, 2 could not check).
 * @example
 * await runVerify({ upstream: 'http://127.0.0.1:4010', token: 'talq_x', owner: 'agent', ownerId: 'agent-uuid', webhookIds: [], format: 'table', rate: 600 }, { clock: Date.now })
 * //=> { status: 0, report: 'No drift: 9 answers of http://127.0.0.1:4010/api/v1 match openapi.yaml.' }
 */
export async function runVerify(s: VerifySettings, io: VerifyIo): Promise<{ status: 0 | 1 | 2; report: string }> {
  const upstream = upstreamOf(s, io)
  const result = await verifyUpstream({
    upstream,
    owner: s.owner,
    ownerId: s.ownerId,
    webhookIds: s.webhookIds,
    validators: responseValidators(loadSpec(s.spec)),
  })
  const report = s.format === 'junit' ? junitReport(result) : tableReport(result, upstream.base)
  return { status: exitStatus(result), report: report.split(s.token).join('[redacted]') }
}
