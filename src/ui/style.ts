// The dashboard's stylesheet, served at /__mock/ui/app.css. Plain CSS: system fonts, visible focus,
// status shown by text first and colour second (every colour pair at least 4.5:1, selected rows
// included), one column below 760 px, where the Requests and Deliveries rows become cards.

export const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #fff; --muted: #59636e; --line: #d0d7de; --panel: #f6f8fa;
  --accent: #0b5cad; --on-accent: #fff; --ok: #116329; --warn: #7d4e00; --bad: #b91c26; --sel: #e6f3ff; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --panel: #151b23;
    --accent: #4493f8; --on-accent: #0d1117; --ok: #3fb950; --warn: #d29922; --bad: #ff7b72; --sel: #132a45; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
code, pre, time, .num { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: var(--bg); padding: 4px 8px; z-index: 2; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 24px; padding: 10px 20px; border-bottom: 1px solid var(--line); background: var(--panel); }
.top h1 { font-size: 18px; margin: 0; }
.top nav ul { display: flex; flex-wrap: wrap; gap: 4px; list-style: none; margin: 0; padding: 0; }
.top nav a { display: inline-block; padding: 6px 12px; border-radius: 6px; text-decoration: none; font-weight: 600; }
.top nav a[aria-current="page"] { background: var(--accent); color: var(--on-accent); }
.top .quiet { margin-left: auto; }
.status { margin: 0; padding: 0 20px; min-height: 1.6em; color: var(--muted); }
main { padding: 0 20px 40px; max-width: 1400px; }
h2 { font-size: 20px; margin: 12px 0 4px; }
h3 { font-size: 16px; margin: 16px 0 6px; }
.hint { color: var(--muted); margin: 4px 0; }
.error { color: var(--bad); font-weight: 600; min-height: 1.2em; }
button { font: inherit; padding: 5px 12px; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); color: var(--fg); cursor: pointer; }
button:hover { border-color: var(--accent); }
button[disabled], button[aria-disabled="true"] { opacity: .5; cursor: default; }
button.link { border: 0; background: none; padding: 0; color: var(--accent); text-align: left; text-decoration: underline; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; word-break: break-all; }
button.danger { border-color: var(--bad); color: var(--bad); }
input, select { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); min-width: 0; }
.filters { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; margin: 8px 0; }
.filters label { display: flex; flex-direction: column; gap: 2px; font-weight: 600; font-size: 13px; }
.filters label.check { flex-direction: row; align-items: center; gap: 6px; font-weight: 400; font-size: 15px; }
.stack { display: flex; flex-direction: column; gap: 6px; max-width: 320px; }
.stack label { font-weight: 600; }
.grid { display: grid; grid-template-columns: max-content minmax(8em, 16em) 1fr; gap: 8px 12px; align-items: center; max-width: 900px; }
.grid label { font-weight: 600; }
.grid .hint { margin: 0; font-size: 13px; }
.grid .wide { grid-column: 1 / -1; }
.actions { display: flex; gap: 12px; }
.scroll { overflow-x: auto; max-width: 100%; position: relative; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; padding: 4px 0; color: var(--muted); }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { font-size: 13px; color: var(--muted); white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
td.url { word-break: break-all; min-width: 14em; }
td.path { min-width: 16em; }
[tabindex="-1"]:focus { outline: none; }
tr.selected td { background: var(--sel); }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; border: 1px solid currentColor; font-size: 13px; font-weight: 600; white-space: nowrap; }
.status-ok, .log-success, .on { color: var(--ok); }
.status-redirect, .log-pending, .log-retrying { color: var(--warn); }
.status-client, .status-server, .status-none, .log-failed { color: var(--bad); }
.off { color: var(--muted); }
.verdict-pass, .outcome-passed { color: var(--ok); }
.verdict-warn { color: var(--warn); }
.verdict-fail, .outcome-failed, .outcome-unreachable { color: var(--bad); }
.status-none, .log-pending { border-style: dashed; }
.detail { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; margin-top: 12px; background: var(--panel); }
pre { overflow-x: auto; margin: 4px 0; white-space: pre-wrap; word-break: break-all; }
.columns { display: grid; grid-template-columns: minmax(200px, 260px) minmax(0, 1fr); gap: 24px; }
.owners { border-right: 1px solid var(--line); padding-right: 16px; }
ul.plain { list-style: none; padding: 0; margin: 0; }
ul.plain li { margin: 4px 0; }
.owner .name { font-weight: 600; }
tbody.chain { border-top: 2px solid var(--line); }
tr.chain-head th { background: var(--panel); font-weight: 600; font-size: 13px; }
tr.json td { background: var(--panel); }
.error-text { color: var(--muted); }
.pager { display: flex; gap: 12px; align-items: center; margin: 8px 0; }
.clock { border: 1px solid var(--line); border-radius: 8px; padding: 4px 12px 8px; margin: 8px 0; background: var(--panel); }
.clock h3 { margin: 6px 0; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0 0 8px; }
.facts dt { font-size: 13px; font-weight: 600; color: var(--muted); }
.facts dd { margin: 0; }
.facts > div { min-width: 0; max-width: 100%; }
.facts dd, .detail code, .detail h3 { overflow-wrap: anywhere; word-break: break-all; }
fieldset.advance { display: flex; flex-wrap: wrap; gap: 8px; border: 0; padding: 0; margin: 0 0 4px; min-width: 0; }
.notice { border: 1px solid var(--warn); border-left-width: 6px; border-radius: 6px; padding: 8px 12px; font-weight: 600; }
.state-sending, .state-waiting { color: var(--warn); }
.state-waiting { border-style: dashed; }
.state-done { color: var(--muted); }
td.test { min-width: 12em; }
td.test output { display: block; margin-top: 4px; font-size: 13px; }
.grid .cell { display: flex; flex-direction: column; gap: 2px; }
.field-error { margin: 0; font-size: 13px; min-height: 0; }
.field-error:empty { display: none; }
[aria-invalid="true"] { border-color: var(--bad); border-width: 2px; }
.confirm { border: 1px solid var(--bad); border-radius: 8px; padding: 8px 12px; background: var(--panel); }
.confirm legend { padding: 0; margin: 0 0 8px; font-weight: 600; }
input.short { width: 7em; }
tr.detail-row > td { background: var(--panel); padding: 0 0 8px; }
tr.detail-row .detail { margin: 0; border-width: 0 0 0 4px; border-color: var(--accent); border-radius: 0; }
.detail h4 { font-size: 14px; margin: 12px 0 4px; }
.detail .label { margin: 6px 0 2px; font-weight: 600; font-size: 13px; }
.detail .actions { flex-wrap: wrap; margin: 10px 0 4px; }
.detail output { display: block; min-height: 1.2em; }
pre.body { max-height: 24em; overflow: auto; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; }
table.pairs th { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; font-weight: 600; white-space: nowrap; width: 1%; }
table.pairs td { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; word-break: break-all; }
.attempt-detail { border-top: 1px solid var(--line); margin-top: 8px; }
.pager { flex-wrap: wrap; }
.pager form.jump { display: flex; align-items: center; gap: 6px; }
.pager label { font-weight: 600; font-size: 13px; }
td.row-actions { white-space: nowrap; }
@media (max-width: 760px) {
  table.cards thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  table.cards, table.cards > tbody, table.cards > tbody > tr, table.cards > tbody > tr > td { display: block; width: 100%; }
  table.cards > tbody > tr:not(.detail-row) { border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; padding: 4px 0; }
  table.cards > tbody > tr > td { border: 0; padding: 2px 10px; text-align: left; white-space: normal; min-width: 0; }
  table.cards > tbody > tr > td[data-label]::before { content: attr(data-label); display: inline-block; min-width: 7em; font-size: 13px; font-weight: 600; color: var(--muted); }
  table.cards > tbody > tr.detail-row > td { padding: 0; }
  .top, main, .status { padding-left: 10px; padding-right: 10px; }
  .columns { grid-template-columns: minmax(0, 1fr); }
  .owners { border-right: 0; padding-right: 0; }
  .grid { grid-template-columns: minmax(0, 1fr); }
  .grid .hint:empty, .grid span:empty { display: none; }
  .top .quiet { margin-left: 0; }
}
`
