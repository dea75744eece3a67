/** @jsxImportSource hono/jsx */
// The dashboard's views as server-rendered HTML: the structure, labels and forms. They hold no
// data; the client script fills them from the admin and Talkover APIs.
import { ClockPanel } from './panels.js'

/** Requests: the journal, newest first, with its filters and one entry's details. */
export function RequestsView() {
  return (
    <section id="requests" data-view aria-labelledby="requests-heading" hidden>
      <h2 id="requests-heading" tabindex={-1}>
        Requests
      </h2>
      <p class="hint">What clients sent to the mock, newest first, refreshed every second.</p>
      <form id="requests-filter" class="filters" aria-label="Filter requests">
        <label>
          Session <input name="session" type="search" placeholder="any" autocomplete="off" />
        </label>
        <label>
          Path contains <input name="path" type="search" placeholder="/api/v1/…" autocomplete="off" />
        </label>
        <label class="check">
          <input name="live" type="checkbox" checked /> Live
        </label>
        <label class="check">
          <input name="own" type="checkbox" /> Show the dashboard's own requests
        </label>
      </form>
      <p id="requests-count" class="hint" aria-live="polite"></p>
      <div class="scroll">
        <table class="requests">
          <caption class="visually-hidden">Recent requests</caption>
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
      </div>
      <p id="requests-empty" class="hint">
        No requests yet. Point your client at this mock, or try{' '}
        <code>curl -H 'Authorization: Bearer talq_x' {'<this host>'}/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs</code>.
      </p>
      <section id="request-detail" class="detail" aria-labelledby="request-detail-title" hidden>
        <h3 id="request-detail-title" tabindex={-1}>
          Request details
        </h3>
        <pre id="request-detail-json"></pre>
        <button id="request-detail-close" type="button">
          Close details
        </button>
      </section>
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
          API token <input name="api_token" autocomplete="off" spellcheck={false} />
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
          <div class="scroll">
            <table class="webhooks">
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
          </div>
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

/** Faults: the config as a form, Save (PATCH) and Reset (POST). */
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
        <label for="f-latency">Latency</label>
        <input id="f-latency" name="latency" placeholder="none" aria-describedby="h-latency" autocomplete="off" />
        <p id="h-latency" class="hint">
          Milliseconds like 250, a range like 50-300, or p50=80,p95=250; empty for none.
        </p>
        <label for="f-error-rate">Error rate</label>
        <input id="f-error-rate" name="error_rate" type="number" min="0" max="1" step="0.01" aria-describedby="h-error-rate" />
        <p id="h-error-rate" class="hint">
          Share of API requests answered with the error status, 0 to 1.
        </p>
        <label for="f-error-status">Error status</label>
        <select id="f-error-status" name="error_status">
          {STATUSES.map((s) => (
            <option value={String(s)}>{s}</option>
          ))}
        </select>
        <span></span>
        <label for="f-fault">Network fault</label>
        <select id="f-fault" name="fault" aria-describedby="h-fault">
          <option value="">none</option>
          <option value="reset">reset</option>
          <option value="hang">hang</option>
          <option value="truncate">truncate</option>
        </select>
        <p id="h-fault" class="hint">
          reset closes the connection, hang holds it open, truncate cuts the body.
        </p>
        <label for="f-fault-rate">Fault rate</label>
        <input id="f-fault-rate" name="fault_rate" type="number" min="0" max="1" step="0.01" aria-describedby="h-fault-rate" />
        <p id="h-fault-rate" class="hint">
          Share of API requests that get the network fault, 0 to 1.
        </p>
        <label for="f-fail-next">Fail next</label>
        <input id="f-fail-next" name="fail_next" type="number" min="0" step="1" aria-describedby="fail-next-scripts" />
        <p id="fail-next-scripts" class="hint"></p>
        <label for="f-fail-every">Fail every</label>
        <input id="f-fail-every" name="fail_every" type="number" min="0" step="1" aria-describedby="h-fail-every" />
        <p id="h-fail-every" class="hint">
          Requests n, 2n, 3n … fail; 0 is off.
        </p>
        <label for="f-retry-after">Retry-After (s)</label>
        <input id="f-retry-after" name="retry_after" type="number" min="0" max="86400" step="1" />
        <span></span>
        <label for="f-hang-ms">Hang (ms)</label>
        <input id="f-hang-ms" name="hang_ms" type="number" min="1" max="600000" step="1" />
        <span></span>
        <p id="faults-error" class="error wide" role="alert"></p>
        <div class="actions wide">
          <button type="submit">Save</button>
          <button id="reset" type="button" class="danger">
            Reset
          </button>
        </div>
      </form>
      <p class="hint">
        Save changes only the fields you edited (PATCH /__mock/config). Reset puts the whole mock, or the session, back to its start-up state and clears the
        journal.
      </p>
    </section>
  )
}
