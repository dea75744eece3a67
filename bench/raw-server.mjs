// The baseline: a bare node:http server answering with bytes the mock produced earlier, so the
// benchmark compares the mock with the fastest a Node server can be for the same response.
//   node bench/raw-server.mjs <manifest.json> [buffer | stringify | delay:<ms>]
// manifest: { pages, others }, each [{ path, status, headers, body }]. A path of `pages` gets its
// own bytes; any other path gets the `others` in turn (the distinct-page scenario asks for a new
// URL every time; the baseline answers with other pages the mock made, of the same size).
// Modes: `buffer` writes a prebuilt Buffer; `stringify` runs JSON.stringify on the parsed body per
// request (what a server holding row objects would pay); `delay:<ms>` waits before answering.
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'

const [manifestPath, mode = 'buffer'] = process.argv.slice(2)
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
const prepare = (p) => ({
  path: p.path,
  status: p.status,
  headers: p.headers,
  bytes: Buffer.from(p.body, 'utf8'),
  object: JSON.parse(p.body),
})
const byPath = new Map(manifest.pages.map((p) => [p.path, prepare(p)]))
const others = manifest.others.map(prepare)
const delayMs = mode.startsWith('delay:') ? Number(mode.slice(6)) : 0
let turn = 0

const server = createServer((req, res) => {
  const page = byPath.get(req.url) ?? others[turn++ % others.length]
  if (mode === 'stringify') {
    const body = JSON.stringify(page.object)
    res.writeHead(page.status, { ...page.headers, 'content-length': Buffer.byteLength(body) })
    res.end(body)
  } else if (delayMs > 0) {
    setTimeout(() => {
      res.writeHead(page.status, page.headers)
      res.end(page.bytes)
    }, delayMs)
  } else {
    res.writeHead(page.status, page.headers)
    res.end(page.bytes)
  }
})
server.listen(0, '127.0.0.1', () => console.log(`raw node listening on http://127.0.0.1:${server.address().port}`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
