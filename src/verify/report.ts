// The drift report: a table for a person, or JUnit XML for CI (one test case per call). Pure.
import { summarise, type DriftLine } from './drift.js'
import type { VerifyResult } from './verify.js'

/**
 * The exit status verify ends with: 0 no drift, 1 drift, 2 could not check.
 * @example
 * exitStatus({ calls: [] , problem: 'unreachable' }) //=> 2
 */
export function exitStatus(result: VerifyResult): 0 | 1 | 2 {
  if (result.problem) return 2
  return result.calls.some((c) => c.drifts.length > 0) ? 1 : 0
}

/**
 * The report as text: a verdict line, then the drift table.
 * @example
 * tableReport(result, 'http://127.0.0.1:4010/api/v1') //=> 'No drift: 9 answers of http://… match openapi.yaml.'
 */
export function tableReport(result: VerifyResult, upstream: string): string {
  const lines = summarise(result.calls.flatMap((c) => c.drifts))
  const checked = `${result.calls.length} answer${result.calls.length === 1 ? '' : 's'} of ${upstream}`
  if (result.problem)
    return `Could not check: ${result.problem}${result.calls.length ? ` (${checked} ${result.calls.length === 1 ? 'was' : 'were'} checked before that).` : ''}`
  if (lines.length === 0) return `No drift: ${checked} match openapi.yaml.`
  const rows = [['kind', 'operation', 'where', 'detail', 'seen', 'first seen in'], ...lines.map(cells)]
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  const format = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  return [
    `Drift: ${lines.length} difference${lines.length === 1 ? '' : 's'} between ${checked} and openapi.yaml.`,
    '',
    format(rows[0]),
    format(widths.map((w) => '-'.repeat(w))),
    ...rows.slice(1).map(format),
  ].join('\n')
}

const cells = (d: DriftLine) => [d.kind, d.operationId, d.path || '(body)', d.detail, String(d.count), d.call]

const xml = (text: string) =>
  text
    .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')

/**
 * The report as JUnit XML: a test case per call, failing with its drift; an error case when the
 * check could not be made.
 * @example
 * junitReport(result) //=> '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites …>…'
 */
export function junitReport(result: VerifyResult): string {
  const cases = result.calls.map(({ call, drifts }) => {
    const name = `${call.label} (${call.operationId})`
    if (drifts.length === 0) return `    <testcase classname="talkover-mock.verify" name="${xml(name)}"/>`
    const body = summarise(drifts)
      .map((d) => `${d.kind} at ${d.path || '(body)'}: ${d.detail} (×${d.count})`)
      .join('\n')
    return `    <testcase classname="talkover-mock.verify" name="${xml(name)}">\n      <failure message="${xml(`${drifts.length} drift finding${drifts.length === 1 ? '' : 's'}`)}" type="drift">${xml(body)}</failure>\n    </testcase>`
  })
  if (result.problem)
    cases.push(
      `    <testcase classname="talkover-mock.verify" name="reach the upstream">\n      <error message="${xml(result.problem)}" type="could-not-check"/>\n    </testcase>`,
    )
  const failures = result.calls.filter((c) => c.drifts.length > 0).length
  const errors = result.problem ? 1 : 0
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="talkover-mock verify" tests="${cases.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="openapi.yaml drift" tests="${cases.length}" failures="${failures}" errors="${errors}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}
