// The Requests view's filter form as a query of GET /__mock/requests, run in the browser: every
// filter goes to the mock, so it searches the whole journal. A value the page cannot read (Exact
// status "40") or the mock refuses (a Session with a space) is marked next to its field
// (aria-invalid, the reason linked), and nothing is listed until it is fixed. Sent as source text:
// it uses only its argument and browser globals.
import type { Ui } from './types.js'

export interface RequestsFilter {
  /** The query for these filters, or the reasons (by field name) the page refuses them. */
  query(limit: number): { query: URLSearchParams } | { refused: Record<string, string> }
  /** Marks the refused fields (the mock's 422 `errors` or the page's own), clears the others; true when any is marked. */
  mark(refused: Record<string, string> | undefined): boolean
}

/**
 * Creates the filter helpers of the form `#requests-filter`.
 * @example
 * const filter = requestsFilter(ui)
 * filter.query(200) //=> { query: URLSearchParams { limit: '200', status_class: '4xx' } }
 */
export function requestsFilter(ui: Ui): RequestsFilter {
  const form = ui.el<HTMLFormElement>('requests-filter')
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement
  /** The form field of each admin API parameter. */
  const FIELD: Record<string, string> = {
    session: 'session',
    method: 'method',
    status: 'status',
    status_class: 'status_class',
    path_contains: 'path',
    since: 'from',
    until: 'to',
  }

  /** `2024-01-15T12:00` from a datetime-local field, read as UTC (To: the end of that second or minute); undefined when empty or unreadable. */
  const instant = (name: string) => {
    const value = field(name).value
    const at = value ? Date.parse(`${value}Z`) : Number.NaN
    if (Number.isNaN(at)) return undefined
    return name === 'to' && !value.includes('.') ? at + (value.length > 16 ? 999 : 59_999) : at
  }

  function query(limit: number): { query: URLSearchParams } | { refused: Record<string, string> } {
    const out = new URLSearchParams({ limit: String(limit) })
    const session = field('session').value.trim()
    const status = field('status').value.trim()
    const path = field('path').value.trim()
    const wanted = field('status_class').value
    const since = instant('from')
    const until = instant('to')
    if (field('status').validity.badInput || (status && !/^[1-5]\d\d$/.test(status))) {
      return { refused: { status: 'Exact status must be a whole number from 100 to 599, like 404.' } }
    }
    if (session) out.set('session', session)
    if (field('method').value) out.set('method', field('method').value)
    if (status) out.set('status', status)
    if (wanted) out.set('status_class', wanted === 'none' ? 'none' : `${wanted}xx`)
    if (path) out.set('path_contains', path)
    if (since !== undefined) out.set('since', new Date(since).toISOString())
    if (until !== undefined) out.set('until', new Date(until).toISOString())
    return { query: out }
  }

  function mark(refused: Record<string, string> | undefined): boolean {
    let any = false
    for (const [param, name] of Object.entries(FIELD)) {
      const input = field(name)
      const id = `requests-${name}-error`
      const reason = refused?.[param] ?? refused?.[name]
      const shown = document.getElementById(id)
      if (!reason) {
        shown?.remove()
        input.removeAttribute('aria-invalid')
        input.removeAttribute('aria-describedby')
        continue
      }
      any = true
      input.setAttribute('aria-invalid', 'true')
      input.setAttribute('aria-describedby', id)
      // Left in place when unchanged: live polls must not redraw it every second.
      if (shown?.textContent === reason) continue
      shown?.remove()
      input.closest('label')!.after(ui.h('p', { id, class: 'error' }, reason))
    }
    return any
  }

  return { query, mark }
}
