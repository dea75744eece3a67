/** @jsxImportSource hono/jsx */
// The dashboard's time and delivery parts as server-rendered HTML: the World view's clock panel
// and the Deliveries view. Like views.tsx they hold no data; the client script fills them.

/** The clock the World view reads at: now, anchor, mode, advance buttons and a "Set to" instant. */
export function ClockPanel() {
  return (
    <section id="clock" class="clock" aria-labelledby="clock-heading">
      <h3 id="clock-heading">Clock</h3>
      <dl class="facts">
        <div>
          <dt>Now</dt>
          <dd>
            <time id="clock-now"></time>
          </dd>
        </div>
        <div>
          <dt>Anchor</dt>
          <dd>
            <time id="clock-anchor"></time>
          </dd>
        </div>
        <div>
          <dt>Mode</dt>
          <dd id="clock-mode"></dd>
        </div>
      </dl>
      <fieldset class="advance">
        <legend class="visually-hidden">Move the clock forward</legend>
        <button type="button" data-advance="3600">
          +1 hour
        </button>
        <button type="button" data-advance="86400">
          +1 day
        </button>
        <button type="button" data-advance="7d">
          +1 week
        </button>
      </fieldset>
      <form id="clock-form" class="filters">
        <label>
          Set to <input name="set" autocomplete="off" spellcheck={false} placeholder="2024-01-16T00:00:00Z" aria-describedby="clock-set-hint" />
        </label>
        <button type="submit">Set the clock</button>
      </form>
      <p id="clock-set-hint" class="hint">
        An ISO-8601 instant with its zone, later than now: the clock only moves forward (Reset takes it back to the anchor).
      </p>
      <p id="clock-scope" class="hint"></p>
      <p id="clock-error" class="error" role="alert"></p>
    </section>
  )
}

/** Deliveries: the live deliveries (GET /__mock/deliveries), newest first, one delivery's details on click. */
export function DeliveriesView() {
  return (
    <section id="deliveries" data-view aria-labelledby="deliveries-heading" hidden>
      <h2 id="deliveries-heading" tabindex={-1}>
        Deliveries
      </h2>
      <p class="hint">Webhooks the mock sent for real (--deliver live), newest first: in flight, waiting for a retry, and done. Refreshed every second.</p>
      <p id="deliveries-off" class="notice" role="status" hidden></p>
      <form id="deliveries-filter" class="filters" aria-label="Filter deliveries">
        <label>
          Outcome
          <select name="outcome">
            <option value="">any</option>
            <option value="succeeded">succeeded</option>
            <option value="failed">failed</option>
            <option value="retrying">retrying</option>
            <option value="sending">sending</option>
          </select>
        </label>
        <label>
          Event <input name="event" type="search" placeholder="event_phone_call_ended" autocomplete="off" />
        </label>
        <label>
          Session <input name="session" type="search" placeholder="any" autocomplete="off" />
        </label>
        <label class="check">
          <input name="live" type="checkbox" checked /> Live
        </label>
      </form>
      <p id="deliveries-count" class="hint"></p>
      <section class="scroll" tabindex={0} aria-labelledby="deliveries-caption">
        <table class="deliveries cards">
          <caption id="deliveries-caption" class="visually-hidden">
            Recent live deliveries
          </caption>
          <thead>
            <tr>
              <th scope="col">Started (UTC)</th>
              <th scope="col">Event</th>
              <th scope="col">Webhook</th>
              <th scope="col">Outcome</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last answer</th>
              <th scope="col">Session</th>
            </tr>
          </thead>
          <tbody id="deliveries-rows"></tbody>
        </table>
      </section>
      <p id="deliveries-empty" class="hint">
        No deliveries yet. Send one with <em>Send test delivery</em> in World, <code>talkover-mock trigger</code>, or <code>POST /__mock/deliveries</code>.
      </p>
      <p id="deliveries-nomatch" class="hint" hidden>
        No delivery matches these filters. Clear a filter to see more.
      </p>
    </section>
  )
}
