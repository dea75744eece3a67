// Turns a benchmark result into the Markdown table printed at the end (and pasted in docs/performance.md).

/** The median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const int = (n) => Math.round(n).toLocaleString('en-US')
const ms = (n) => (n < 10 ? n.toFixed(2) : n.toFixed(0))
const x = (n) => `${n.toFixed(2)}×`
const mark = (ok) => (ok ? '✅' : '❌')
/** A ratio and the spread of the rounds it is the median of: `0.97× (0.84–1.08)`. */
const xs = (ratio, list) => (list?.length ? `${x(ratio)} (${Math.min(...list).toFixed(2)}–${Math.max(...list).toFixed(2)})` : x(ratio))
const side = (s) => `${int(s.rps)} req/s, p50 ${ms(s.p50Ms)} / p99 ${ms(s.p99Ms)} ms`

/**
 * Whether a "within N×" target is met: page 40,000 may be any amount faster than page 1, never
 * more than `limit` times slower (`ratio` is its time over page 1's).
 */
export function withinTarget(ratio, limit) {
  return ratio <= limit
}

/** The Markdown report of a run. */
export function markdown(r) {
  const m = r.machine
  const by = Object.fromEntries(r.scenarios.map((s) => [s.id, s]))
  const rows = []
  const { cached, distinct, deep, latency } = by
  const perRound = (s, a, b) => s.runs[a].map((run, i) => run.rps / s.runs[b][i].rps)
  rows.push([cached.title, side(cached.sides.mock), side(cached.sides.raw), xs(cached.ratio, cached.ratios), '≥ 0.80×', mark(cached.ratio >= 0.8)])
  rows.push([distinct.title, side(distinct.sides.mock), side(distinct.sides.raw), xs(distinct.ratio, distinct.ratios), '≥ 0.30×', mark(distinct.ratio >= 0.3)])
  const stringify = perRound(distinct, 'rawStringify', 'raw')
  rows.push(['… raw node running JSON.stringify per request (reference)', '', side(distinct.sides.rawStringify), xs(median(stringify), stringify), '', ''])
  if (distinct.sides.floor) {
    // Older results have no floor side.
    const floor = perRound(distinct, 'floor', 'raw')
    rows.push([
      '… the mock, a new 1-row page every request (the per-URL floor: what the rest of a new request costs)',
      side(distinct.sides.floor),
      '',
      xs(median(floor), floor),
      '',
      '',
    ])
  }
  // deep.ratio is page 1 / page 40,000 in req/s, i.e. the time of page 40,000 over that of page 1.
  rows.push([
    deep.title,
    `page 1: ${side(deep.sides.page1)}<br>page 40,000: ${side(deep.sides.page40000)}`,
    `25-row page: ${side(deep.sides.raw)}`,
    `page 40,000 takes ${xs(deep.ratio, deep.ratios)} the time of page 1`,
    'within 1.20×',
    mark(withinTarget(deep.ratio, 1.2)),
  ])
  if (latency.skipped) rows.push([latency.title, `skipped: ${latency.skipped}`, '', '', 'scales', ''])
  else
    rows.push([
      latency.title,
      side(latency.sides.mock),
      side(latency.sides.raw),
      xs(latency.ratio, latency.ratios),
      `≈ ${int(latency.ideal)} req/s (200 / 0.1 s)`,
      mark(latency.sides.mock.rps >= 0.8 * latency.ideal),
    ])
  const rep = by.replicas
  if (rep?.skipped) rows.push([rep.title, `skipped: ${rep.skipped}`, '', '', '', ''])
  else if (rep) {
    const c = rep.cached
    rows.push([
      `${rep.title}: the same page on one replica, against the memory default`,
      side(c.sides.redis),
      `memory: ${side(c.sides.memory)}`,
      xs(c.ratio, c.ratios),
      '≥ 0.80×',
      mark(c.ratio >= 0.8),
    ])
    rows.push([
      '… three replicas on one store, the same page, 10 connections split 4/3/3 (all servers on one core)',
      `${int(rep.three.rps)} req/s together`,
      `one memory process: ${int(rep.three.memoryRps)} req/s`,
      xs(rep.three.ratio, rep.three.ratios),
      '',
      '',
    ])
    rows.push([
      '… a write (PATCH /__mock/config), sequential, round-robin over the three',
      `${ms(rep.writes.fleet)} ms median`,
      `memory: ${ms(rep.writes.memory)} ms`,
      x(rep.writes.fleet / rep.writes.memory),
      '',
      '',
    ])
  }
  const g = r.generation
  rows.push([
    '5. generation alone, new 100-row page (profile + rows + bytes)',
    `${ms(g.page100Us / 1000)} ms per page, ${g.rowUs.toFixed(2)} µs per row`,
    `JSON.stringify of the same page: ${ms(g.stringify100Us / 1000)} ms`,
    x(g.page100Us / g.stringify100Us),
    '< 0.5 ms',
    mark(g.page100Us < 500),
  ])
  const genDepth = g.page40000Per25Us / g.page1Per25Us
  rows.push([
    '… page 1 vs page 40,000, per_page 25, new seed each',
    `${ms(g.page1Per25Us / 1000)} ms vs ${ms(g.page40000Per25Us / 1000)} ms`,
    '',
    x(genDepth),
    'within 1.20×',
    mark(withinTarget(genDepth, 1.2)),
  ])
  const c = r.coldStart
  const ip = c.inProcess
  rows.push([
    '6. cold start: spawn to first 200 on the docs request (the bin; median of 10 pairs, not pinned)',
    `${ms(c.mock.medianMs)} ms (in-process: import ${ms(ip.importMs)} ms, first createApp ${ms(ip.firstCreateAppMs)} ms, first answer ${ms(ip.firstRequestMs)} ms, second createApp ${ms(ip.secondCreateAppMs)} ms)`,
    `${ms(c.raw.medianMs)} ms`,
    xs(c.ratio, c.ratios),
    '≤ 1.50×; first createApp < 100 ms',
    mark(c.ratio <= 1.5 && ip.firstCreateAppMs < 100),
  ])
  // Older results measured node's defaults first and the small heap second.
  const memoryRows = r.memoryNodeHeap
    ? [
        [
          `7. RSS after ${int(r.memory.phases[0].requests)} mixed requests, then ${int(r.memory.phases[1].requests)} more (the bin as installed: ${r.memory.nodeOptions})`,
          r.memory,
          true,
        ],
        ["… the same server under node's own heap sizing (`node dist/cli.js`, no flags; reference)", r.memoryNodeHeap, false],
      ]
    : [
        ['7. RSS after 100,000 mixed requests, then 100,000 more (default flags)', r.memory, true],
        [`… the same with NODE_OPTIONS="${r.memorySmallHeap.nodeOptions}"`, r.memorySmallHeap, true],
      ]
  for (const [label, mem, target] of memoryRows) {
    const [a, b] = mem.phases
    rows.push([
      label,
      `${int(mem.idleMb)} MB idle → ${int(a.rssMb)} MB → ${int(b.rssMb)} MB (${int(a.rps)} req/s, ${a.cpuMsPer1000.toFixed(0)} ms CPU per 1,000 requests)`,
      '',
      `${mem.growthMb >= 0 ? '+' : ''}${mem.growthMb.toFixed(1)} MB`,
      target ? '< 100 MB, flat' : '',
      target ? mark(b.rssMb < 100 && Math.abs(mem.growthMb) < 0.1 * a.rssMb) : '',
    ])
  }
  const took = r.minutes === undefined ? '' : ` The run took ${r.minutes.toFixed(1)} minutes.`
  const head = `Node ${m.node} on ${m.cpu} (${m.cores} cores, ${m.memoryGb} GB, ${m.platform}); load generator ${m.loadGenerator}, 1 thread, 10 connections unless stated; ${m.pinning}; ${r.rounds} alternating rounds of ${r.seconds} s, ratios are the median of the per-round (cold start: per-pair) ratios, their min–max in brackets. ${m.date}.${took}`
  const table = [
    '| scenario | talkover-mock | raw node:http | ratio | target | met |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ]
  const warnings = r.scenarios.flatMap((s) =>
    Object.entries(s.sides ?? {}).flatMap(([name, v]) => [
      ...(v.errors ? [`${s.id}/${name}: ${v.errors} failed requests`] : []),
      ...(v.wrapped ? [`${s.id}/${name}: ran out of new URLs, some pages were cached`] : []),
    ]),
  )
  return [head, '', ...table, ...(warnings.length ? ['', ...warnings.map((w) => `warning: ${w}`)] : [])].join('\n')
}
