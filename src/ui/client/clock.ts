// The World view's clock panel, run in the browser: the clock the view reads at (GET /__mock/clock,
// the mock-wide clock or, when the World view names a session, that session's), moved forward by
// its buttons and its "Set to" field (POST /__mock/clock). Sent as source text: it uses only its
// argument and browser globals.
import type { Ui } from './types.js'

/** What the World view uses of the clock panel. */
export interface ClockPanel {
  /** Shows the clock of this session (the mock-wide one when undefined); resolves to its `now`, or undefined when it could not be read. */
  load(session?: string): Promise<string | undefined>
  /** Runs `fn` with the new `now` after each move. */
  onMove(fn: (now: string) => void): void
}

/**
 * Creates the clock panel.
 * @example
 * const clock = clockPanel(ui)
 * clock.onMove((now) => console.log(now))
 */
export function clockPanel(ui: Ui): ClockPanel {
  const form = ui.el<HTMLFormElement>('clock-form')
  const setField = form.elements.namedItem('set') as HTMLInputElement
  const moved: ((now: string) => void)[] = []
  let session: string | undefined

  const path = () => `/__mock/clock${session ? `?session=${encodeURIComponent(session)}` : ''}`
  const error = (message: string) => {
    ui.el('clock-error').textContent = message
  }
  const time = (id: string, value: string) => {
    ui.el(id).textContent = value
    ui.el(id).setAttribute('datetime', value)
  }

  function show(clock: any) {
    time('clock-now', clock.now)
    time('clock-anchor', clock.anchor)
    ui.el('clock-mode').textContent = clock.mode === 'live' ? `live, ${clock.rate}× real time` : 'frozen: stands still until moved'
    ui.el('clock-scope').textContent = session
      ? `The clock of session ${session}; the World view reads at its now.`
      : 'The mock-wide clock (requests without X-Mock-Session); the World view reads at its now (X-Mock-Now).'
    if (!setField.value || document.activeElement !== setField) setField.value = clock.now
  }

  async function load(next?: string): Promise<string | undefined> {
    session = next
    try {
      const clock = (await ui.admin(path())).data
      show(clock)
      error('')
      return clock.now
    } catch (e) {
      error(`Clock: ${(e as Error).message}`)
      return undefined
    }
  }

  async function move(body: Record<string, string | number>, what: string) {
    try {
      const clock = (await ui.admin(path(), { method: 'POST', body: JSON.stringify(body) })).data
      show(clock)
      error('')
      ui.say(`The clock moved ${what}: it is now ${clock.now}.`)
      for (const fn of moved) fn(clock.now)
    } catch (e) {
      error((e as Error).message)
    }
  }

  for (const button of ui.el('clock').querySelectorAll<HTMLButtonElement>('button[data-advance]')) {
    const raw = button.dataset.advance!
    const advance = /^\d+$/.test(raw) ? Number(raw) : raw
    button.addEventListener('click', () => void move({ advance }, `forward ${button.textContent!.trim().slice(1)}`))
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const value = setField.value.trim()
    if (!value) return error('Enter an instant like 2024-01-16T00:00:00Z.')
    void move({ set: value }, `to ${value}`)
  })

  return {
    load,
    onMove(fn) {
      moved.push(fn)
    },
  }
}
