// One live delivery's details in the Deliveries view, run in the browser: its outcome (succeeded,
// failed, retrying, sending), every attempt with the request's headers and body and the
// receiver's answer, and "Resend" (the Talkover retry endpoint on the newest attempt's row, in the
// delivery's session). Sent as source text: it uses only its argument and browser globals.
import type { Ui } from './types.js'

export interface DeliveryDetail {
  /** The details of a delivery; `close` closes them. */
  build(delivery: any, close: () => void): HTMLElement
  /** `succeeded`, `failed`, `retrying` or `sending`. */
  outcomeOf(delivery: any): string
  /** The outcome as a badge, with the next attempt's time while retrying. */
  outcome(delivery: any): HTMLElement
  /** An attempt's answer: `202 in 12 ms`, or its status and error. */
  answer(attempt: any): HTMLElement
  /** Runs `fn` after a resend was queued. */
  onResend(fn: () => void): void
}

/**
 * Creates the detail builder.
 * @example
 * const detail = deliveryDetail(ui)
 * detail.outcomeOf({ state: 'done', attempts: [{ status: 'failed' }] }) //=> 'failed'
 */
export function deliveryDetail(ui: Ui): DeliveryDetail {
  const { h } = ui
  const resent: (() => void)[] = []
  /** The last Resend message of each delivery: the details are rebuilt when a new attempt arrives. */
  const said = new Map<string, string>()

  const outcomeOf = (d: any) =>
    d.state === 'waiting' ? 'retrying' : d.state === 'sending' ? 'sending' : d.attempts[0]?.status === 'success' ? 'succeeded' : 'failed'
  const CLASS: Record<string, string> = { succeeded: 'log-success', failed: 'log-failed', retrying: 'log-retrying', sending: 'state-sending' }
  const outcome = (d: any) => {
    const word = outcomeOf(d)
    return h('span', {}, h('span', { class: `badge ${CLASS[word]}` }, word), d.next_attempt_at ? ` (next at ${ui.when(d.next_attempt_at)})` : '')
  }
  const answer = (a: any) => {
    if (!a) return h('span', { class: 'badge status-none' }, 'no attempt yet')
    if (a.http_status !== undefined) {
      const kind = a.http_status < 300 ? 'ok' : a.http_status < 400 ? 'redirect' : a.http_status < 500 ? 'client' : 'server'
      return h('span', {}, h('span', { class: `badge status-${kind}` }, a.http_status), a.duration_ms === undefined ? '' : ` in ${a.duration_ms} ms`)
    }
    return h('span', {}, h('span', { class: `badge log-${a.status}` }, a.status), a.error ? ` ${a.error}` : '')
  }
  const pairs = (label: string, record: Record<string, string> | undefined) =>
    Object.keys(record ?? {}).length
      ? h(
          'div',
          {},
          h('p', { class: 'label', 'aria-hidden': 'true' }, label),
          h(
            'div',
            { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': label },
            h(
              'table',
              { class: 'pairs' },
              h('caption', { class: 'visually-hidden' }, label),
              h('tbody', {}, ...Object.entries(record!).map(([name, value]) => h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, value)))),
            ),
          ),
        )
      : h('p', { class: 'hint' }, `${label}: none.`)
  const pretty = (text: string) => {
    try {
      return JSON.stringify(JSON.parse(text), null, 2)
    } catch {
      return text
    }
  }
  const body = (label: string, text: string | undefined) =>
    text === undefined || text === ''
      ? h('p', { class: 'hint' }, `${label}: none.`)
      : h('div', {}, h('p', { class: 'label', 'aria-hidden': 'true' }, label), h('pre', { class: 'body', tabindex: 0, 'aria-label': label }, pretty(text)))

  function attemptBlock(a: any): HTMLElement {
    return h(
      'section',
      { class: 'attempt-detail', 'aria-label': `Attempt ${a.attempt} (${a.log_id})` },
      h('h4', {}, `Attempt ${a.attempt}: `, answer(a), ` at ${ui.when(a.created_at)}`),
      h('p', {}, h('code', {}, `${a.method} ${a.url}`), ` (log row ${a.log_id})`),
      pairs(`Request headers of attempt ${a.attempt}`, a.request_headers),
      body(`Request body of attempt ${a.attempt}`, a.request_body),
      pairs(`Answer headers of attempt ${a.attempt}`, a.response_headers),
      body(`Answer body of attempt ${a.attempt}`, a.response_body),
    )
  }

  function build(d: any, close: () => void): HTMLElement {
    const key = `${d.session ?? ''} ${d.id}`
    const out = h('output', { class: 'result', 'aria-live': 'polite' }, said.get(key) ?? '')
    const tell = (text: string) => {
      said.set(key, text)
      out.textContent = text
    }
    const newest = d.attempts[0]
    const resend = async () => {
      const owner = d.owner === 'campaign' ? 'campaigns' : 'agents'
      const path = `/api/v1/${owner}/${encodeURIComponent(d.owner_id)}/webhooks/${encodeURIComponent(d.webhook_id)}/logs/${encodeURIComponent(newest.log_id)}/retry`
      tell('Resending…')
      // In the delivery's own session ('' = the requests without one), where its rows live.
      const { status, body } = await ui.talkover(path, { session: d.session ?? '' }, 'POST')
      tell(
        status === 200 ? `Resend queued: log row ${body.data.log_id}. The new attempt shows here when it is sent.` : `Not resent: ${ui.problem(status, body)}`,
      )
      if (status === 200) for (const fn of resent) fn()
    }
    return h(
      'section',
      { id: 'delivery-detail', class: 'detail', 'aria-labelledby': 'delivery-detail-title' },
      h('h3', { id: 'delivery-detail-title', tabindex: -1 }, `${d.id}: ${d.event} to ${d.webhook_id}`),
      h('p', {}, 'Outcome: ', outcome(d), ` after ${d.attempts.length} attempt${d.attempts.length === 1 ? '' : 's'}.`),
      h(
        'div',
        { class: 'actions' },
        newest ? h('button', { id: 'delivery-resend', type: 'button', onclick: () => void resend() }, 'Resend') : null,
        h('button', { id: 'delivery-detail-close', type: 'button', onclick: close }, 'Close details'),
      ),
      out,
      ...d.attempts.map((a: any) => attemptBlock(a)),
      h('details', {}, h('summary', {}, 'The whole delivery (JSON)'), h('pre', { id: 'delivery-detail-json' }, JSON.stringify(d, null, 2))),
    )
  }

  return {
    build,
    outcomeOf,
    outcome,
    answer,
    onResend(fn) {
      resent.push(fn)
    },
  }
}
