// The Deliveries view, run in the browser: the live deliveries (GET /__mock/deliveries) newest
// first, polled once a second while the view is on screen, filtered by outcome, event and session;
// one delivery's attempts open in a row right under it. Rows kept across redraws stay in place, so
// the keyboard keeps its place. With --deliver off, a plain note saying so. Sent as source text: it
// uses only its arguments and browser globals.
import type { DeliveryDetail } from './delivery-detail.js'
import type { Ui } from './types.js'

/**
 * Wires the Deliveries view.
 * @example
 * deliveriesView(ui, deliveryDetail(ui))
 */
export function deliveriesView(ui: Ui, detail: DeliveryDetail): void {
  const { h } = ui
  const form = ui.el<HTMLFormElement>('deliveries-filter')
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement
  const rows = ui.el('deliveries-rows')
  const drawn = new Map<string, { key: string; tr: HTMLElement; button: HTMLElement }>()
  let list: any[] = []
  let selected: string | undefined
  let detailRow: { id: string; json: string; tr: HTMLElement } | undefined
  let busy = false
  let lastCount = ''

  const idOf = (d: any) => `${d.session ?? ''} ${d.id}`
  const filtering = () => ['outcome', 'event', 'session'].some((name) => field(name).value.trim() !== '')

  function rowOf(d: any): HTMLElement {
    const id = idOf(d)
    const key = JSON.stringify([d.state, d.next_attempt_at, d.attempts.length, d.attempts[0]?.status])
    let row = drawn.get(id)
    if (!row || row.key !== key) {
      const first = d.attempts[d.attempts.length - 1]
      const started = first?.created_at ?? ''
      const button = row?.button ?? h('button', { type: 'button', class: 'link', 'aria-expanded': 'false', onclick: () => select(id) }, d.event)
      const cells = [
        h('td', { 'data-label': 'Started' }, h('time', { datetime: started }, ui.when(started))),
        row ? null : h('td', { 'data-label': 'Event' }, button),
        h('td', { 'data-label': 'Webhook' }, `${d.owner} ${d.owner_id}`, h('br'), h('code', {}, d.webhook_id)),
        h('td', { 'data-label': 'Outcome' }, detail.outcome(d)),
        h('td', { class: 'num', 'data-label': 'Attempts' }, d.attempts.length),
        h('td', { 'data-label': 'Last answer' }, detail.answer(d.attempts[0])),
        h('td', { 'data-label': 'Session' }, d.session ?? ''),
      ]
      if (row) {
        // Only the cells change: the row and its button stay, and so does the focus on it.
        for (const [i, cell] of cells.entries()) if (cell) row.tr.children[i]!.replaceWith(cell)
        row.key = key
      } else drawn.set(id, (row = { key, tr: h('tr', {}, ...cells), button }))
    }
    const open = id === selected
    row.tr.classList.toggle('selected', open)
    row.button.setAttribute('aria-expanded', String(open))
    if (open) row.button.setAttribute('aria-controls', 'delivery-detail')
    else row.button.removeAttribute('aria-controls')
    return row.tr
  }

  function render(announce = false) {
    const outcome = field('outcome').value
    const event = field('event').value.trim()
    const shown = list.filter((d) => (!outcome || detail.outcomeOf(d) === outcome) && (!event || d.event.includes(event)))
    const nodes: HTMLElement[] = []
    let refocus: string | undefined
    for (const d of shown) {
      nodes.push(rowOf(d))
      if (idOf(d) !== selected) continue
      const json = JSON.stringify(d)
      if (!detailRow || detailRow.id !== selected || detailRow.json !== json) {
        // Rebuilt when the delivery changed (a new attempt): the control with the focus gets it back.
        refocus = detailRow?.tr.contains(document.activeElement) ? document.activeElement!.id : undefined
        const content = detail.build(d, () => close())
        detailRow = { id: selected, json, tr: h('tr', { class: 'detail-row' }, h('td', { colspan: 7 }, content)) }
      }
      nodes.push(detailRow.tr)
    }
    ui.place(rows, nodes)
    if (refocus) document.getElementById(refocus)?.focus()
    const ids = new Set(list.map(idOf))
    for (const id of drawn.keys()) if (!ids.has(id)) drawn.delete(id)
    ui.el('deliveries-empty').hidden = list.length > 0 || filtering()
    ui.el('deliveries-nomatch').hidden = shown.length > 0 || !(list.length > 0 || filtering())
    if (announce) ui.say(shown.length ? `${ui.num(shown.length)} deliveries match.` : 'No delivery matches these filters.')
  }

  /** A log row whose delivery the Requests view asked to open: opened once the list has it. */
  let wanted: string | undefined
  document.addEventListener('talkover-open-delivery', (event) => {
    wanted = (event as CustomEvent<string>).detail
  })
  function openWanted() {
    const found = wanted && list.find((d) => d.attempts.some((a: any) => a.log_id === wanted))
    if (!wanted) return
    wanted = undefined
    if (!found) return ui.say('Deliveries: that delivery is not listed (filtered out, or no longer kept).')
    selected = undefined
    select(idOf(found))
  }

  function select(id: string) {
    if (selected === id) return close()
    selected = id
    render()
    document.getElementById('delivery-detail-title')?.focus()
  }
  function close() {
    const opener = selected === undefined ? undefined : drawn.get(selected)?.button
    selected = undefined
    detailRow = undefined
    render()
    opener?.focus()
  }

  /** Marks the Session field with the mock's reason, or clears the mark ('' ). */
  function refuse(reason: string) {
    const input = field('session')
    const shown = document.getElementById('deliveries-session-error')
    if (!reason) {
      shown?.remove()
      input.removeAttribute('aria-invalid')
      return input.removeAttribute('aria-describedby')
    }
    input.setAttribute('aria-invalid', 'true')
    input.setAttribute('aria-describedby', 'deliveries-session-error')
    if (shown?.textContent !== reason) {
      shown?.remove()
      input.closest('label')!.after(h('p', { id: 'deliveries-session-error', class: 'error' }, reason))
    }
  }

  async function poll(announce = false) {
    if (busy) return
    busy = true
    try {
      const session = field('session').value.trim()
      const query = new URLSearchParams({ limit: '200', ...(session && { session }) })
      const body = await ui.admin(`/__mock/deliveries?${query}`)
      const off = body.deliver === 'off'
      ui.el('deliveries-off').hidden = !off
      ui.el('deliveries-off').textContent = off
        ? 'Live delivery is off: this mock sends no webhooks, so there is nothing to list. Start it with --deliver live (or TALKOVER_MOCK_DELIVER=live) to send real deliveries to your receiver.'
        : ''
      list = body.data
      // Not a live region: it would be read out every second while deliveries flow.
      const count = off ? '' : `${ui.num(list.length)} shown, ${ui.num(body.active)} in flight or waiting.`
      if (count !== lastCount) ui.el('deliveries-count').textContent = lastCount = count
      refuse('')
      render(announce)
      openWanted()
    } catch (error) {
      const errors: Record<string, string[]> | undefined = (error as any).errors
      // A Session the mock refused filtered nothing: no row is listed until it is fixed.
      if (errors?.session) {
        refuse(errors.session[0]!)
        list = []
        render()
      }
      ui.say(`Deliveries: ${errors ? Object.values(errors).flat().join(' ') : (error as Error).message}`)
    } finally {
      busy = false
    }
  }

  form.addEventListener('submit', (event) => event.preventDefault())
  form.addEventListener('input', (event) => {
    const name = (event.target as HTMLInputElement).name
    if (name === 'session') void poll(true)
    else if (name !== 'live') render(true)
  })
  rows.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && selected !== undefined) close()
  })
  detail.onResend(() => void poll())
  setInterval(() => {
    if (ui.current() === 'deliveries' && field('live').checked && !ui.el('app').hidden && !document.hidden) void poll()
  }, 1000)
  ui.onShow('deliveries', () => void poll())
}
