// The Deliveries view, run in the browser: the live deliveries (GET /__mock/deliveries) newest
// first, polled once a second while the view is on screen, filtered by session, one delivery's
// attempts on click; with --deliver off, a plain note saying so. Sent as source text: it uses only
// its argument and browser globals.
import type { Ui } from './types.js'

/**
 * Wires the Deliveries view.
 * @example
 * deliveriesView(core())
 */
export function deliveriesView(ui: Ui): void {
  const { h } = ui
  const form = ui.el<HTMLFormElement>('deliveries-filter')
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement
  const rows = ui.el('deliveries-rows')
  let list: any[] = []
  let shown = ''
  let selected: string | undefined
  let busy = false

  const STATES: Record<string, string> = { sending: 'sending', waiting: 'waiting to retry', done: 'done' }
  const answer = (a: any) => {
    if (!a) return h('span', { class: 'badge status-none' }, 'no attempt yet')
    if (a.http_status !== undefined) {
      const kind = a.http_status < 300 ? 'ok' : a.http_status < 400 ? 'redirect' : a.http_status < 500 ? 'client' : 'server'
      return h('span', {}, h('span', { class: `badge status-${kind}` }, a.http_status), a.duration_ms === undefined ? '' : ` in ${a.duration_ms} ms`)
    }
    return h('span', {}, h('span', { class: `badge log-${a.status}` }, a.status), a.error ? ` ${a.error}` : '')
  }

  function render() {
    const key = `${JSON.stringify(list.map((d) => [d.id, d.state, d.attempts.length, d.attempts[0]?.status]))}|${selected}`
    if (key === shown) return
    shown = key
    ui.fill(
      rows,
      ...list.map((d) => {
        const first = d.attempts[d.attempts.length - 1]
        const started = first?.created_at ?? ''
        return h(
          'tr',
          { class: d.id === selected ? 'selected' : undefined },
          h('td', {}, h('time', { datetime: started }, started.slice(0, 19).replace('T', ' '))),
          h('td', {}, h('button', { type: 'button', class: 'link', 'aria-pressed': String(d.id === selected), onclick: () => select(d.id) }, d.event)),
          h('td', {}, `${d.owner} ${d.owner_id}`, h('br'), h('code', {}, d.webhook_id)),
          h('td', {}, h('span', { class: `badge state-${d.state}` }, STATES[d.state] ?? d.state), d.next_attempt_at ? ` (next at ${d.next_attempt_at})` : ''),
          h('td', { class: 'num' }, d.attempts.length),
          h('td', {}, answer(d.attempts[0])),
          h('td', {}, d.session ?? ''),
        )
      }),
    )
    ui.el('deliveries-empty').hidden = list.length > 0
    const delivery = list.find((d) => d.id === selected)
    ui.el('delivery-detail').hidden = !delivery
    if (delivery) {
      ui.el('delivery-detail-title').textContent = `${delivery.id}: ${delivery.event} to ${delivery.webhook_id}`
      ui.el('delivery-detail-json').textContent = JSON.stringify(delivery, null, 2)
    }
  }

  function select(id: string) {
    selected = selected === id ? undefined : id
    render()
    if (selected !== undefined) ui.el('delivery-detail-title').focus()
  }

  async function poll() {
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
      ui.el('deliveries-count').textContent = off ? '' : `${list.length} shown, ${body.active} in flight or waiting.`
      render()
    } catch (error) {
      ui.say(`Deliveries: ${(error as Error).message}`)
    } finally {
      busy = false
    }
  }

  form.addEventListener('submit', (event) => event.preventDefault())
  form.addEventListener('input', (event) => void ((event.target as HTMLInputElement).name === 'session' && poll()))
  ui.el('delivery-detail-close').addEventListener('click', () => select(selected!))
  setInterval(() => {
    if (ui.current() === 'deliveries' && field('live').checked && !ui.el('app').hidden && !document.hidden) void poll()
  }, 1000)
  ui.onShow('deliveries', () => void poll())
}
