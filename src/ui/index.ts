// The browser dashboard at /__mock/ui: its page (hono/jsx, rendered once), its client script and
// its stylesheet, as strings the admin routes send. It owns no data: the script reads and changes
// everything through the admin API and the Talkover API, from the browser.
// May import: hono/jsx and the files of this folder, nothing else of the mock. Loaded with a
// dynamic import on the first dashboard request, so start-up and the API never pay for it.
import { clientScript } from './client/script.js'
import { renderPage } from './page.js'
import { STYLE } from './style.js'

/** A file of the dashboard: its content type and text. */
export interface UiAsset {
  type: string
  body: string
}

const ASSETS: Record<string, () => UiAsset> = {
  'app.js': () => ({ type: 'text/javascript; charset=utf-8', body: clientScript() }),
  'app.css': () => ({ type: 'text/css; charset=utf-8', body: STYLE }),
}
const built = new Map<string, UiAsset>()
let page: UiAsset | undefined

/**
 * The dashboard's page.
 * @example
 * uiPage().type //=> 'text/html; charset=utf-8'
 */
export function uiPage(): UiAsset {
  return (page ??= { type: 'text/html; charset=utf-8', body: renderPage() })
}

/**
 * One of the dashboard's files by name (`app.js`, `app.css`), or undefined.
 * @example
 * uiAsset('app.css')?.type //=> 'text/css; charset=utf-8'
 * uiAsset('secrets.txt') //=> undefined
 */
export function uiAsset(name: string): UiAsset | undefined {
  if (!Object.hasOwn(ASSETS, name)) return undefined
  let asset = built.get(name)
  if (!asset) built.set(name, (asset = ASSETS[name]!()))
  return asset
}
