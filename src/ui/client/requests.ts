// The Requests view, run in the browser: the journal (GET /__mock/requests) newest first, polled
// once a second while the view is on screen, filtered by the mock (method, status class or exact,
// path, session, time), so a filter sees the whole journal and not only the 200 newest; one
// entry's details open in a row right under it. Rows kept across redraws
// stay in place, so the keyboard keeps its place while traffic flows. Sent as source text: it uses
// only its arguments and browser globals.
import type { RequestDetail } from './request-detail.js'
import type { RequestsFilter } from './requests-filter.js'
import type { Ui } from './types.js'

/**
 * Wires the Requests view.
 * @example
 * requestsView(ui, requestDetail(ui, replay(ui)), requestsFilter(ui))
 */
export function requestsView(ui: Ui, detail: RequestDetail, filter: RequestsFilter): void {
  const { h } = ui
  const form = ui.el<HTMLFormElement>('requests-filter')
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement
  const rows = ui.el('requests-rows')
  const drawn = new Map<number, { tr: HTMLElement; button: HTMLElement }>()
  let entries: any[] = []
  let selected: number | undefined
  let detailRow: { seq: number; json: string; tr: HTMLElement } | undefined
  let busy = false
  /** A filter value is refused (and marked): nothing is listed until it is fixed. */
  let refused = false
  let lastCount = ''

  const statusCell = (status: number | undefined) => {
    const kind = status === undefined ? 'none' : status < 300 ? 'ok' : status < 400 ? 'redirect' : status < 500 ? 'client' : 'server'
    return h('span', { class: `badge status-${kind}` }, status === undefined ? 'no response' : status)
  }
  const faultText = (entry: any) => {
    const parts: string[] = []
    if (entry.fault) parts.push(`${entry.fault.kind === 'status' ? entry.fault.status : entry.fault.kind} via ${entry.fault.via}`)
    if (entry.latency_ms) parts.push(`+${entry.latency_ms} ms`)
    if (entry.client_aborted) parts.push('client left')
    return parts.join(', ')
  }
  const LIMIT = 200
  const filtering = () => ['method', 'status_class', 'status', 'path', 'session', 'from', 'to'].some((name) => field(name).value.trim() !== '')

  /** The entries shown: the mock filtered them, but for the dashboard's own requests (left out in the page). */
  function visible(): any[] {
    const own = field('own').checked || field('session').value.trim() === ui.session
    return own ? entries : entries.filter((e) => e.session !== ui.session)
  }

  function rowOf(e: any): HTMLElement {
    let drawnRow = drawn.get(e.seq)
    if (!drawnRow) {
      const button = h(
        'button',
        { type: 'button', class: 'link', 'aria-expanded': 'false', onclick: () => select(e.seq) },
        e.path + (e.query ? `?${e.query}` : ''),
      )
      const tr = h(
        'tr',
        { 'data-seq': e.seq },
        h('td', { 'data-label': 'Time' }, h('time', { datetime: e.time }, ui.when(e.time))),
        h('td', { 'data-label': 'Method' }, e.method),
        h('td', { class: 'path', 'data-label': 'Path' }, button),
        h('td', { 'data-label': 'Status' }, statusCell(e.status)),
        h('td', { class: 'num', 'data-label': 'Duration' }, `${e.duration_ms} ms`),
        h('td', { 'data-label': 'Session' }, e.session ?? ''),
        h('td', { 'data-label': 'Fault' }, faultText(e)),
      )
      drawn.set(e.seq, (drawnRow = { tr, button }))
    }
    const open = e.seq === selected
    drawnRow.tr.classList.toggle('selected', open)
    drawnRow.button.setAttribute('aria-expanded', String(open))
    if (open) drawnRow.button.setAttribute('aria-controls', 'request-detail')
    else drawnRow.button.removeAttribute('aria-controls')
    return drawnRow.tr
  }

  function render(announce = false) {
    const list = visible()
    const nodes: HTMLElement[] = []
    let refocus: string | undefined
    for (const e of list) {
      nodes.push(rowOf(e))
      if (e.seq !== selected) continue
      // The detail stays while its entry is shown; it is rebuilt only when the entry changed.
      const json = JSON.stringify(e)
      if (!detailRow || detailRow.seq !== e.seq || detailRow.json !== json) {
        refocus = detailRow?.tr.contains(document.activeElement) ? document.activeElement!.id : undefined
        const content = detail.build(e, () => close())
        detailRow = { seq: e.seq, json, tr: h('tr', { class: 'detail-row' }, h('td', { colspan: 7 }, content)) }
      }
      nodes.push(detailRow.tr)
    }
    ui.place(rows, nodes)
    if (refocus) document.getElementById(refocus)?.focus()
    const seqs = new Set(entries.map((e) => e.seq))
    for (const seq of drawn.keys()) if (!seqs.has(seq)) drawn.delete(seq)
    ui.el('requests-empty').hidden = entries.length > 0 || filtering()
    const nomatch = ui.el('requests-nomatch')
    nomatch.hidden = refused || list.length > 0 || !(entries.length > 0 || filtering())
    // Only the dashboard's own requests are left out in the page: then "none" is of the newest only.
    const none =
      entries.length >= LIMIT
        ? `No request among the ${LIMIT} newest matches these filters. Clear a filter to see more.`
        : 'No request matches these filters. Clear a filter to see more.'
    if (nomatch.textContent !== none) nomatch.textContent = none
    // The count is not a live region: traffic would have it read out every second. A change of
    // filter announces it once, in the status line.
    const count = `${ui.num(list.length)} shown of the ${ui.num(entries.length)} newest matching the server-side filters.`
    if (count !== lastCount) ui.el('requests-count').textContent = lastCount = count
    if (announce && !refused) ui.say(list.length ? count : none)
  }

  function select(seq: number) {
    if (selected === seq) return close()
    selected = seq
    render()
    document.getElementById('request-detail-title')?.focus()
  }
  /** Closes the details and gives the focus back to the row that opened them. */
  function close() {
    const opener = selected === undefined ? undefined : drawn.get(selected)?.button
    selected = undefined
    detailRow = undefined
    render()
    opener?.focus()
  }

  let again = false
  async function poll(announce = false) {
    // A filter changed while a poll was on its way: poll once more when it is back.
    if (busy) return void (again ||= announce)
    busy = true
    try {
      const asked = filter.query(LIMIT)
      refused = filter.mark('refused' in asked ? asked.refused : undefined)
      entries = 'refused' in asked ? [] : (await ui.admin(`/__mock/requests?${asked.query}`)).data
      render(announce)
      if ('refused' in asked && announce) ui.say(`Requests: ${Object.values(asked.refused).join(' ')}`)
    } catch (error) {
      const errors: Record<string, string[]> | undefined = (error as any).errors
      if (errors) {
        refused = filter.mark(Object.fromEntries(Object.entries(errors).map(([name, list]) => [name, list[0]])))
        entries = []
        render()
      }
      ui.say(`Requests: ${errors ? Object.values(errors).flat().join(' ') : (error as Error).message}`)
    } finally {
      busy = false
      if (again) {
        again = false
        void poll(true)
      }
    }
  }

  form.addEventListener('submit', (event) => event.preventDefault())
  form.addEventListener('input', (event) => {
    const name = (event.target as HTMLInputElement).name
    if (name === 'live') return
    if (name === 'own') render(true)
    else void poll(true)
  })
  rows.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && selected !== undefined) close()
  })
  setInterval(() => {
    if (ui.current() === 'requests' && field('live').checked && !ui.el('app').hidden && !document.hidden) void poll()
  }, 1000)
  ui.onShow('requests', () => void poll())
}
