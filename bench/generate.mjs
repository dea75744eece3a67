// Generation alone, in one process with no HTTP: what the list handler does for a page it has
// not cached (resolve the webhook, generate the rows, encode the body), per 100-row page and per
// row; page 1 against page 40,000 of the 1,000,000-row fixture; and, for scale, what
// JSON.stringify of the same page (parsed back to objects) costs. Prints one JSON line.
//   node bench/generate.mjs            (needs `npm run build`)
import { DEFAULT_NOW, parseNow } from '../dist/config.js'
import { DEFAULT_FIXTURES, loadFixtures } from '../dist/world/fixtures.js'
import { encodePage } from '../dist/world/log-json.js'
import { paginate } from '../dist/world/paginate.js'
import { loadSpec } from '../dist/http/spec.js'
import { createWorld, lookupWebhook, withSeed } from '../dist/world/world.js'

const world = createWorld({ seed: 1, now: parseNow(DEFAULT_NOW) }, loadFixtures([DEFAULT_FIXTURES], loadSpec()))
const BATCHES = 7
const PER_BATCH = 400

/** The uncached list handler minus HTTP: profile, rows, bytes. */
function page(w, agentId, webhookId, pageNo, perPage) {
  const profile = lookupWebhook(w, agentId, webhookId)
  return encodePage(w, profile, paginate(profile.total, pageNo, perPage))
}

/** Median µs per call of `run(i)` over BATCHES batches, each call with a fresh i. */
function time(run) {
  let i = 0
  for (let k = 0; k < PER_BATCH; k++) run(i++) // warm up
  const batches = []
  for (let b = 0; b < BATCHES; b++) {
    const started = performance.now()
    for (let k = 0; k < PER_BATCH; k++) run(i++)
    batches.push(((performance.now() - started) * 1000) / PER_BATCH)
  }
  return batches.sort((x, y) => x - y)[BATCHES >> 1]
}

// Open-world webhooks with at least 100 rows, so every page is a full one.
const ids = []
for (let n = 0; ids.length < (BATCHES + 1) * PER_BATCH; n++) {
  if (lookupWebhook(world, 'agent-gen', `wh-${n}`).total >= 100) ids.push(`wh-${n}`)
}
const distinctUs = time((i) => page(world, 'agent-gen', ids[i], 1, 100))
const page1Us = time((i) => page(withSeed(world, 10_000 + i), 'agent-uuid', 'webhook-uuid-1m', 1, 25))
const page40kUs = time((i) => page(withSeed(world, 20_000 + i), 'agent-uuid', 'webhook-uuid-1m', 40_000, 25))
const parsed = ids.slice(0, 64).map((id) => JSON.parse(page(world, 'agent-gen', id, 1, 100).toString()))
const stringifyUs = time((i) => Buffer.from(JSON.stringify(parsed[i % parsed.length])))
const bytes = parsed.reduce((sum, p) => sum + Buffer.byteLength(JSON.stringify(p)), 0) / parsed.length

console.log(
  JSON.stringify({
    page100Us: distinctUs,
    rowUs: distinctUs / 100,
    page1Per25Us: page1Us,
    page40000Per25Us: page40kUs,
    stringify100Us: stringifyUs,
    pageBytes: Math.round(bytes),
  }),
)
