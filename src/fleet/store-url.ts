// Folder fleet/: replicas that answer as one mock. Each replica keeps the whole state in memory, as
// one process does; with a Valkey/Redis store every request that changes state is appended to one
// ordered log there and applied by every replica in the same order (a replicated state machine:
// the mock is deterministic, so the same writes in the same order give the same bytes everywhere).
// It may import http/, faults/ (the request's controls) and itself; only the entry points import it.
//
// This file: the --state setting, `memory` or a Valkey/Redis URL.
import { ConfigError } from '../settings/model.js'

/** Where state lives: this process alone, or a Valkey/Redis server the replicas share. */
export type StateStoreSetting = { kind: 'memory' } | { kind: 'redis'; url: string }

/**
 * Parses --state: `memory`, or `redis://[user:password@]host[:port][/db]` (`rediss://` for TLS).
 * The message of a bad value never repeats it: a URL may carry a password.
 * @example
 * parseStateStore('memory') //=> 'memory'
 * parseStateStore('redis://127.0.0.1:6379/0') //=> 'redis://127.0.0.1:6379/0'
 */
export function parseStateStore(raw: string, flag = '--state'): string {
  if (raw === 'memory') return raw
  const refuse = (why: string) =>
    new ConfigError(
      `Invalid ${flag}: ${why}; use memory, or a Valkey/Redis URL like redis://127.0.0.1:6379 or redis://:password@redis:6379/0 (the value is not shown: it may hold a password).`,
      {
        valueFree: true,
      },
    )
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw refuse('it is neither memory nor a URL')
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw refuse(`the scheme must be redis: or rediss:, not ${url.protocol.slice(0, 16)}`)
  if (!url.hostname) throw refuse('the URL names no host')
  if (url.search || url.hash) throw refuse('the URL takes no query or fragment')
  if (url.pathname !== '' && url.pathname !== '/' && !/^\/(\d|1[0-5])$/.test(url.pathname))
    throw refuse('the database, after the host, must be a number from 0 to 15')
  return raw
}

/**
 * The store a parsed --state names.
 * @example
 * storeSetting('memory') //=> { kind: 'memory' }
 */
export function storeSetting(value: string): StateStoreSetting {
  return value === 'memory' ? { kind: 'memory' } : { kind: 'redis', url: value }
}

/**
 * The URL without its password, for messages and logs.
 * @example
 * shownStoreUrl('redis://:s3cret@redis:6379/1') //=> 'redis://redis:6379/1'
 */
export function shownStoreUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`
  } catch {
    return 'the Valkey/Redis store'
  }
}
