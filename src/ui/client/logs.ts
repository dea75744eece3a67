// The logs panel of the World view, run in the browser: one webhook's delivery logs, a page at a
// time as the Talkover API pages them, attempts of one delivery grouped into a chain, each row's
// JSON on demand. Sent as source text: it uses only its arguments and browser globals.
import type { Ui, WorldView } from './types.js'

/** Where a webhook's logs live: the Talkover path of its logs, and the seed and session to view them with. */
export interface LogsTarget {
  path: string
  title: string
  view: WorldView
}

export interface LogsPanel {
  open(target: LogsTarget, page?: number): Promise<void>
  /** Reopens the webhook on screen, if any, at its first page, seen through `view` (after the clock moved). */
  refresh(view: WorldView): Promise<void>
  clear(): void
}

/**
 * Creates the logs panel.
 * @example
 * const logs = logsPanel(ui)
 * await logs.open({ path: '/api/v1/agents/a/webhooks/w/logs', title: 'w' })
 */
export function logsPanel(ui: Ui): LogsPanel {
  const { h } = ui
  const PER_PAGE = 25
  const panel = ui.el('logs')
  let page = 1
  let onScreen: LogsTarget | undefined

  /** Consecutive rows of one delivery: newest attempt first, each the previous one's attempt − 1. */
  function chains(rows: any[]): any[][] {
    const out: any[][] = []
    for (const row of rows) {
      const chain = out[out.length - 1]
      const last = chain?.[chain.length - 1]
      if (last && row.attempt === last.attempt - 1 && row.event === last.event) chain!.push(row)
      else out.push([row])
    }
    return out
  }

  const statusBadge = (status: string) => h('span', { class: `badge log-${status}` }, status)

  function chainBody(chain: any[], cut: boolean): HTMLElement {
    const newest = chain[0]
    const oldest = chain[chain.length - 1]
    const attempts = oldest.attempt === newest.attempt ? `attempt ${newest.attempt}` : `attempts ${oldest.attempt}–${newest.attempt}`
    const more = cut && oldest.attempt > 1 ? ' (earlier attempts on the next page)' : ''
    const body = h('tbody', { class: 'chain' })
    body.append(h('tr', { class: 'chain-head' }, h('th', { colspan: 7, scope: 'rowgroup' }, `${newest.event}: ${attempts}, ${newest.status}${more}`)))
    for (const row of chain) {
      const json = h('tr', { class: 'json', hidden: true }, h('td', { colspan: 7 }, h('pre', {}, JSON.stringify(row, null, 2))))
      const toggle = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-label': `JSON of attempt ${row.attempt} (${row.id})` }, 'JSON')
      toggle.addEventListener('click', () => {
        json.hidden = !json.hidden
        toggle.setAttribute('aria-expanded', String(!json.hidden))
      })
      body.append(
        h(
          'tr',
          { class: `attempt log-row-${row.status}` },
          h('td', {}, `Attempt ${row.attempt}`),
          h('td', {}, statusBadge(row.status)),
          h('td', { class: 'num' }, row.http_status ?? '—'),
          h('td', {}, h('time', { datetime: row.created_at }, row.created_at)),
          h('td', { class: 'num' }, `${row.duration_ms} ms`),
          h('td', { class: 'error-text' }, row.error ?? ''),
          h('td', {}, toggle),
        ),
        json,
      )
    }
    return body
  }

  async function open(next: LogsTarget, at = 1): Promise<void> {
    page = at
    onScreen = next
    const query = `?page=${page}&per_page=${PER_PAGE}`
    const { status, body } = await ui.talkover(next.path + query, next.view)
    ui.el('logs-title').textContent = `Logs of ${next.title}`
    if (status !== 200) {
      ui.fill(panel, h('p', { role: 'alert' }, `${status}: ${body.message}`))
      return
    }
    const { total, per_page: perPage } = body.pagination
    const last = body.pagination.last_page ?? Math.max(1, Math.ceil(total / perPage))
    const table = h(
      'table',
      { class: 'logs' },
      h('caption', {}, `Page ${page} of ${last}: ${total} log rows, attempts of one delivery grouped, newest first.`),
      h('thead', {}, h('tr', {}, ...['Attempt', 'Status', 'HTTP', 'Created at', 'Duration', 'Error', 'Row'].map((t) => h('th', { scope: 'col' }, t)))),
    )
    const groups = chains(body.data)
    groups.forEach((chain, i) => table.append(chainBody(chain, i === groups.length - 1 && page < last)))
    const pager = h(
      'nav',
      { class: 'pager', 'aria-label': 'Log pages' },
      h('button', { type: 'button', disabled: page <= 1, onclick: () => void open(next, page - 1) }, 'Previous page'),
      h('span', {}, `Page ${page} of ${last}`),
      h('button', { type: 'button', disabled: page >= last, onclick: () => void open(next, page + 1) }, 'Next page'),
    )
    ui.fill(panel, body.data.length ? h('div', { class: 'scroll' }, table) : h('p', {}, 'No log rows on this page.'), pager)
  }

  return {
    open,
    refresh: async (view) => (onScreen ? open({ ...onScreen, view }, 1) : undefined),
    clear() {
      onScreen = undefined
      ui.el('logs-title').textContent = 'Logs'
      ui.fill(panel, h('p', { class: 'hint' }, 'Choose a webhook to see its delivery logs.'))
    },
  }
}
