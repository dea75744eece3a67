// The World view, run in the browser: the declared agents and campaigns (GET /__mock/world), any
// other agent id, an owner's webhooks from the Talkover API, and their logs (the logs panel), all
// for the mock's seed or another one (X-Mock-Seed), with the retries and webhook writes of the
// dashboard's own session or of another one (X-Mock-Session), at the instant of the clock panel
// (X-Mock-Now); a test delivery and a receiver check per webhook. Sent as source text: it uses only its arguments and
// browser globals.
import type { ClockPanel } from './clock.js'
import type { LogsPanel } from './logs.js'
import type { CheckTarget, ReceiverCheckPanel } from './receiver-check.js'
import type { Ui, WorldView } from './types.js'

/**
 * Wires the World view.
 * @example
 * worldView(ui, logsPanel(ui), clockPanel(ui), receiverCheckPanel(ui))
 */
export function worldView(ui: Ui, logs: LogsPanel, clock: ClockPanel, checks: ReceiverCheckPanel): void {
  const { h } = ui
  const form = ui.el<HTMLFormElement>('world-form')
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement
  let view: WorldView = {}
  let mockSeed = 0
  let loaded = false
  let reopen: (() => Promise<void>) | undefined

  const enc = encodeURIComponent
  /**
   * A webhook URL as the page may show it, like the deliveries view (src/http/redact.ts, which
   * this browser code cannot import): user info, every query value and the fragment replaced.
   */
  const shownUrl = (url: string): string => {
    const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*@)?([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url)
    if (!m) return url.replace(/[^\s/@]*@/g, '[redacted]@').replace(/[?#]\S*/g, '?[redacted]')
    const query = (m[5] ?? '')
      .slice(1)
      .split('&')
      .map((pair) => (pair === '' ? '' : pair.includes('=') ? `${pair.slice(0, pair.indexOf('='))}=[redacted]` : '[redacted]'))
      .join('&')
    return `${m[1]}${m[2] ? '[redacted]@' : ''}${m[3]}${m[4]}${m[5] ? `?${query}` : ''}${m[6] ? '#[redacted]' : ''}`
  }
  const yesNo = (value: boolean) => h('span', { class: `badge ${value ? 'on' : 'off'}` }, value ? 'enabled' : 'disabled')

  /** The Test Webhook button of one webhook and the receiver's answer beside it, and its Check receiver button. */
  function testCell(base: string, name: string, target: CheckTarget): HTMLElement {
    const out = h('output', { 'aria-live': 'polite' })
    const button = h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          ;(button as HTMLButtonElement).disabled = true
          out.textContent = 'Sending…'
          const { status, body } = await ui.talkover(`${base}/test`, view, 'POST')
          out.textContent =
            status === 200
              ? `Answered ${body.data.status_code} in ${body.data.response_time} ms.`
              : status === 401
                ? ui.problem(status, body)
                : `Failed (${status}): ${body.message ?? 'no message'}`
          ;(button as HTMLButtonElement).disabled = false
        },
      },
      'Send test delivery',
      h('span', { class: 'visually-hidden' }, ` to ${name}`),
    )
    const check = h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          // One check at a time from this button: a run takes a while against a slow receiver.
          // aria-disabled, not disabled: a disabled button drops keyboard focus to <body>.
          if (check.getAttribute('aria-disabled') === 'true') return
          check.setAttribute('aria-disabled', 'true')
          await checks.run(target, view.session || ui.session)
          check.removeAttribute('aria-disabled')
        },
      },
      'Check receiver',
      h('span', { class: 'visually-hidden' }, ` of ${name}`),
    )
    return h('td', { class: 'test' }, button, ' ', out, h('br'), check)
  }

  function webhookRow(webhook: any, base: string, title: string, owner: CheckTarget['owner'], ownerId: string): HTMLElement {
    const logsPath = `${base}/logs`
    const events = webhook.events ?? []
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, h('span', { class: 'name' }, webhook.name ?? webhook.id), h('br'), h('code', {}, webhook.id)),
      h('td', {}, yesNo(webhook.enabled)),
      h('td', { class: 'url' }, shownUrl(webhook.webhook_url ?? '')),
      h('td', { title: events.join(', ') }, `${events.length} event${events.length === 1 ? '' : 's'}`),
      h('td', { class: 'num' }, webhook.timeout === undefined ? '' : `${webhook.timeout} s`),
      h('td', { class: 'num' }, webhook.max_retries ?? ''),
      h('td', {}, h('button', { type: 'button', onclick: () => void logs.open({ path: logsPath, title, view }) }, `Logs of ${webhook.name ?? webhook.id}`)),
      testCell(base, webhook.name ?? webhook.id, { owner, ownerId, webhookId: webhook.id, name: webhook.name ?? webhook.id }),
    )
  }

  function showWebhooks(title: string, rows: HTMLElement[], problem?: { status: number; body: any }) {
    ui.el('webhooks-title').textContent = title
    ui.fill(ui.el('webhooks-rows'), ...rows)
    ui.el('webhooks-empty').textContent = problem ? ui.problem(problem.status, problem.body) : rows.length ? '' : 'This owner has no webhooks.'
    ui.el('webhooks-empty').classList.toggle('error', problem !== undefined)
    // A refused token points at the field that fixes it.
    if (problem?.status === 401) field('api_token').setAttribute('aria-invalid', 'true')
    else field('api_token').removeAttribute('aria-invalid')
    logs.clear()
    checks.clear()
  }

  async function openAgent(agent: string) {
    reopen = () => openAgent(agent)
    const { status, body } = await ui.talkover(`/api/v1/agents/${enc(agent)}/webhooks`, view)
    if (status !== 200) return showWebhooks(`Webhooks of agent ${agent}`, [], { status, body })
    const rows = body.data.webhooks.map((w: any) =>
      webhookRow(w, `/api/v1/agents/${enc(agent)}/webhooks/${enc(w.id)}`, `${w.name ?? w.id} (agent ${agent})`, 'agent', agent),
    )
    showWebhooks(`Webhooks of agent ${agent}`, rows)
  }

  async function openCampaign(campaign: string, ids: string[]) {
    reopen = () => openCampaign(campaign, ids)
    const rows: HTMLElement[] = []
    let refused: { status: number; body: any } | undefined
    for (const id of ids) {
      const base = `/api/v1/campaigns/${enc(campaign)}/webhooks/${enc(id)}`
      const { status, body } = await ui.talkover(base, view)
      if (status === 200) rows.push(webhookRow(body.data, base, `${body.data.name ?? id} (campaign ${campaign})`, 'campaign', campaign))
      else if (status !== 404) refused ??= { status, body }
    }
    showWebhooks(`Webhooks of campaign ${campaign}`, rows, rows.length ? undefined : refused)
  }

  const ownerItem = (label: string, open: () => Promise<void>) => h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => void open() }, label))

  async function load() {
    try {
      const world = (await ui.admin('/__mock/world')).data
      ui.fill(ui.el('agent-list'), ...world.agents.map((a: any) => ownerItem(a.id, () => openAgent(a.id))))
      ui.fill(ui.el('campaign-list'), ...world.campaigns.map((c: any) => ownerItem(c.id, () => openCampaign(c.id, c.webhooks))))
      ui.el('open-world-note').textContent = world.open_world
        ? 'Any other agent id also has a generated history: type one below.'
        : 'The fixtures turn the open world off: only these owners exist.'
      loaded = true
      if (world.agents[0] && !reopen) await openAgent(world.agents[0].id)
    } catch (error) {
      ui.say(`World: ${(error as Error).message}`)
    }
  }

  /** Reads the clock of the session viewed; the view's Talkover calls then carry its now. */
  async function syncClock() {
    view.now = await clock.load(view.session)
  }

  ui.onConfig((config) => {
    mockSeed = config.seed
    if (view.seed === undefined) field('seed').value = String(config.seed)
    // A save of `now` or a reset moves the clock back to the anchor: the logs on screen follow it.
    if (!loaded) return
    const before = view.now
    void syncClock().then(() => (view.now === before ? undefined : logs.refresh(view)))
  })
  clock.onMove((now) => {
    view.now = now
    void logs.refresh(view)
  })

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const value = field('seed').value.trim()
    const session = field('session').value.trim()
    view = { seed: value === '' || Number(value) === mockSeed ? undefined : Number(value), session: session || undefined, now: view.now }
    ui.apiToken(field('api_token').value.trim())
    const seen = view.seed === undefined ? `the mock's seed ${mockSeed}` : `seed ${view.seed} (X-Mock-Seed)`
    ui.say(`Viewing ${seen}, with the writes of session ${view.session ?? ui.session}.`)
    void syncClock().then(() => reopen?.())
  })
  ui.el<HTMLFormElement>('agent-form').addEventListener('submit', (event) => {
    event.preventDefault()
    const agent = (ui.el<HTMLInputElement>('agent-id').value || '').trim()
    if (agent) void openAgent(agent)
  })
  field('api_token').value = ui.apiToken()
  ui.onShow('world', () => {
    void syncClock().then(() => (loaded ? undefined : load()))
  })
}
