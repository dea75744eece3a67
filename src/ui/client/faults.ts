// The Faults view, run in the browser: GET /__mock/config as a form, saved with PATCH
// /__mock/config (only the fields that changed), and a Reset button (POST /__mock/reset), for every
// request or one session. Sent as source text: it uses only its argument and browser globals.
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
  let loaded: Record<string, string> = {}

  const scope = () => {
    const session = field('session').value.trim()
    return session ? `?session=${encodeURIComponent(session)}` : ''
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

  function show(config: any) {
    loaded = values(config)
    for (const [name, value] of Object.entries(loaded)) field(name).value = value
    ui.el('fail-next-scripts').textContent = config.fail_next.length
      ? `Pending: ${config.fail_next.map((s: any) => JSON.stringify(s)).join(', ')}. A number here replaces them.`
      : 'None pending.'
    ui.el('faults-session-note').textContent = config.session
      ? `Session ${config.session.id} has made ${config.session.requests} requests.`
      : 'These settings apply to every request.'
  }

  async function load() {
    try {
      show((await ui.admin(`/__mock/config${scope()}`)).data)
    } catch (error) {
      ui.say(`Faults: ${(error as Error).message}`)
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const patch: Record<string, unknown> = {}
    for (const [name, before] of Object.entries(loaded)) {
      const value = field(name).value.trim()
      if (value === before) continue
      if (name === 'latency') patch.latency = value === '' ? null : /^\d+$/.test(value) ? Number(value) : value
      else if (name === 'fault') patch.fault = value === '' ? null : value
      else if (NUMBERS.includes(name)) patch[name] = value === '' ? 0 : Number(value)
    }
    const error = ui.el('faults-error')
    error.textContent = ''
    if (Object.keys(patch).length === 0) return ui.say('Nothing changed.')
    try {
      const config = (await ui.admin(`/__mock/config${scope()}`, { method: 'PATCH', body: JSON.stringify(patch) })).data
      show(config)
      if (!scope()) ui.configChanged(config)
      ui.say(`Saved: ${Object.keys(patch).join(', ')}.`)
    } catch (failure) {
      error.textContent = (failure as Error).message
    }
  })

  ui.el('reset').addEventListener('click', async () => {
    try {
      const { message } = await ui.admin(`/__mock/reset${scope()}`, { method: 'POST' })
      ui.el('faults-error').textContent = ''
      ui.say(message)
      const config = (await ui.admin(`/__mock/config${scope()}`)).data
      show(config)
      if (!scope()) ui.configChanged(config)
    } catch (error) {
      ui.say(`Reset: ${(error as Error).message}`)
    }
  })

  field('session').addEventListener('change', () => void load())
  ui.onShow('faults', () => void load())
}
