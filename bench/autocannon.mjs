// The fallback load generator where wrk is missing: autocannon walking the same path list as
// paths.lua, printing the same BENCH_RESULT line. Its single-threaded client saturates before the
// server on ~50 kB pages, so ratios measured with it understate how fast the servers are.
//   node bench/autocannon.mjs <url> <paths file> <offset> <seconds> <connections> <headers JSON>
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'

const [url, pathsFile, offset, seconds, connections, headersJson] = process.argv.slice(2)
const headers = JSON.parse(headersJson)
const lines = readFileSync(pathsFile, 'utf8').split('\n').filter(Boolean)
let cursor = Number(offset)

const result = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  headers,
  requests: [
    {
      setupRequest: (req) => {
        const [path, seed] = lines[cursor++ % lines.length].split('\t')
        return { ...req, method: 'GET', path, headers: seed ? { ...headers, 'X-Mock-Seed': seed } : headers }
      },
    },
  ],
})
const r = {
  requests: result.requests.total,
  duration_us: Math.round(result.duration * 1e6),
  bytes: result.throughput.total,
  p50_us: Math.round(result.latency.p50 * 1000),
  p99_us: Math.round(result.latency.p99 * 1000),
  errors: result.errors + result.timeouts,
  status_errors: result.non2xx,
}
console.log(`BENCH_RESULT ${JSON.stringify(r)}`)
