/** @jsxImportSource hono/jsx */
// The dashboard's one HTML page: the token gate, the navigation and the views. Rendered once per
// process; it holds no data, so it is the same for every request and every admin token.
import { DeliveriesView } from './panels.js'
import { FaultsView, RequestsView, WorldView } from './views.js'

/** The views, in navigation order: id, link text, component. A new view is one more line. */
const VIEWS = [
  { id: 'requests', title: 'Requests', View: RequestsView },
  { id: 'world', title: 'World', View: WorldView },
  { id: 'deliveries', title: 'Deliveries', View: DeliveriesView },
  { id: 'faults', title: 'Faults', View: FaultsView },
]

function Page() {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>talkover-mock dashboard</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/__mock/ui/app.css" />
        <script src="/__mock/ui/app.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#content">
          Skip to content
        </a>
        <header class="top">
          <h1>talkover-mock</h1>
          <nav data-nav aria-label="Views">
            <ul>
              {VIEWS.map((v) => (
                <li>
                  <a href={`#${v.id}`}>{v.title}</a>
                </li>
              ))}
            </ul>
          </nav>
          <button id="forget-token" type="button" class="quiet" hidden>
            Forget the admin token
          </button>
        </header>
        <p id="status" class="status" role="status" aria-live="polite"></p>
        <main id="content">
          <section id="gate" aria-labelledby="gate-heading" hidden>
            <h2 id="gate-heading">Admin token required</h2>
            <p>
              This mock runs with <code>--admin-token</code>. Enter the secret to open the dashboard; it stays in this tab only.
            </p>
            <form id="token-form" class="stack">
              <label for="admin-token">Admin token</label>
              <input id="admin-token" name="token" type="password" autocomplete="current-password" required />
              <button type="submit">Open the dashboard</button>
            </form>
            <p id="gate-error" class="error" role="alert"></p>
          </section>
          <div id="app" hidden>
            {VIEWS.map(({ View }) => (
              <View />
            ))}
          </div>
          <noscript>
            <p>
              The dashboard needs JavaScript. The same data is in the admin API: GET /__mock/requests, GET /__mock/config, GET /__mock/clock, GET
              /__mock/deliveries.
            </p>
          </noscript>
        </main>
      </body>
    </html>
  )
}

/**
 * The page's HTML.
 * @example
 * renderPage().startsWith('<!doctype html>') //=> true
 */
export function renderPage(): string {
  return `<!doctype html>${(<Page />).toString()}`
}
