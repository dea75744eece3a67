// The receiver check panel of the World view, run in the browser: a webhook's "Check receiver"
// button asks the mock to run the receiver checks (POST /__mock/receiver-check, in the session
// viewed) and shows the report, one row per check (✓ passed, ! warning, ✗ failed) with what was
// sent, the answer and the verdict. Sent as source text: it uses only its arguments and browser globals.
import type { Ui } from './types.js'

/** The webhook to check: its owner and id, and the name shown. */
export interface CheckTarget {
  owner: 'agent' | 'campaign'
  ownerId: string
  webhookId: string
  name: string
}

export interface ReceiverCheckPanel {
  /** Runs the checks against the webhook, in `session`, and shows the report. */
  run(target: CheckTarget, session: string): Promise<void>
  clear(): void
}

/**
 * Creates the panel.
 * @example
 * const checks = receiverCheckPanel(ui)
 * await checks.run({ owner: 'agent', ownerId: 'dev-agent', webhookId: 'local', name: 'local' }, 'dashboard')
 */
export function receiverCheckPanel(ui: Ui): ReceiverCheckPanel {
  const { h } = ui
  const panel = ui.el('receiver-check')
  const title = ui.el('receiver-check-title')
  const MARKS: Record<string, [string, string]> = { pass: ['✓', 'passed'], warn: ['!', 'warning'], fail: ['✗', 'failed'] }

  const answerOf = (requests: any[]) =>
    requests.length === 0 ? '–' : requests.map((r) => `${r.status ?? (r.error ?? 'no answer').replace(/ after .*/, '')} in ${r.duration_ms} ms`).join(', ')

  function row(check: any): HTMLElement {
    const [mark, word] = MARKS[check.verdict] ?? ['?', check.verdict]
    return h(
      'tr',
      { class: `check-${check.verdict}` },
      h('td', {}, h('span', { class: `badge verdict-${check.verdict}`, title: word }, mark, h('span', { class: 'visually-hidden' }, ` ${word}`))),
      h('th', { scope: 'row' }, h('code', {}, check.id)),
      h('td', {}, check.sent),
      h('td', { class: 'num' }, answerOf(check.requests)),
      h('td', {}, check.note, check.verdict === 'pass' ? null : h('br'), check.verdict === 'pass' ? null : h('span', { class: 'hint' }, check.why)),
    )
  }

  function show(report: any) {
    const summary = report.problem
      ? report.problem
      : `${report.url} (timeout ${report.timeout} s): ${report.passed} passed, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}, ${report.failed} failed.`
    const mark = h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Result'))
    const head = h('tr', {}, mark, ...['Check', 'Sent', 'Answer', 'Verdict'].map((t) => h('th', { scope: 'col' }, t)))
    // Focusable and named, so keyboard users can scroll a table wider than the screen.
    const table = report.checks.length
      ? h(
          'div',
          { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Receiver check results' },
          h('table', { class: 'checks' }, h('thead', {}, head), h('tbody', {}, ...report.checks.map(row))),
        )
      : null
    ui.fill(panel, h('p', { class: `outcome-${report.outcome}`, role: 'status' }, summary), table)
  }

  return {
    async run(target, session) {
      title.hidden = false
      title.textContent = `Receiver check of ${target.name}`
      ui.fill(panel, h('p', { role: 'status' }, 'Checking… (one request after another, each within the webhook’s timeout)'))
      const owner = target.owner === 'campaign' ? { campaign_id: target.ownerId } : { agent_id: target.ownerId }
      try {
        const body = await ui.admin(`/__mock/receiver-check?session=${encodeURIComponent(session)}`, {
          method: 'POST',
          body: JSON.stringify({ ...owner, webhook_id: target.webhookId }),
        })
        show(body.data)
      } catch (error) {
        ui.fill(panel, h('p', { class: 'error', role: 'alert' }, (error as Error).message))
      }
    },
    clear() {
      title.hidden = true
      ui.fill(panel)
    },
  }
}
