// The logs panel of the World view, run in the browser: one webhook's delivery logs, a page at a
// time as the Talkover API pages them (first, previous, a page number, next, last), attempts of one
// delivery grouped into a chain, each row's JSON on demand (Escape folds it), and Resend on a failed
// row (the retry endpoint). Sent as source text: it uses only its arguments and browser globals.
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

  async function resend(target: LogsTarget, row: any) {
    const { status, body } = await ui.talkover(`${target.path}/${encodeURIComponent(row.id)}/retry`, target.view, 'POST')
    if (status !== 200) return ui.say(`Not resent: ${ui.problem(status, body)}`)
    await open(target, 1)
    ui.say(`Resend queued: the new row ${body.data.log_id} (a retry of ${row.id}) is on top of page 1.`)
    document.getElementById('logs-caption')?.focus()
  }

  function chainBody(target: LogsTarget, chain: any[], cut: boolean): HTMLElement {
    const newest = chain[0]
    const oldest = chain[chain.length - 1]
    const attempts = oldest.attempt === newest.attempt ? `attempt ${newest.attempt}` : `attempts ${oldest.attempt}–${newest.attempt}`
    const more = cut && oldest.attempt > 1 ? ' (earlier attempts on the next page)' : ''
    const body = h('tbody', { class: 'chain' })
    body.append(h('tr', { class: 'chain-head' }, h('th', { colspan: 7, scope: 'rowgroup' }, `${newest.event}: ${attempts}, ${newest.status}${more}`)))
    for (const row of chain) {
      const json = h('tr', { class: 'json', hidden: true }, h('td', { colspan: 7 }, h('pre', {}, JSON.stringify(row, null, 2))))
      const toggle = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-label': `JSON of attempt ${row.attempt} (${row.id})` }, 'JSON')
      const fold = (open: boolean) => {
        json.hidden = !open
        toggle.setAttribute('aria-expanded', String(open))
      }
      toggle.addEventListener('click', () => fold(json.hidden))
      const onEscape = (event: KeyboardEvent) => {
        if (event.key !== 'Escape' || json.hidden) return
        fold(false)
        toggle.focus()
      }
      toggle.addEventListener('keydown', onEscape)
      json.addEventListener('keydown', onEscape)
      const again =
        row.status === 'failed'
          ? h('button', { type: 'button', 'aria-label': `Resend attempt ${row.attempt} (${row.id})`, onclick: () => void resend(target, row) }, 'Resend')
          : null
      body.append(
        h(
          'tr',
          { class: `attempt log-row-${row.status}` },
          h('td', {}, `Attempt ${row.attempt}`),
          h('td', {}, statusBadge(row.status)),
          h('td', { class: 'num' }, row.http_status ?? '—'),
          h('td', {}, h('time', { datetime: row.created_at }, row.created_at)),
          h('td', { class: 'num' }, `${ui.num(row.duration_ms)} ms`),
          h('td', { class: 'error-text' }, row.error ?? ''),
          h('td', { class: 'row-actions' }, toggle, again ? ' ' : null, again),
        ),
        json,
      )
    }
    return body
  }

  function pager(next: LogsTarget, last: number): HTMLElement {
    const go = (to: number) => void open(next, Math.min(last, Math.max(1, to)))
    const jump = h('input', {
      id: 'logs-page',
      type: 'number',
      min: 1,
      max: last,
      step: 1,
      value: page,
      inputmode: 'numeric',
      class: 'short',
      'data-pager': 'jump',
    }) as HTMLInputElement
    const problem = h('span', { id: 'logs-page-error', class: 'error' })
    // novalidate: the page checks the number itself and says why next to the field (the browser's bubble says it nowhere else).
    const form = h(
      'form',
      { class: 'jump', novalidate: true },
      h('label', { for: 'logs-page' }, 'Go to page'),
      ' ',
      jump,
      ` of ${ui.num(last)} `,
      h('button', { type: 'submit', 'data-pager': 'go' }, 'Go'),
      ' ',
      problem,
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      const to = Number(jump.value)
      if (jump.value.trim() === '' || !Number.isInteger(to) || to < 1 || to > last) {
        problem.textContent = `Enter a whole page number from 1 to ${ui.num(last)}.`
        ui.say(problem.textContent)
        jump.setAttribute('aria-invalid', 'true')
        jump.setAttribute('aria-describedby', problem.id)
        return jump.focus()
      }
      ui.say('')
      go(to)
    })
    const button = (label: string, to: number, off: boolean, key: string) =>
      h('button', { type: 'button', 'data-pager': key, 'aria-disabled': off ? 'true' : undefined, onclick: () => (off ? undefined : go(to)) }, label)
    return h(
      'nav',
      { class: 'pager', 'aria-label': 'Log pages' },
      button('First page', 1, page <= 1, 'first'),
      button('Previous page', page - 1, page <= 1, 'previous'),
      form,
      button('Next page', page + 1, page >= last, 'next'),
      button('Last page', last, page >= last, 'last'),
    )
  }

  async function open(next: LogsTarget, at = 1): Promise<void> {
    // The pager is drawn anew: the control that had the focus gets it back.
    const focused = (document.activeElement as HTMLElement | null)?.closest?.('#logs [data-pager]')?.getAttribute('data-pager')
    page = at
    onScreen = next
    const query = `?page=${page}&per_page=${PER_PAGE}`
    const { status, body } = await ui.talkover(next.path + query, next.view)
    ui.el('logs-title').textContent = `Logs of ${next.title}`
    if (status !== 200) {
      ui.fill(panel, h('p', { role: 'alert', class: 'error' }, ui.problem(status, body)))
      return
    }
    const { total, per_page: perPage } = body.pagination
    const last = body.pagination.last_page ?? Math.max(1, Math.ceil(total / perPage))
    const caption = `Page ${ui.num(page)} of ${ui.num(last)}: ${ui.num(total)} log rows, attempts of one delivery grouped, newest first.`
    const table = h(
      'table',
      { class: 'logs' },
      h('caption', { id: 'logs-caption', tabindex: -1 }, caption),
      h('thead', {}, h('tr', {}, ...['Attempt', 'Status', 'HTTP', 'Created at', 'Duration', 'Error', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
    )
    const groups = chains(body.data)
    groups.forEach((chain, i) => table.append(chainBody(next, chain, i === groups.length - 1 && page < last)))
    const scroll = h('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': `Log rows, page ${page}` }, table)
    ui.fill(panel, body.data.length ? scroll : h('p', {}, 'No log rows on this page.'), pager(next, last))
    if (focused) {
      const again = panel.querySelector<HTMLElement>(`[data-pager="${focused}"]`)
      ;(again && again.getAttribute('aria-disabled') !== 'true' ? again : panel.querySelector<HTMLElement>('[data-pager="jump"]'))?.focus()
    }
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
