// What openapi.yaml calls valid, the mock accepts: for every parameter and admin body field whose
// server-side check is stricter than a plain type, values are drawn broadly (seeded), kept when the
// spec's own schema accepts them and the rules its description states in words hold, and sent.
// A spec-driven tester must never see "valid request rejected".
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { loadSpec, resolve } from '../../src/http/spec.js'
import { createAjv } from '../../src/http/validate.js'
import { DOCS_LOGS, get, send } from '../support/http.js'

const spec = loadSpec()
const ajv = createAjv()
const paramSchema = (operationId: string, name: string) => {
  const op = spec.operations.find((o) => o.operationId === operationId)!
  return ajv.compile(op.parameters.find((p) => p.name === name)!.schema as object)
}
const propertySchema = (schema: string, property: string) => {
  const s = resolve<{ properties: Record<string, object> }>(spec.document, { $ref: `#/components/schemas/${schema}` })
  return ajv.compile(s.properties[property])
}

/** A seeded draw (mulberry32): the same values on every run. */
function draws(seed: number) {
  let a = seed
  const next = () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  const digits = (n: number) => String(int(0, 10 ** n - 1)).padStart(n, '0')
  return { next, int, digits }
}

/** ISO-8601-looking text with every field drawn wide, so out-of-range months, hours and zones come up. */
function isoLike(d: ReturnType<typeof draws>): string {
  const wide = d.next() < 0.5
  const two = (max: number) => String(d.int(0, wide ? 99 : max)).padStart(2, '0')
  const year = String(d.int(wide ? 0 : 2024, 9999)).padStart(4, '0')
  const seconds = d.next() < 0.7 ? `:${two(59)}${d.next() < 0.2 ? `.${d.digits(3)}` : ''}` : ''
  const zone = d.next() < 0.5 ? 'Z' : `${d.next() < 0.5 ? '+' : '-'}${two(23)}:${two(59)}`
  const junk = ['tomorrow', '', '2024-01-16', 'now', '2024-01-16 00:00:00Z']
  if (d.next() < 0.05) return junk[d.int(0, junk.length - 1)]
  return `${year}-${two(12)}-${two(31)}T${two(23)}:${two(59)}${seconds}${zone}`
}

/** The rules the spec states in words for instants: a day that exists, within [from, 9999-12-31T23:59:59Z]. */
function inWords(text: string, from: string, to = '9999-12-31T23:59:59Z'): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(text)
  if (!m) return true
  const [y, mo, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const exists = new Date(Date.UTC(y, mo - 1, day)).getUTCDate() === day && mo >= 1 && mo <= 12
  // Only what the words say: hours, minutes and zones out of range are the pattern's business.
  const at = Date.parse(text)
  return exists && (Number.isNaN(at) || (at >= Date.parse(from) && at <= Date.parse(to)))
}

const ANCHOR = '2024-01-15T12:00:00Z'
const N = 300

describe('spec-valid values are accepted', () => {
  it('X-Mock-Status: every status the spec allows, on every operation that takes it', async () => {
    const app = createApp({ faults: { sleep: async () => {} } })
    const ids: Record<string, string> = { agent_id: 'agent-uuid', webhook_id: 'webhook-uuid', campaign_id: 'campaign-uuid', log_id: 'log-uuid-2' }
    for (const op of spec.operations.filter((o) => o.parameters.some((p) => p.name === 'X-Mock-Status'))) {
      const valid = paramSchema(op.operationId, 'X-Mock-Status')
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name])
      for (let status = 100; status <= 699; status++) {
        if (!valid(status)) continue
        const res = await send(app, op.method.toUpperCase(), path, undefined, { 'X-Mock-Status': String(status) })
        const text = await res.text()
        expect(text, `${op.operationId} X-Mock-Status ${status}`).not.toContain('X-Mock-Status')
        if (status !== 200) expect(res.status, `${op.operationId} X-Mock-Status ${status}`).toBe(status)
      }
    }
  })

  it('Prefer: any value of the pattern, code=<status> included', async () => {
    const app = createApp({ faults: { sleep: async () => {} } })
    const valid = paramSchema('listWebhookLogs', 'Prefer')
    const d = draws(5)
    const kept: string[] = []
    for (let i = 0; i < 2000; i++) {
      const code = `code=${d.next() < 0.8 ? d.int(100, 699) : ['abc', '', '5030'][d.int(0, 2)]}`
      const others = ['return=minimal', 'respond-async', 'wait=5', 'handling=strict']
      const parts = [code, ...others.filter(() => d.next() < 0.3)].sort(() => d.next() - 0.5)
      const value = d.next() < 0.1 ? others[d.int(0, 3)] : parts.join(d.next() < 0.5 ? ', ' : '; ')
      if (valid(value)) kept.push(value)
    }
    expect(kept.length).toBeGreaterThan(50)
    for (const value of kept) {
      const res = await get(app, `${DOCS_LOGS}?per_page=1`, { Prefer: value })
      expect(await res.text(), `Prefer ${value}`).not.toContain('Invalid Prefer')
    }
  })

  it('X-Mock-Latency: any value of the pattern whose range starts with its lower bound', async () => {
    const app = createApp({ faults: { sleep: async () => {} } })
    const valid = paramSchema('listWebhookLogs', 'X-Mock-Latency')
    const d = draws(42)
    let sent = 0
    for (let i = 0; i < 5 * N && sent < N; i++) {
      const one = () => (d.next() < 0.3 ? d.digits(d.int(1, 7)) : String(d.int(0, 10 ** d.int(1, 7))))
      const value = d.next() < 0.5 ? one() : `${one()}-${one()}`
      const [min, max = min] = value.split('-').map(Number)
      if (!valid(value) || min > max) continue
      sent++
      const res = await get(app, `${DOCS_LOGS}?per_page=1`, { 'X-Mock-Latency': value })
      expect(res.status, `X-Mock-Latency ${value}: ${await res.text()}`).toBe(200)
    }
    expect(sent).toBe(N)
  })

  it('refuses X-Mock-Latency 300-50 and 120000-0 (a range upside down) with the 400 its description states', async () => {
    const app = createApp({ faults: { sleep: async () => {} } })
    const valid = paramSchema('listWebhookLogs', 'X-Mock-Latency')
    for (const value of ['300-50', '120000-0']) {
      expect(valid(value), `${value} matches the pattern: only the description's rule refuses it`).toBe(true)
      const res = await get(app, `${DOCS_LOGS}?per_page=1`, { 'X-Mock-Latency': value })
      expect(res.status).toBe(400)
      expect((await res.json()).message).toContain('Invalid X-Mock-Latency header')
    }
  })

  it('X-Mock-Now: any value of the pattern of a day that exists, from the anchor to 9999-12-31T23:59:59Z', async () => {
    const app = createApp()
    const valid = paramSchema('listWebhookLogs', 'X-Mock-Now')
    const d = draws(1337)
    let sent = 0
    for (let i = 0; i < 20 * N && sent < N; i++) {
      const value = isoLike(d)
      if (!valid(value) || !inWords(value, ANCHOR)) continue
      sent++
      const res = await get(app, `${DOCS_LOGS}?per_page=1`, { 'X-Mock-Now': value })
      expect(res.status, `X-Mock-Now ${value}: ${await res.text()}`).toBe(200)
    }
    expect(sent).toBe(N)
  })

  it('POST /__mock/clock {"set"}: any value of the schema of a day that exists, ahead of the clock', async () => {
    const app = createApp()
    const valid = propertySchema('MockClockMove', 'set')
    const d = draws(1211)
    let sent = 0
    for (let i = 0; i < 20 * N && sent < N; i++) {
      const value = isoLike(d)
      if (!valid(value) || !inWords(value, ANCHOR)) continue
      sent++
      const res = await send(app, 'POST', `/__mock/clock?session=set-${i}`, { set: value })
      expect(res.status, `set ${value}: ${await res.text()}`).toBe(200)
    }
    expect(sent).toBe(N)
  })

  it('POST /__mock/clock {"advance"}: any value of the schema up to 100 years', async () => {
    const app = createApp()
    const valid = propertySchema('MockClockMove', 'advance')
    const d = draws(2024)
    const UNITS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 }
    let sent = 0
    for (let i = 0; i < 20 * N && sent < N; i++) {
      const units = Object.keys(UNITS).filter(() => d.next() < 0.5)
      const parts = units.map((u) => ({ u, n: d.next() < 0.3 ? Number(d.digits(d.int(1, 6))) : d.int(0, 100) }))
      const value: unknown = d.next() < 0.3 ? d.int(0, 2 ** 32) : d.next() < 0.3 ? String(d.int(0, 2 ** 32)) : parts.map((p) => `${p.n}${p.u}`).join('')
      const seconds = typeof value === 'number' || /^\d+$/.test(String(value)) ? Number(value) : parts.reduce((t, p) => t + p.n * UNITS[p.u], 0)
      if (!valid(value) || seconds > 3_153_600_000) continue
      sent++
      const res = await send(app, 'POST', `/__mock/clock?session=advance-${i}`, { advance: value })
      expect(res.status, `advance ${JSON.stringify(value)}: ${await res.text()}`).toBe(200)
    }
    expect(sent).toBe(N)
  })

  it('PATCH /__mock/config {"latency"}: any value of the schema whose range and percentiles are in order', async () => {
    const app = createApp()
    const valid = propertySchema('MockConfigPatch', 'latency')
    const d = draws(99)
    const ms = () => (d.next() < 0.2 ? d.digits(d.int(1, 7)) : String(d.int(0, 10 ** d.int(1, 6))))
    let sent = 0
    for (let i = 0; i < 20 * N && sent < N / 3; i++) {
      const form = d.int(0, 3)
      const qs = [...new Set(Array.from({ length: d.int(1, 4) }, () => (d.next() < 0.2 ? '100' : String(d.int(0, 99)))))]
      const ps = qs.map((q) => ({ q: Number(q), text: `p${q}=${ms()}` }))
      const value: unknown =
        form === 0 ? Number(ms()) : form === 1 ? ms() : form === 2 ? `${ms()}-${ms()}` : ps.map((p) => p.text).join(d.next() < 0.5 ? ',' : ', ')
      if (!valid(value)) continue
      const numbers = [...String(value).matchAll(/(?:=|^|-)(\d+)/g)].map((m) => Number(m[1]))
      const sorted = form === 3 ? [...ps].sort((a, b) => a.q - b.q).map((p) => Number(p.text.split('=')[1])) : numbers
      if (sorted.some((v, j) => j > 0 && v < sorted[j - 1])) continue
      sent++
      const res = await send(app, 'PATCH', '/__mock/config', { latency: value })
      expect(res.status, `latency ${JSON.stringify(value)}: ${await res.text()}`).toBe(200)
    }
    expect(sent).toBe(N / 3)
  })

  it('PATCH /__mock/config {"now"}: "wall" or any value of the schema of a day that exists, from 1971 to 9998', async () => {
    const app = createApp()
    const valid = propertySchema('MockConfigPatch', 'now')
    const d = draws(7)
    let sent = 0
    for (let i = 0; i < 20 * N && sent < N / 3; i++) {
      const value = i === 0 ? 'wall' : isoLike(d)
      if (!valid(value) || (value !== 'wall' && !inWords(value, '1971-01-01T00:00:00Z', '9998-12-31T23:59:59Z'))) continue
      sent++
      const res = await send(app, 'PATCH', '/__mock/config', { now: value })
      expect(res.status, `now ${value}: ${await res.text()}`).toBe(200)
    }
    expect(sent).toBe(N / 3)
  })
})
