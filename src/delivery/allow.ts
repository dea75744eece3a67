// Which receivers live delivery may contact: loopback always, plus the --deliver-allow hosts.
// Decided from the URL text alone, before any DNS lookup, so a name that is not allowed is never
// resolved, let alone contacted. Pure.
import { redactUrl } from '../http/redact.js'

/** One --deliver-allow entry: a host name or IP, and optionally the only port allowed for it. */
export interface AllowedHost {
  host: string
  port?: number
}

/** A delivery URL the mock may contact, or why not (one sentence with the fix). */
export type AllowDecision = { ok: true; url: URL } | { ok: false; reason: string }

const HOST = /^(?:[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?)*$|^\d{1,3}(?:\.\d{1,3}){3}$|^\[[0-9a-f:.]+\]$/

/**
 * Parses `--deliver-allow`: comma-separated `host` or `host:port` (IPv6 in brackets).
 * Returns the entries, or a message naming the bad one.
 * @example
 * parseAllowList('receiver:3000,hooks.internal') //=> [{ host: 'receiver', port: 3000 }, { host: 'hooks.internal' }]
 */
export function parseAllowList(raw: string): AllowedHost[] | string {
  const out: AllowedHost[] = []
  for (const item of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(item)
    const host = match ? normalHost(match[1]) : undefined
    const port = match?.[2] === undefined ? undefined : Number(match[2])
    if (!host || (port !== undefined && (port < 1 || port > 65535))) return `"${item}" is not a host or host:port`
    out.push(port === undefined ? { host } : { host, port })
  }
  return out
}

/** A host as the URL parser writes it (lower case, IPv4 normalised), or undefined when invalid. */
function normalHost(text: string): string | undefined {
  try {
    const host = new URL(`http://${text}/`).hostname
    return HOST.test(host) ? host : undefined
  } catch {
    return undefined
  }
}

/** Loopback as written in a URL: localhost, 127.0.0.0/8 or [::1]. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
}

/**
 * Decides whether a webhook URL may be contacted: http(s) only, the host loopback or listed
 * (with its port, when the entry names one). Nothing is resolved here.
 * @example
 * checkUrl('http://127.0.0.1:3000/hook', []).ok //=> true
 * checkUrl('https://hooks.example.invalid/x', []) //=> { ok: false, reason: 'talkover-mock did not contact hooks.example.invalid: …' }
 */
export function checkUrl(webhookUrl: string, allowed: readonly AllowedHost[]): AllowDecision {
  let url: URL
  try {
    url = new URL(webhookUrl)
  } catch {
    return {
      ok: false,
      reason: `talkover-mock did not deliver: the webhook URL "${redactUrl(webhookUrl)}" cannot be parsed. Please update the webhook with an http(s) URL.`,
    }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `talkover-mock did not deliver: it only sends to http and https URLs, not ${url.protocol}. Please update the webhook's URL.` }
  }
  const host = url.hostname
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80))
  if (isLoopback(host) || allowed.some((a) => a.host === host && (a.port === undefined || a.port === port))) return { ok: true, url }
  const entry = url.port ? `${host}:${url.port}` : host
  return {
    ok: false,
    reason: `talkover-mock did not contact ${host}: live delivery only reaches loopback hosts and the --deliver-allow list. To deliver there, start the mock with --deliver-allow ${entry}.`,
  }
}
