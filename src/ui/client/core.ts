// The dashboard's core, run in the browser: the admin-token gate, calls to the admin and Talkover
// APIs, switching views by the URL's hash, and small DOM helpers. Sent as source text: it must not
// use anything from outside its own body (types excepted).
import type { Attrs, Child, TalkoverAnswer, Ui, WorldView } from './types.js'

/**
 * Starts the dashboard's core and returns what the views use.
 * @example
 * const ui = core()
 * ui.onShow('requests', () => poll())
 */
export function core(): Ui {
  const TOKEN_KEY = 'talkover-mock.admin-token'
  const API_TOKEN_KEY = 'talkover-mock.api-token'
  const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
  const showers = new Map<string, (() => void)[]>()
  const configListeners: ((config: any) => void)[] = []
  let ready = false

  const h = (tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement => {
    const node = document.createElement(tag)
    for (const [key, value] of Object.entries(attrs)) {
      if (typeof value === 'function') node.addEventListener(key.slice(2), value)
      else if (value === true) node.setAttribute(key, '')
      else if (value !== false && value !== undefined) node.setAttribute(key, String(value))
    }
    for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(typeof child === 'number' ? String(child) : child)
    return node
  }
  const fill = (parent: HTMLElement, ...children: Child[]) => {
    parent.replaceChildren()
    for (const child of children) if (child !== null && child !== undefined && child !== false) parent.append(typeof child === 'number' ? String(child) : child)
  }
  const say = (message: string) => {
    byId('status').textContent = message
  }
  /**
   * Puts exactly `nodes`, in this order, into `parent`, moving only what must move: rows kept from
   * the last redraw stay in place, so the focus on one of them (or in it) survives a live redraw.
   */
  const place = (parent: HTMLElement, nodes: HTMLElement[]) => {
    const active = document.activeElement as HTMLElement | null
    const keep = new Set(nodes)
    for (const child of [...parent.children]) if (!keep.has(child as HTMLElement)) child.remove()
    nodes.forEach((node, i) => {
      if (parent.children[i] !== node) parent.insertBefore(node, parent.children[i] ?? null)
    })
    if (active && active !== document.activeElement && active.isConnected) active.focus({ preventScroll: true })
  }
  /** An instant as the tables show it: date and time, UTC, to the millisecond when it has them. */
  const when = (iso: string | undefined) => (iso ? iso.replace('T', ' ').replace(/Z$/, '') : '')
  /** A refused Talkover call as a sentence; a 401 says which field fixes it. */
  const problem = (status: number, body: any) => {
    const said = `${status}: ${body?.message ?? 'no message'}`
    if (status !== 401) return said
    // The mock takes any talq_… token unless it runs with --token: only then is a talq_ token refused.
    if (!/^talq_\S+$/.test(apiToken()))
      return `${said}. An API token starts with talq_ (like talq_local_dev): fix the World view's "API token" field, then press View.`
    return `${said}. This mock runs with --token: enter that token in the World view's "API token" field, then press View.`
  }
  const numbers = new Intl.NumberFormat('en-US')
  const num = (n: number) => numbers.format(n)

  class Refused extends Error {}

  async function admin(path: string, init: RequestInit = {}): Promise<any> {
    const token = sessionStorage.getItem(TOKEN_KEY)
    const headers = new Headers(init.headers)
    if (token) headers.set('authorization', `Bearer ${token}`)
    // Reads stay out of the mock's access log (the Requests view polls every second).
    if ((init.method ?? 'GET') === 'GET') headers.set('x-mock-dashboard', '1')
    if (init.body !== undefined) headers.set('content-type', 'application/json')
    const res = await fetch(path, { ...init, headers })
    const body = await res.json().catch(() => ({ message: `${res.status} ${res.statusText}` }))
    if (res.status === 401) {
      gate(token ? 'The mock refused that token. Enter the --admin-token secret the mock was started with.' : '')
      throw new Refused(body.message)
    }
    // A 422's field errors go with it, so a view can mark the fields they name.
    if (!res.ok) throw Object.assign(new Error(body.message ?? `${res.status} ${res.statusText}`), { errors: body.errors })
    return body
  }

  function apiToken(value?: string): string {
    if (value !== undefined) sessionStorage.setItem(API_TOKEN_KEY, value)
    return sessionStorage.getItem(API_TOKEN_KEY) || 'talq_dashboard'
  }

  async function talkover(path: string, view: WorldView = {}, method = 'GET'): Promise<TalkoverAnswer> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${apiToken()}`,
      'x-mock-status': '200',
      'x-mock-latency': '0',
    }
    // '' is the requests without a session (a Resend of their delivery); undefined the dashboard's own.
    if (view.session !== '') headers['x-mock-session'] = view.session || ui.session
    if (view.seed !== undefined) headers['x-mock-seed'] = String(view.seed)
    if (view.now !== undefined) headers['x-mock-now'] = view.now
    // A broken connection (an injected reset needs X-Mock-Fault, so only a stopped mock) or a
    // body that is not JSON is shown like an error answer, with status 0.
    try {
      const res = await fetch(path, { method, headers })
      return { status: res.status, body: await res.json() }
    } catch (error) {
      return { status: 0, body: { message: `The mock did not answer (${(error as Error).message}).` } }
    }
  }

  // Views: the sections marked data-view; the hash names the one on screen.
  const views = () => [...document.querySelectorAll<HTMLElement>('[data-view]')]
  const current = () => {
    const wanted = location.hash.slice(1)
    return views().some((v) => v.id === wanted) ? wanted : views()[0]!.id
  }
  function show(focus: boolean) {
    if (!ready) return
    const id = current()
    for (const view of views()) view.hidden = view.id !== id
    for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav] a')) {
      if (link.hash === `#${id}`) link.setAttribute('aria-current', 'page')
      else link.removeAttribute('aria-current')
    }
    if (focus) byId(id).querySelector<HTMLElement>('h2')?.focus()
    for (const fn of showers.get(id) ?? []) fn()
  }
  addEventListener('hashchange', () => show(true))

  // The gate: without a working admin token only the token form is on screen.
  function gate(message: string) {
    ready = false
    byId('gate').hidden = false
    byId('app').hidden = true
    byId('gate-error').textContent = message
    byId('admin-token').focus()
  }
  byId<HTMLFormElement>('token-form').addEventListener('submit', (event) => {
    event.preventDefault()
    const field = byId<HTMLInputElement>('admin-token')
    sessionStorage.setItem(TOKEN_KEY, field.value.trim())
    field.value = ''
    void boot()
  })
  byId('forget-token').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY)
    gate('The token is forgotten in this tab.')
  })

  async function boot() {
    let config: any
    try {
      config = (await admin('/__mock/config')).data
    } catch (error) {
      if (!(error instanceof Refused)) say(`The mock did not answer: ${(error as Error).message}`)
      return
    }
    ready = true
    byId('gate').hidden = true
    byId('app').hidden = false
    byId('forget-token').hidden = !sessionStorage.getItem(TOKEN_KEY)
    ui.configChanged(config)
    show(false)
  }

  const ui: Ui = {
    session: 'dashboard',
    admin,
    talkover,
    apiToken,
    h,
    el: byId,
    fill,
    place,
    problem,
    when,
    num,
    say,
    onShow(view, fn) {
      showers.set(view, [...(showers.get(view) ?? []), fn])
      if (ready && current() === view) fn()
    },
    current,
    onConfig(fn) {
      configListeners.push(fn)
    },
    configChanged(config) {
      for (const fn of configListeners) fn(config)
    },
  }
  // The views register first (this runs before they do); the first call happens after them.
  queueMicrotask(() => void boot())
  return ui
}
