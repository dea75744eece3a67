// The shapes of createApp's and startServer's options that the settings table cannot check: the
// options object itself, hooks (functions), the abort signal, paths and delivery lists. Checked
// once when the app is built, so a wrong type is a ConfigError naming the option there, never a
// 500 on every request or a TypeError at the first delivery later.
import { ConfigError } from './model.js'
import { refuseUnknownOptions } from './parsers.js'

/** Every key of createApp's `deliveryHooks`. */
export const DELIVERY_HOOK_KEYS = ['sleep', 'wallClock', 'timeoutMs', 'runId'] as const

const SLEEP = 'a function (ms, signal?) => Promise<void>'
const CLOCK = 'a function returning epoch milliseconds, like () => Date.now()'
const ALLOW = 'use "host:port,host" or a list of "host:port" strings or { host, port? } objects.'

/**
 * Throws a ConfigError naming the first option of the wrong type; `what` names the function.
 * @example
 * checkOptionShapes({ log: 5 }, 'createApp')
 * // throws 'Invalid log 5: use a function that takes each access-log line, like (line) => console.log(line), or leave it out.'
 */
export function checkOptionShapes(options: unknown, what: string): void {
  if (!isObject(options)) throw new ConfigError(`Invalid ${what} options ${shown(options)}: pass an object like { seed: 42 }, or nothing.`)
  const o = options as Record<string, unknown>
  optional(o.log, 'log', 'function', 'a function that takes each access-log line, like (line) => console.log(line)')
  optional(o.spec, 'spec', 'string', 'the path of an OpenAPI document, like "openapi.yaml"')
  optional(o.fixtures, 'fixtures', 'string', 'the path of a fixture file or folder, like "fixtures/team.yaml"')
  if (o.faults !== undefined) {
    if (!isObject(o.faults)) throw invalid('faults', o.faults, 'an object of fault settings like { errorRate: 0.1 }, or leave it out')
    const faults = o.faults as Record<string, unknown>
    optional(faults.sleep, 'faults.sleep', 'function', SLEEP)
    optional(faults.clock, 'faults.clock', 'function', CLOCK)
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal))
    throw invalid('signal', o.signal, 'an AbortSignal, like new AbortController().signal, or leave it out')
  if (o.deliveryHooks !== undefined) {
    if (!isObject(o.deliveryHooks)) throw invalid('deliveryHooks', o.deliveryHooks, 'an object { sleep?, wallClock?, timeoutMs?, runId? }, or leave it out')
    const hooks = o.deliveryHooks as Record<string, unknown>
    refuseUnknownOptions(hooks, DELIVERY_HOOK_KEYS, 'deliveryHooks')
    optional(hooks.sleep, 'deliveryHooks.sleep', 'function', SLEEP)
    optional(hooks.wallClock, 'deliveryHooks.wallClock', 'function', CLOCK)
    optional(hooks.timeoutMs, 'deliveryHooks.timeoutMs', 'function', 'a function from seconds to milliseconds, like (s) => s * 1000')
    optional(hooks.runId, 'deliveryHooks.runId', 'string', 'a string that pins the random part of live webhook-ids, like "test-run"')
  }
  const allow = o.deliverAllow
  const host = (a: unknown) =>
    typeof a === 'string' ||
    (isObject(a) && typeof (a as { host?: unknown }).host === 'string' && ['undefined', 'number'].includes(typeof (a as { port?: unknown }).port))
  if (allow !== undefined && typeof allow !== 'string' && !(Array.isArray(allow) && allow.every(host)))
    throw new ConfigError(`Invalid deliverAllow ${shown(allow)}: ${ALLOW}`)
  const backoff = o.deliverBackoff
  if (backoff !== undefined && typeof backoff !== 'string' && !(Array.isArray(backoff) && backoff.every((n) => typeof n === 'number')))
    throw new ConfigError(`Invalid deliverBackoff ${shown(backoff)}: use seconds like "1,2,4" or a list like [1, 2, 4].`)
}

function optional(value: unknown, label: string, type: 'function' | 'string', form: string): void {
  if (value !== undefined && typeof value !== type) throw invalid(label, value, `${form}, or leave it out`)
}

const invalid = (label: string, value: unknown, form: string) => new ConfigError(`Invalid ${label} ${shown(value)}: use ${form}.`)

const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value)

/** A value as a message shows it: JSON for data, a word for objects and functions (which may hold anything). */
function shown(value: unknown): string {
  if (typeof value === 'function') return '(a function)'
  if (isObject(value)) return '(an object)'
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return `(${typeof value})`
  }
}
