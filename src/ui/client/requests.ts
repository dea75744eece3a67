// The Requests view, run in the browser: the journal (GET /__mock/requests) newest first, polled
// once a second while the view is on screen, filtered by session and path, one entry's details on
// click. Sent as source text: it uses only its argument and browser globals.
import type { Ui } from './types.js'

/**
 * Wires the Requests view.
 * @example
 * requestsView(core())
 */
export function requestsView(ui: Ui): void {
  const { h } = ui
  const form = ui.el<HTMLFormElement>('requests-filter')
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement
  const rows = ui.el('requests-rows')
  let entries: any[] = []
  let shown = ''
  let selected: number | undefined
  let busy = false

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

  function visible(): any[] {
    const path = field('path').value.trim()
    const own = field('own').checked || field('session').value.trim() === ui.session
    return entries.filter((e) => (own || e.session !== ui.session) && (!path || `${e.path}?${e.query}`.includes(path)))
  }

  function render() {
    const list = visible()
    const key = `${list.map((e) => e.seq).join(',')}|${selected}`
    if (key === shown) return
    shown = key
    ui.fill(
      rows,
      ...list.map((e) =>
        h(
          'tr',
          { class: e.seq === selected ? 'selected' : undefined },
          h('td', {}, h('time', { datetime: e.time }, e.time.slice(11, 23))),
          h('td', {}, e.method),
          h(
            'td',
            { class: 'path' },
            h(
              'button',
              { type: 'button', class: 'link', 'aria-pressed': String(e.seq === selected), onclick: () => select(e.seq) },
              e.path + (e.query ? `?${e.query}` : ''),
            ),
          ),
          h('td', {}, statusCell(e.status)),
          h('td', { class: 'num' }, `${e.duration_ms} ms`),
          h('td', {}, e.session ?? ''),
          h('td', {}, faultText(e)),
        ),
      ),
    )
    ui.el('requests-empty').hidden = list.length > 0
    ui.el('requests-count').textContent = `${list.length} shown of the ${entries.length} newest.`
    const entry = entries.find((e) => e.seq === selected)
    ui.el('request-detail').hidden = !entry
    if (entry) {
      ui.el('request-detail-title').textContent = `#${entry.seq} ${entry.method} ${entry.path}`
      ui.el('request-detail-json').textContent = JSON.stringify(entry, null, 2)
    }
  }

  function select(seq: number) {
    selected = selected === seq ? undefined : seq
    render()
    if (selected !== undefined) ui.el('request-detail-title').focus()
  }

  async function poll() {
    if (busy) return
    busy = true
    try {
      const session = field('session').value.trim()
      const query = new URLSearchParams({ limit: '200', ...(session && { session }) })
      entries = (await ui.admin(`/__mock/requests?${query}`)).data
      render()
    } catch (error) {
      ui.say(`Requests: ${(error as Error).message}`)
    } finally {
      busy = false
    }
  }

  form.addEventListener('submit', (event) => event.preventDefault())
  form.addEventListener('input', (event) => ((event.target as HTMLInputElement).name === 'session' ? void poll() : render()))
  ui.el('request-detail-close').addEventListener('click', () => select(selected!))
  setInterval(() => {
    if (ui.current() === 'requests' && field('live').checked && !ui.el('app').hidden && !document.hidden) void poll()
  }, 1000)
  ui.onShow('requests', () => void poll())
}
