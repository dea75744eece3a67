// Types shared by the dashboard's client functions. Types only: the client functions are sent to
// the browser as their source text (see script.ts), so they may share types but never values.

/** A child the `h` helper accepts: nodes, text, or nothing. */
export type Child = Node | string | number | null | undefined | false

/** Attributes for `h`: strings, numbers and booleans become attributes, functions `on…` listeners. */
export type Attrs = Record<string, string | number | boolean | undefined | ((event: Event) => void)>

/** Which world a Talkover call reads: another seed (X-Mock-Seed), another session's writes (X-Mock-Session), an instant (X-Mock-Now). */
export interface WorldView {
  seed?: number
  /** The session whose writes are read; '' for the requests without one, undefined for the dashboard's own. */
  session?: string
  now?: string
}

/** The answer of a Talkover API call made by the dashboard. */
export interface TalkoverAnswer {
  status: number
  body: any
}

/** What every view gets from the core: calls, DOM helpers and the view lifecycle. */
export interface Ui {
  /** The X-Mock-Session the dashboard's own Talkover calls carry, so they never touch a client's schedule. */
  session: string
  /** Calls the admin API with the stored admin token; resolves to the parsed body, rejects with the mock's message. */
  admin(path: string, init?: RequestInit): Promise<any>
  /** Calls the Talkover API as the dashboard (GET unless told): its own session unless told, no injected fault or delay, an optional seed and instant. */
  talkover(path: string, view?: WorldView, method?: string): Promise<TalkoverAnswer>
  /** The bearer token of those calls (`talq_dashboard` unless the mock runs with --token); sets it when given. */
  apiToken(value?: string): string
  /** Creates an element. */
  h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement
  /** The element with this id (the page always has it). */
  el<T extends HTMLElement = HTMLElement>(id: string): T
  /** Replaces an element's children. */
  fill(parent: HTMLElement, ...children: Child[]): void
  /** Puts exactly these nodes into `parent`, in order, keeping the ones already there in place (and the focus in them). */
  place(parent: HTMLElement, nodes: HTMLElement[]): void
  /** A refused Talkover call as the page says it: `401: Invalid token.` plus which field fixes it. */
  problem(status: number, body: any): string
  /** An ISO instant as tables show it: `2024-01-15 12:00:05.123` (UTC). */
  when(iso: string | undefined): string
  /** A count with thousands separators: `1,000,000`. */
  num(n: number): string
  /** Shows a short message in the page's status line (read out by screen readers). */
  say(message: string): void
  /** Runs `fn` each time the view with this id is shown (and at once if it is the current one). */
  onShow(view: string, fn: () => void): void
  /** The id of the view on screen. */
  current(): string
  /** Runs `fn` with the config each time the dashboard loads or changes it. */
  onConfig(fn: (config: any) => void): void
  /** Tells the views the config changed (after a save or a reset). */
  configChanged(config: any): void
}
