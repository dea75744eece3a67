// The Faults view, run in the browser: GET /__mock/config as a form, saved with PATCH
// /__mock/config (only the fields that changed), and a Reset button (POST /__mock/reset, asked
// first), for every request or one session. A value the page cannot read (an emptied number, `e`
// in a number field) is refused next to its field and nothing is sent. Sent as source text: it
// uses only its argument and browser globals.
import type { Ui } from './types.js'

/**
 * Wires the Faults view.
 * @example
 * faultsView(core())
 */
export function faultsView(ui: Ui): void {
  const form = ui.el<HTMLFormElement>('faults-form')
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement
  const NUMBERS = ['error_rate', 'error_status', 'fault_rate', 'fail_every', 'fail_next', 'retry_after', 'hang_ms']
  /** What each number field takes, for its error message. */
  const TAKES: Record<string, string> = {
    error_rate: 'a share from 0 to 1, like 0.25 (0 is off)',
    fault_rate: 'a share from 0 to 1, like 0.1 (0 is off)',
    fail_next: 'a whole number of requests, like 2 (0 clears the scripts)',
    fail_every: 'a whole number n, like 3 (0 is off)',
    retry_after: 'whole seconds from 0 to 86400, like 1',
    hang_ms: 'milliseconds from 1 to 600000, like 30000',
  }
  let loaded: Record<string, string> = {}

  const scope = () => {
    const session = field('session').value.trim()
    return session ? `?session=${encodeURIComponent(session)}` : ''
  }
  const errorOf = (name: string) => document.getElementById(`e-${name.replace(/_/g, '-')}`)
  const labelOf = (name: string) => form.querySelector(`label[for="${field(name).id}"]`)?.textContent?.trim() ?? name

  /** Shows (or clears, with '') the message next to a field, and marks the field. */
  function mark(name: string, message: string) {
    const control = field(name)
    const out = errorOf(name)
    if (out) out.textContent = message
    if (message) control.setAttribute('aria-invalid', 'true')
    else control.removeAttribute('aria-invalid')
  }
  function clearMarks() {
    for (const name of Object.keys(loaded)) mark(name, '')
    ui.el('faults-error').textContent = ''
  }

  /** Why the page refuses a number field's value, or undefined when it can be sent. */
  function refusal(name: string, input: HTMLInputElement, changed: boolean): string | undefined {
    const label = labelOf(name)
    const text = input.value.trim()
    // Latency's format only: the mock checks bounds and order, and its sentence lands next to the field.
    if (name === 'latency') {
      const ok = !changed || text === '' || /^(\d+(-\d+)?|p(\d{1,2}(\.\d+)?|100)=\d+(\s*,\s*p(\d{1,2}(\.\d+)?|100)=\d+)*)$/.test(text)
      return ok ? undefined : `Latency must be milliseconds like 250, a range like 50-300, or p50=80,p95=250; ${text} is not.`
    }
    if (input.validity.badInput) return `${label} is not a number the page can read: enter ${TAKES[name]}.`
    if (!changed) return undefined
    const value = input.value.trim()
    if (value === '') return `${label} is empty: enter ${TAKES[name]}.`
    const n = Number(value)
    const min = input.min === '' ? -Infinity : Number(input.min)
    const max = input.max === '' ? Infinity : Number(input.max)
    if (!Number.isFinite(n) || n < min || n > max || (input.step === '1' && !Number.isInteger(n))) return `${label} must be ${TAKES[name]}; ${value} is not.`
    return undefined
  }

  /** The form's values for a config, as the fields hold them. */
  function values(config: any): Record<string, string> {
    const simple = config.fail_next.every((s: any) => Object.keys(s).length === 1)
    return {
      latency: config.latency ?? '',
      error_rate: String(config.error_rate),
      error_status: String(config.error_status),
      fault: config.fault ?? '',
      fault_rate: String(config.fault_rate),
      fail_every: String(config.fail_every?.n ?? 0),
      fail_next: String(simple ? config.fail_next.reduce((n: number, s: any) => n + s.count, 0) : ''),
      retry_after: String(config.retry_after),
      hang_ms: String(config.hang_ms),
    }
  }

  /** Fills the form with a config; `keep` leaves the fields edited since the last load as typed (a Session change, a return to the view). */
  function show(config: any, keep = false) {
    const edited = keep ? Object.keys(loaded).filter((name) => field(name).value.trim() !== loaded[name]) : []
    loaded = values(config)
    for (const [name, value] of Object.entries(loaded)) if (!edited.includes(name)) field(name).value = value
    clearMarks()
    if (edited.length)
      ui.say(
        `Kept your unsaved ${edited.map(labelOf).join(', ')}: Save applies ${edited.length === 1 ? 'it' : 'them'} to ${config.session ? `session ${config.session.id}` : 'every request'}.`,
      )
    ui.el('fail-next-scripts').textContent = config.fail_next.length
      ? `Pending: ${config.fail_next.map((s: any) => JSON.stringify(s)).join(', ')}. A number here replaces them.`
      : 'None pending.'
    ui.el('faults-session-note').textContent = config.session
      ? `Session ${config.session.id} has made ${config.session.requests} requests.`
      : 'These settings apply to every request.'
  }

  async function load() {
    try {
      show((await ui.admin(`/__mock/config${scope()}`)).data, true)
    } catch (error) {
      ui.say(`Faults: ${(error as Error).message}`)
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    clearMarks()
    const patch: Record<string, unknown> = {}
    const refused: string[] = []
    for (const [name, before] of Object.entries(loaded)) {
      const control = field(name)
      const value = control.value.trim()
      const changed = value !== before
      if (control instanceof HTMLInputElement && (control.type === 'number' || name === 'latency')) {
        const why = refusal(name, control, changed)
        if (why) {
          mark(name, why)
          refused.push(name)
          continue
        }
      }
      if (!changed) continue
      if (name === 'latency') patch.latency = value === '' ? null : /^\d+$/.test(value) ? Number(value) : value
      else if (name === 'fault') patch.fault = value === '' ? null : value
      else if (NUMBERS.includes(name)) patch[name] = Number(value)
    }
    // Page order, so the message and the focus follow what a reader meets first.
    const order = [...form.elements]
    refused.sort((a, b) => order.indexOf(field(a)) - order.indexOf(field(b)))
    if (refused.length) {
      // Nothing is sent: every refused field says why, and the first one gets the focus.
      ui.say(
        `Not saved: ${refused.length === 1 ? 'one field needs' : `${refused.length} fields need`} a value the page can read (${refused.map(labelOf).join(', ')}).`,
      )
      field(refused[0]!).focus()
      return
    }
    if (Object.keys(patch).length === 0) return ui.say('Nothing changed.')
    try {
      const config = (await ui.admin(`/__mock/config${scope()}`, { method: 'PATCH', body: JSON.stringify(patch) })).data
      show(config)
      if (!scope()) ui.configChanged(config)
      ui.say(`Saved: ${Object.keys(patch).join(', ')}.`)
    } catch (failure) {
      // The mock's own sentence, next to the field it names when it names one.
      const message = (failure as Error).message
      const named = Object.keys(patch).find((name) => new RegExp(`\\b${name}\\b`).test(message))
      ui.el('faults-error').textContent = message
      if (named) {
        mark(named, message)
        field(named).focus()
      }
    }
  })
  form.addEventListener('input', (event) => {
    const name = (event.target as HTMLInputElement).name
    if (name in loaded && field(name).getAttribute('aria-invalid')) mark(name, '')
  })

  // Reset asks first: it clears the journal, the sessions and the clock.
  const resetButton = ui.el<HTMLButtonElement>('reset')
  const confirmBox = ui.el('reset-confirm')
  // The scope the question named: "Yes, reset" resets that, whatever the Session field says by then.
  let asked = ''
  function ask(open: boolean) {
    confirmBox.hidden = !open
    resetButton.setAttribute('aria-expanded', String(open))
    if (open) {
      asked = scope()
      ui.el('reset-question').textContent = asked
        ? `Reset session ${field('session').value.trim()}? Its overrides, fail_next scripts, counters, clock and journal lines go; other requests keep theirs.`
        : 'Reset the whole mock? The config goes back to its start-up settings, and the journal, every session, their scripts and the clock are cleared.'
      ui.el('reset-no').focus()
    }
  }
  resetButton.addEventListener('click', () => ask(confirmBox.hidden))
  ui.el('reset-no').addEventListener('click', () => {
    ask(false)
    resetButton.focus()
    ui.say('Nothing was reset.')
  })
  confirmBox.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return
    ask(false)
    resetButton.focus()
  })
  ui.el('reset-yes').addEventListener('click', async () => {
    const target = asked
    ask(false)
    resetButton.focus()
    try {
      const { message } = await ui.admin(`/__mock/reset${target}`, { method: 'POST' })
      ui.el('faults-error').textContent = ''
      ui.say(message)
      const config = (await ui.admin(`/__mock/config${target}`)).data
      if (target === scope()) show(config)
      if (!target) ui.configChanged(config)
    } catch (error) {
      ui.say(`Reset: ${(error as Error).message}`)
    }
  })

  field('session').addEventListener('change', () => void load())
  // A question about one scope never stays open over another.
  field('session').addEventListener('input', () => {
    if (confirmBox.hidden || scope() === asked) return
    ask(false)
    ui.say('Reset question closed: the Session changed, so it no longer says what would be reset. Nothing was reset.')
  })
  ui.onShow('faults', () => void load())
}
