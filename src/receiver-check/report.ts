// The receiver check's report: a table for a person (one line per check, ✓/✗/!), JSON, or JUnit
// XML for CI (one test case per check), and the exit status. Pure.
import type { CheckReport, CheckResult, SentRequest } from './run.js'

export type ReportFormat = 'table' | 'json' | 'junit'

const MARK = { pass: '✓', warn: '!', fail: '✗' } as const

/**
 * The exit status: 0 when every check passed (warnings allowed), 1 when one failed, 2 when the
 * receiver could not be reached.
 * @example
 * exitStatus({ outcome: 'failed', … }) //=> 1
 */
export function exitStatus(report: CheckReport): 0 | 1 | 2 {
  return report.outcome === 'unreachable' ? 2 : report.outcome === 'failed' ? 1 : 0
}

/** The report in one of the formats. */
export function formatReport(report: CheckReport, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`
  return format === 'junit' ? junitReport(report) : tableReport(report)
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** The first line of every format's summary. */
export function summaryLine(report: CheckReport): string {
  if (report.problem) return report.problem
  return `Receiver check of ${report.url} (timeout ${report.timeout} s): ${report.passed} passed, ${plural(report.warnings, 'warning')}, ${report.failed} failed.`
}

/** What the receiver answered to a check's requests: statuses (or errors) and times. */
export function answerText(requests: readonly SentRequest[]): string {
  if (requests.length === 0) return '-'
  return requests.map((r) => `${r.status ?? (r.error?.startsWith('Connection timed out') ? 'timeout' : 'no answer')} ${r.duration_ms} ms`).join(', ')
}

/**
 * The report as text: a summary line, one line per check, then why each warning and failure matters.
 * @example
 * tableReport(report) //=> 'Receiver check of http://127.0.0.1:3000/hook (timeout 30 s): 35 passed, 0 warnings, 0 failed.\n\n   check …'
 */
export function tableReport(report: CheckReport): string {
  if (report.problem) return `${report.problem}\n`
  const rows = [['', 'check', 'sent', 'answer', 'verdict'], ...report.checks.map((c) => [MARK[c.verdict], c.id, c.sent, answerText(c.requests), c.note])]
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  const notes = report.checks.filter((c) => c.verdict !== 'pass').map((c) => `${MARK[c.verdict]} ${c.id}: ${c.why}`)
  return [summaryLine(report), '', ...rows.map(line), ...(notes.length ? ['', 'Why it matters:', ...notes] : []), ''].join('\n')
}

const xml = (text: string) =>
  text
    .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')

const CLASS = 'talkover-mock.check-receiver'

function testcase(c: CheckResult): string {
  const open = `    <testcase classname="${CLASS}" name="${xml(`${c.id}: ${c.title}`)}" time="${(c.requests.reduce((t, r) => t + r.duration_ms, 0) / 1000).toFixed(3)}">`
  const detail = xml(`sent: ${c.sent}\nanswer: ${answerText(c.requests)}\nwhy: ${c.why}`)
  if (c.verdict === 'fail') return `${open}\n      <failure message="${xml(c.note)}" type="receiver-check">${detail}</failure>\n    </testcase>`
  if (c.verdict === 'warn') return `${open}\n      <system-out>${xml(`warning: ${c.note}`)}\n${detail}</system-out>\n    </testcase>`
  return `${open}</testcase>`
}

/**
 * The report as JUnit XML: one test case per check (a failure for ✗, the warning in system-out
 * for !), or one error case when the receiver could not be reached.
 * @example
 * junitReport(report) //=> '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="talkover-mock check-receiver" …'
 */
export function junitReport(report: CheckReport): string {
  const cases = report.checks.map(testcase)
  if (report.problem)
    cases.push(
      `    <testcase classname="${CLASS}" name="reach the receiver">\n      <error message="${xml(report.problem)}" type="unreachable"/>\n    </testcase>`,
    )
  const errors = report.problem ? 1 : 0
  const counts = `tests="${cases.length}" failures="${report.failed}" errors="${errors}"`
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="talkover-mock check-receiver" ${counts}>`,
    `  <testsuite name="${xml(`receiver ${report.url}`)}" ${counts} skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}
