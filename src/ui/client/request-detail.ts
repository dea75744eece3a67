// One journal entry's details in the Requests view, run in the browser: what the client sent (the
// query, the headers as the mock redacted them, the body), what the mock answered (status, headers,
// body, bounded by the journal) and the fault it applied; "Copy as cURL" and "Send again". Send
// again goes to this mock's own origin only, whatever the journaled path looks like. Sent as source
// text: it uses only its argument and browser globals.
import type { Replay } from './replay.js'
import type { Ui } from './types.js'

export interface RequestDetail {
  /** The details of an entry; `close` closes them (the Close button; the view handles Escape). */
  build(entry: any, close: () => void): HTMLElement
}

/**
 * Creates the detail builder.
 * @example
 * const detail = requestDetail(ui, replay(ui))
 * row.after(detail.build(entry, close))
 */
export function requestDetail(ui: Ui, again: Replay): RequestDetail {
  const { h } = ui
  const table = (label: string, record: Record<string, string> | undefined, cut = '') => {
    const entries = Object.entries(record ?? {})
    if (!entries.length) return h('p', { class: 'hint' }, `No ${label.toLowerCase()}.`)
    const region = h(
      'div',
      { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': label },
      h(
        'table',
        { class: 'pairs' },
        h('caption', { class: 'visually-hidden' }, label),
        h('tbody', {}, ...entries.map(([name, value]) => h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, value)))),
      ),
    )
    return h('div', {}, h('p', { class: 'label', 'aria-hidden': 'true' }, label, cut), region)
  }
  const bodyBlock = (label: string, body: string | undefined, truncated: boolean | undefined) => {
    if (body === undefined || body === '') return h('p', { class: 'hint' }, `${label}: none.`)
    let text = body
    try {
      text = JSON.stringify(JSON.parse(body), null, 2)
    } catch {}
    return h(
      'div',
      {},
      h('p', { class: 'label' }, label, truncated ? ' (cut: the journal keeps the first bytes only)' : ''),
      h('pre', { class: 'body', tabindex: 0, 'aria-label': label }, text),
    )
  }
  const queryPairs = (query: string) => {
    const out: Record<string, string> = {}
    for (const [name, value] of new URLSearchParams(query)) out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`
    return out
  }
  /** Asks the Deliveries view to open the delivery of this log row, and shows that view. */
  const showDelivery = (logId: string) => {
    document.dispatchEvent(new CustomEvent('talkover-open-delivery', { detail: logId }))
    location.hash = '#deliveries'
  }

  function build(e: any, close: () => void): HTMLElement {
    const out = h('output', { class: 'result', 'aria-live': 'polite' })
    const curlBox = h('pre', { id: 'request-curl', class: 'body', hidden: true, tabindex: 0, 'aria-label': 'cURL command' })
    const fault = [
      e.fault && `${e.fault.kind === 'status' ? `status ${e.fault.status}` : e.fault.kind} via ${e.fault.via}`,
      e.latency_ms && `+${e.latency_ms} ms of latency`,
      e.client_aborted && 'the client left before the answer',
    ]
      .filter(Boolean)
      .join(', ')
    const copy = async () => {
      const text = again.curl(e)
      curlBox.textContent = text
      curlBox.hidden = false
      const note = again.missing(e).length ? ' Then fill in the values marked <fill in: …>: the journal does not have them.' : ''
      try {
        await navigator.clipboard.writeText(text)
        out.textContent = `Copied the cURL command (credentials replaced by the dashboard’s API token).${note}`
      } catch {
        out.textContent = `The browser did not allow copying: the command is shown below, select it to copy.${note}`
      }
    }
    const sendAgain = async () => {
      const missing = again.missing(e)
      if (missing.length) {
        const list = missing.length > 1 ? `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}` : missing[0]
        out.textContent = `Not sent: the journal does not have ${list}, so a second send would not be the same request. Copy as cURL to fill them in.`
        return
      }
      const init: RequestInit = { method: e.method, headers: again.headers(e) }
      if (e.body !== undefined && e.method !== 'GET' && e.method !== 'HEAD') init.body = e.body
      out.textContent = 'Sending…'
      try {
        const res = await fetch(again.target(e), init)
        out.textContent = `Sent again: the mock answered ${res.status}. The new request is at the top of the list.`
      } catch (error) {
        out.textContent = `Not sent: ${(error as Error).message}.`
      }
    }
    const answer = e.answer ?? {}
    const section = h(
      'section',
      { id: 'request-detail', class: 'detail', 'aria-labelledby': 'request-detail-title' },
      h('h3', { id: 'request-detail-title', tabindex: -1 }, `#${e.seq} ${e.method} ${e.path}`),
      h(
        'dl',
        { class: 'facts' },
        ...[
          ['Time (UTC)', ui.when(e.time)],
          ['Status', e.status === undefined ? 'no response' : String(e.status)],
          ['Duration', `${e.duration_ms} ms`],
          ['Session', e.session ?? 'none'],
          ['Fault', fault || 'none'],
        ].map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value))),
      ),
      h('h4', {}, 'Request'),
      h('p', {}, h('code', {}, `${e.method} ${e.path}${e.query ? `?${e.query}` : ''}`)),
      e.query ? table('Query parameters', queryPairs(e.query)) : null,
      table('Request headers', e.headers, e.headers_truncated ? ' (cut: the journal kept the first ones only)' : ''),
      bodyBlock('Request body', e.body, e.body_truncated),
      h('h4', {}, 'Answer'),
      e.status === undefined
        ? h('p', {}, 'No answer was sent (the connection was reset, held or left).')
        : h(
            'div',
            {},
            h('p', {}, `Status ${e.status}`),
            table('Answer headers', answer.headers),
            answer.body_dropped
              ? h('p', { class: 'hint' }, "Answer body: no longer kept (the journal keeps the newest answers' bodies only).")
              : bodyBlock('Answer body', answer.body, answer.body_truncated),
          ),
      e.retry ? h('p', {}, `Queued log row ${e.retry.log_id}, a retry of ${e.retry.original_log_id}.`) : null,
      e.webhook ? h('p', {}, `Webhook write: ${JSON.stringify(e.webhook)}`) : null,
      h(
        'div',
        { class: 'actions' },
        // A live delivery went from the mock to a receiver: its place is Deliveries, not a command to the mock.
        e.delivery
          ? h('button', { id: 'request-delivery', type: 'button', onclick: () => showDelivery(e.delivery.log_id) }, 'Show this delivery in Deliveries')
          : h('button', { id: 'request-copy', type: 'button', onclick: () => void copy() }, 'Copy as cURL'),
        e.delivery ? null : h('button', { id: 'request-send-again', type: 'button', onclick: () => void sendAgain() }, 'Send again'),
        h('button', { id: 'request-detail-close', type: 'button', onclick: close }, 'Close details'),
      ),
      out,
      curlBox,
      h('details', {}, h('summary', {}, 'The whole journal entry (JSON)'), h('pre', { id: 'request-detail-json' }, JSON.stringify(e, null, 2))),
    )
    return section
  }

  return { build }
}
