// Which `Host` a request on the real socket may name (the DNS-rebinding check): a page on
// evil.example whose name is made to resolve to 127.0.0.1 still sends `Host: evil.example`.
// Loopback names, *.localhost, IP literals and single-label names (a Compose or CI service name)
// always pass; --allowed-hosts adds exact names, `.example.com` for a domain and its subdomains, or `*`.

/** A check of the Host header's value (name and optional port); undefined (HTTP/1.0) passes. */
export type HostPolicy = (host: string | undefined) => boolean

/**
 * Validates an --allowed-hosts list and writes it back in one form (lower case, comma-separated),
 * or says what is wrong with it.
 * @example
 * parseAllowedHosts('Mock.Internal, .example.com') //=> { hosts: 'mock.internal,.example.com' }
 * parseAllowedHosts('http://x/') //=> { problem: '"http://x/" is not a host name' }
 */
export function parseAllowedHosts(raw: string): { hosts: string } | { problem: string } {
  const names = raw.split(',').map((name) => name.trim().toLowerCase().replace(/\.$/, ''))
  for (const name of names) {
    if (name !== '*' && !HOST_NAME.test(name)) return { problem: `"${name}" is not a host name` }
  }
  return { hosts: names.join(',') }
}

/** A DNS name, or `.name` for a domain and its subdomains. */
const HOST_NAME = /^\.?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/

/**
 * The Host check for the names of parseAllowedHosts (comma-separated; empty adds none).
 * @example
 * hostPolicy('.example.com')('api.example.com:4010') //=> true
 * hostPolicy('')('evil.example') //=> false
 */
export function hostPolicy(allowed: string): HostPolicy {
  const names = allowed === '' ? [] : allowed.split(',')
  if (names.includes('*')) return () => true
  const exact = new Set(names.filter((name) => !name.startsWith('.')))
  const suffixes = names.filter((name) => name.startsWith('.'))
  return (host) => {
    if (host === undefined) return true
    const name = hostName(host)
    if (name === undefined) return false
    if (alwaysAllowed(name) || exact.has(name)) return true
    return suffixes.some((suffix) => name === suffix.slice(1) || name.endsWith(suffix))
  }
}

/**
 * The name of a Host header value, lower case, without its port or a trailing dot; undefined
 * when it is not a host at all. An IPv6 literal keeps its brackets.
 * @example
 * hostName('LocalHost.:4010') //=> 'localhost'
 * hostName('[::1]:4010') //=> '[::1]'
 */
export function hostName(host: string): string | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]*)(:\d{1,5})?$/i.exec(host.trim())
  if (!match || match[1] === '') return undefined
  return match[1].toLowerCase().replace(/\.$/, '')
}

/** Names no web page can make resolve to this machine without the user: loopback, IP literals, single labels. */
export function alwaysAllowed(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  if (name.startsWith('[')) return true
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return true
  return !name.includes('.')
}
