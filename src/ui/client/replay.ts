// What a second send of a journaled request can be, run in the browser: the journal shows secrets as
// [redacted], describes bodies it does not show ("[11 bytes of text/plain, not shown]"), cuts long
// bodies and headers, and never has the body of a write no route read. Those are not the request,
// so "Send again" refuses and names them, and "Copy as cURL" marks each as `<fill in: …>` for the
// person to fill in. Credentials become the dashboard's API token. Sent as source text: it uses
// only its argument and browser globals.
import type { Ui } from './types.js'

export interface Replay {
  /** What the journal does not have of this request, each named for a person; empty when a second send is the same request. */
  missing(e: any): string[]
  /** The URL a second send goes to: always this mock's origin, even for a path like //evil.example/x. */
  target(e: any): string
  /** The headers of a second send (Send again asks `missing` first). */
  headers(e: any): [string, string][]
  /** The cURL command (`-g`: a `[` in a URL is not a glob), each value the journal does not have marked `<fill in: …>`. */
  curl(e: any): string
}

/**
 * Creates the replay helpers.
 * @example
 * const again = replay(ui)
 * again.missing(entry) //=> ['the query value api_key']
 */
export function replay(ui: Ui): Replay {
  const REDACTED = '[redacted]'
  const hidden = (text: string) => text.includes(REDACTED) || /%5Bredacted%5D/i.test(text)
  /** A body the journal describes instead of showing: `[11 bytes of text/plain, not shown]`. */
  const NOT_SHOWN = /^\[[^\]]*, not shown\]$/
  // Headers the browser or curl sets itself, or that would not mean the same on a second send.
  const NOT_RESENT =
    /^(host|content-length|connection|keep-alive|transfer-encoding|te|upgrade|origin|referer|cookie|accept-encoding|user-agent|priority|dnt|x-mock-dashboard|sec-.*|proxy-.*)$/
  const fill = (what: string) => `<fill in: ${what}>`
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '))
    } catch {
      return text
    }
  }
  const written = (e: any) => !['GET', 'HEAD', 'OPTIONS'].includes(e.method)
  const headerOf = (e: any, name: string): string | undefined => e.headers?.[name]

  /** `a=1&b=[redacted]` with each hidden value replaced by `mark(name)`, and the names replaced. */
  function pairs(text: string, mark: (name: string) => string): { text: string; names: string[] } {
    const names: string[] = []
    const out = text.split('&').map((pair) => {
      if (!hidden(pair)) return pair
      const eq = pair.indexOf('=')
      const name = eq < 0 ? 'a value' : decode(pair.slice(0, eq))
      names.push(name)
      return eq < 0 ? mark(name) : `${pair.slice(0, eq)}=${mark(name)}`
    })
    return { text: out.join('&'), names }
  }

  /** A JSON body with each string holding [redacted] replaced by `<fill in: path>`, and those paths. */
  function json(value: unknown, path: string, names: string[]): unknown {
    if (typeof value === 'string') return hidden(value) ? (names.push(path || 'the body'), fill(path || 'the body')) : value
    if (value === null || typeof value !== 'object') return value
    if (Array.isArray(value)) return value.map((item, i) => json(item, `${path}[${i}]`, names))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, json(item, path ? `${path}.${key}` : key, names)]))
  }

  /** The body of a second send, or what stands in its place, and what of it the journal does not have. */
  function body(e: any): { text?: string; missing: string[] } {
    const text: string | undefined = e.body
    if (text === undefined || text === '') {
      const length = Number(headerOf(e, 'content-length') ?? 0)
      if (!written(e) || !(length > 0 || headerOf(e, 'transfer-encoding'))) return { missing: [] }
      const what = `the body (${length > 0 ? `${length} bytes, ` : ''}not read by the mock)`
      return { text: fill(what), missing: [what] }
    }
    if (e.body_truncated) {
      const what = `the whole body (the journal kept its first ${new Blob([text]).size} bytes)`
      return { text: fill(what), missing: [what] }
    }
    if (NOT_SHOWN.test(text)) {
      const what = `the body (${text.slice(1, -1)})`
      return { text: fill(what), missing: [what] }
    }
    if (!hidden(text)) return { text, missing: [] }
    const type = (headerOf(e, 'content-type') ?? '').split(';')[0].trim().toLowerCase()
    if (type === 'application/x-www-form-urlencoded') {
      const form = pairs(text, fill)
      return { text: form.text, missing: form.names.map((name) => `the body field ${name}`) }
    }
    try {
      const names: string[] = []
      const filled = JSON.stringify(json(JSON.parse(text), '', names))
      return { text: filled, missing: names.map((name) => `the body field ${name}`) }
    } catch {
      return { text: fill('the body'), missing: ['the body'] }
    }
  }

  /** The headers as the journal has them: those a second send carries, and the names of those it does not have. */
  function headerPlan(e: any): { send: [string, string][]; missing: string[] } {
    const send: [string, string][] = []
    const missing: string[] = []
    const headers: Record<string, string> = e.headers ?? {}
    for (const [name, value] of Object.entries(headers)) {
      if (NOT_RESENT.test(name)) continue
      if (name === 'authorization') send.push([name, `Bearer ${ui.apiToken()}`])
      else if (hidden(value) || hidden(name)) missing.push(name)
      else send.push([name, value])
    }
    if (e.headers_truncated) {
      // What the entry itself says of the cut headers: its session, and that the dashboard's token stands for any credential.
      if (e.session && headers['x-mock-session'] === undefined) send.push(['x-mock-session', e.session])
      if (headers.authorization === undefined) send.push(['authorization', `Bearer ${ui.apiToken()}`])
    }
    return { send, missing }
  }

  function missing(e: any): string[] {
    const query = pairs(e.query ?? '', fill).names.map((name) => `the query value ${name}`)
    const headers = headerPlan(e).missing.map((name) => `the header ${name}`)
    if (e.headers_truncated) headers.push('the headers past the ones shown (the journal cut them)')
    return [...query, ...body(e).missing, ...headers]
  }

  const target = (e: any, query = e.query) => `${location.origin}${e.path.startsWith('/') ? '' : '/'}${e.path}${query ? `?${query}` : ''}`
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`

  function curl(e: any): string {
    const parts = ['curl', '-g', '-i', '-X', e.method, quote(target(e, pairs(e.query ?? '', fill).text))]
    const plan = headerPlan(e)
    for (const [name, value] of plan.send) parts.push('-H', quote(`${name}: ${value}`))
    for (const name of plan.missing) parts.push('-H', quote(`${name}: ${fill(name)}`))
    if (e.headers_truncated) parts.push('-H', quote(fill('the headers the journal cut')))
    const sent = body(e).text
    if (sent !== undefined) parts.push('--data-raw', quote(sent))
    return parts.join(' ')
  }

  return { missing, target: (e) => target(e), headers: (e) => headerPlan(e).send, curl }
}
