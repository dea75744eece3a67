/** @jsxImportSource hono/jsx */
// The dashboard's views as server-rendered HTML: the structure, labels and forms. They hold no
// data; the client script fills them from the admin and Talkover APIs.
import { ClockPanel } from './panels.js'

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']

/** Requests: the journal, newest first, with its filters; one entry's details open under its row. */
export function RequestsView() {
  return (
    <section id="requests" data-view aria-labelledby="requests-heading" hidden>
      <h2 id="requests-heading" tabindex={-1}>
        Requests
      </h2>
      <p class="hint">What clients sent to the mock and what it answered, newest first, refreshed every second.</p>
      <form id="requests-filter" class="filters" aria-label="Filter requests">
        <label>
          Method
          <select name="method">
            <option value="">any</option>
            {METHODS.map((m) => (
              <option value={m}>{m}</option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select name="status_class">
            <option value="">any</option>
            <option value="2">2xx</option>
            <option value="3">3xx</option>
            <option value="4">4xx</option>
            <option value="5">5xx</option>
            <option value="none">no response</option>
          </select>
        </label>
        <label>
          Exact status <input name="status" type="number" min="100" max="599" step="1" inputmode="numeric" placeholder="404" class="short" />
        </label>
        <label>
          Path contains <input name="path" type="search" placeholder="/api/v1/…" autocomplete="off" />
        </label>
        <label>
          Session <input name="session" type="search" placeholder="any" autocomplete="off" />
        </label>
        <label>
          From (UTC) <input name="from" type="datetime-local" step="1" />
        </label>
        <label>
          To (UTC) <input name="to" type="datetime-local" step="1" />
        </label>
        <label class="check">
          <input name="live" type="checkbox" checked /> Live
        </label>
        <label class="check">
          <input name="own" type="checkbox" /> Show the dashboard's own requests
        </label>
      </form>
      <p id="requests-count" class="hint"></p>
      <section class="scroll" tabindex={0} aria-labelledby="requests-caption">
        <table class="requests cards">
          <caption id="requests-caption" class="visually-hidden">
            Recent requests
          </caption>
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Method</th>
              <th scope="col">Path</th>
              <th scope="col">Status</th>
              <th scope="col">Duration</th>
              <th scope="col">Session</th>
              <th scope="col">Fault</th>
            </tr>
          </thead>
          <tbody id="requests-rows"></tbody>
        </table>
      </section>
      <p id="requests-empty" class="hint">
        No requests yet. Point your client at this mock, or try{' '}
        <code>curl -H 'Authorization: Bearer talq_x' {'<this host>'}/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs</code>.
      </p>
      <p id="requests-nomatch" class="hint" hidden>
        No request matches these filters. Clear a filter to see more.
      </p>
    </section>
  )
}

/** World: the declared owners, any agent, an owner's webhooks and a webhook's logs, for any seed. */
export function WorldView() {
  return (
    <section id="world" data-view aria-labelledby="world-heading" hidden>
      <h2 id="world-heading" tabindex={-1}>
        World
      </h2>
      <form id="world-form" class="filters">
        <label>
          Seed <input name="seed" type="number" min="0" max="4294967295" step="1" inputmode="numeric" />
        </label>
        <label>
          Session <input name="session" placeholder="dashboard" autocomplete="off" spellcheck={false} />
        </label>
        <label>
          API token <input name="api_token" autocomplete="off" spellcheck={false} aria-describedby="webhooks-empty" />
        </label>
        <button type="submit">View</button>
      </form>
      <p class="hint">
        Another seed is viewed with <code>X-Mock-Seed</code>; the mock's own seed does not change. A session shows that <code>X-Mock-Session</code>'s retries
        and webhook writes (the dashboard's reads then count in its schedule, never faulted).
      </p>
      <ClockPanel />
      <div class="columns">
        <nav class="owners" aria-labelledby="owners-heading">
          <h3 id="owners-heading">Agents</h3>
          <ul id="agent-list" class="plain"></ul>
          <p id="open-world-note" class="hint"></p>
          <form id="agent-form" class="stack">
            <label for="agent-id">Agent id</label>
            <input id="agent-id" name="agent" autocomplete="off" spellcheck={false} placeholder="any-agent-id" />
            <button type="submit">Open agent</button>
          </form>
          <h3>Campaigns</h3>
          <ul id="campaign-list" class="plain"></ul>
        </nav>
        <div class="owner">
          <h3 id="webhooks-title">Webhooks</h3>
          <section class="scroll" tabindex={0} aria-labelledby="webhooks-caption">
            <table class="webhooks">
              <caption id="webhooks-caption" class="visually-hidden">
                Webhooks of the owner chosen
              </caption>
              <thead>
                <tr>
                  <th scope="col">Webhook</th>
                  <th scope="col">Enabled</th>
                  <th scope="col">URL</th>
                  <th scope="col">Events</th>
                  <th scope="col">Timeout</th>
                  <th scope="col">Max retries</th>
                  <th scope="col">Logs</th>
                  <th scope="col">Test</th>
                </tr>
              </thead>
              <tbody id="webhooks-rows"></tbody>
            </table>
          </section>
          <p id="webhooks-empty" class="hint" role="status"></p>
          <h3 id="receiver-check-title" hidden>
            Receiver check
          </h3>
          <div id="receiver-check" aria-live="polite"></div>
          <h3 id="logs-title">Logs</h3>
          <div id="logs"></div>
        </div>
      </div>
    </section>
  )
}

const STATUSES = [429, 500, 502, 503, 504]

/**
 * One row of the Faults form: label, control, and a third cell holding the hint and the field's
 * own error message (empty until the page refuses the value); the control names both.
 */
function Field(props: { name: string; label: string; hint?: string; children: any }) {
  const id = props.name.replace(/_/g, '-')
  return (
    <>
      <label for={`f-${id}`}>{props.label}</label>
      {props.children}
      <div class="cell">
        {props.hint ? (
          <p id={`h-${id}`} class="hint">
            {props.hint}
          </p>
        ) : null}
        <p id={`e-${id}`} class="error field-error"></p>
      </div>
    </>
  )
}

/** The ids a control's aria-describedby names: its hint (when it has one) and its error message. */
const describedBy = (name: string, hint = true) => {
  const id = name.replace(/_/g, '-')
  return hint ? `h-${id} e-${id}` : `e-${id}`
}

/** Faults: the config as a form, Save (PATCH) and Reset (POST, asked first). */
export function FaultsView() {
  return (
    <section id="faults" data-view aria-labelledby="faults-heading" hidden>
      <h2 id="faults-heading" tabindex={-1}>
        Faults
      </h2>
      <form id="faults-form" class="grid" novalidate>
        <label for="f-session">Session</label>
        <input id="f-session" name="session" placeholder="every request" autocomplete="off" aria-describedby="faults-session-note" />
        <p id="faults-session-note" class="hint wide"></p>
        <Field name="latency" label="Latency" hint="Milliseconds like 250, a range like 50-300, or p50=80,p95=250; empty for none.">
          <input id="f-latency" name="latency" placeholder="none" aria-describedby={describedBy('latency')} autocomplete="off" />
        </Field>
        <Field name="error_rate" label="Error rate" hint="Share of API requests answered with the error status, 0 to 1.">
          <input id="f-error-rate" name="error_rate" type="number" min="0" max="1" step="any" aria-describedby={describedBy('error_rate')} />
        </Field>
        <Field name="error_status" label="Error status">
          <select id="f-error-status" name="error_status" aria-describedby={describedBy('error_status', false)}>
            {STATUSES.map((s) => (
              <option value={String(s)}>{s}</option>
            ))}
          </select>
        </Field>
        <Field name="fault" label="Network fault" hint="reset closes the connection, hang holds it open, truncate cuts the body.">
          <select id="f-fault" name="fault" aria-describedby={describedBy('fault')}>
            <option value="">none</option>
            <option value="reset">reset</option>
            <option value="hang">hang</option>
            <option value="truncate">truncate</option>
          </select>
        </Field>
        <Field name="fault_rate" label="Fault rate" hint="Share of API requests that get the network fault, 0 to 1.">
          <input id="f-fault-rate" name="fault_rate" type="number" min="0" max="1" step="any" aria-describedby={describedBy('fault_rate')} />
        </Field>
        <label for="f-fail-next">Fail next</label>
        <input id="f-fail-next" name="fail_next" type="number" min="0" step="1" aria-describedby="fail-next-scripts e-fail-next" />
        <div class="cell">
          <p id="fail-next-scripts" class="hint"></p>
          <p id="e-fail-next" class="error field-error"></p>
        </div>
        <Field name="fail_every" label="Fail every" hint="Requests n, 2n, 3n … fail; 0 is off.">
          <input id="f-fail-every" name="fail_every" type="number" min="0" step="1" aria-describedby={describedBy('fail_every')} />
        </Field>
        <Field name="retry_after" label="Retry-After (s)" hint="The Retry-After header of error answers, in whole seconds from 0 to 86400.">
          <input id="f-retry-after" name="retry_after" type="number" min="0" max="86400" step="1" aria-describedby={describedBy('retry_after')} />
        </Field>
        <Field name="hang_ms" label="Hang (ms)" hint="How long a hang holds the connection: 1 to 600000 ms.">
          <input id="f-hang-ms" name="hang_ms" type="number" min="1" max="600000" step="1" aria-describedby={describedBy('hang_ms')} />
        </Field>
        <p id="faults-error" class="error wide" role="alert"></p>
        <div class="actions wide">
          <button type="submit">Save</button>
          <button id="reset" type="button" class="danger" aria-expanded="false" aria-controls="reset-confirm">
            Reset…
          </button>
        </div>
        <fieldset id="reset-confirm" class="confirm wide" hidden>
          <legend id="reset-question"></legend>
          <div class="actions">
            <button id="reset-yes" type="button" class="danger">
              Yes, reset
            </button>
            <button id="reset-no" type="button">
              Cancel
            </button>
          </div>
        </fieldset>
      </form>
      <p class="hint">
        Save changes only the fields you edited (PATCH /__mock/config). Reset puts the whole mock, or the session, back to its start-up state and clears the
        journal; it asks first.
      </p>
    </section>
  )
}
