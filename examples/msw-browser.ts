// Recipe, the page side: in a browser, MSW's service worker intercepts the app's own calls to
// https://app.talkover.ai and talkover-mock/msw/browser forwards them to a running mock (the one the
// test started, a container, a CI service), so the page's unmodified fetch meets the world, faults
// and clock the test scripts. Bundle it into the page under test (any bundler; the suite uses
// esbuild) and serve msw's mockServiceWorker.js at the site's root (`npx msw init public/`).
// examples/msw-browser.browser.test.ts drives it in Chromium.
import { setupWorker } from 'msw/browser'
import { talkoverBrowserHandlers } from 'talkover-mock/msw/browser'

/** The code under test: the app's own client, calling the real URL with plain fetch. */
export async function webhookLogs(query = ''): Promise<{ status: number; body: string; remaining: string | null }> {
  const res = await fetch(`https://app.talkover.ai/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs${query}`, {
    headers: { Authorization: 'Bearer talq_browser_example' },
  })
  return { status: res.status, body: await res.text(), remaining: res.headers.get('X-RateLimit-Remaining') }
}

/** Starts intercepting: every call to https://app.talkover.ai/api/* goes to `mockUrl` in `session`. */
export async function startMocking(mockUrl: string, session?: string): Promise<void> {
  const worker = setupWorker(...talkoverBrowserHandlers({ mockUrl, session }))
  await worker.start({ onUnhandledRequest: 'error', quiet: true })
}

// What the test calls through page.evaluate.
declare global {
  interface Window {
    recipe: { startMocking: typeof startMocking; webhookLogs: typeof webhookLogs }
  }
}
window.recipe = { startMocking, webhookLogs }
