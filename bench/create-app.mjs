// The library's start-up in this fresh process: importing it, the first createApp, the first
// answer to the docs request, and a second createApp. Prints one JSON line (ms).
//   node bench/create-app.mjs            (needs `npm run build`)
const started = performance.now()
const { createApp } = await import('../dist/app.js')
const imported = performance.now()
const app = createApp()
const created = performance.now()
const res = await app.request('/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=50', { headers: { Authorization: 'Bearer talq_bench' } })
await res.arrayBuffer()
if (res.status !== 200) throw new Error(`create-app: the docs request answered ${res.status}`)
const answered = performance.now()
createApp()
const again = performance.now()
console.log(
  JSON.stringify({
    importMs: imported - started,
    firstCreateAppMs: created - imported,
    firstRequestMs: answered - created,
    secondCreateAppMs: again - answered,
  }),
)
