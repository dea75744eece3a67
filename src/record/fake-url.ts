// Fakes composed of other fakes: a URL (its host, each path segment and each query value faked
// one by one, so an id in a path gets the fake it gets in `call_id`) and a text with URLs,
// e-mails, IPs, host names and phone numbers inside it (an error, a `location` header). Pure: the
// single-value fakes are handed in by the anonymiser.
import { UUID } from './classify.js'
import type { DrawnKind } from './fakes.js'
import { REDACTED, SECRET_KEY } from './secrets.js'

export interface PartFakes {
  fake: (kind: DrawnKind, original: string) => string
  /** Counts a secret and answers what it is written as. */
  secret: () => string
}

const URL_PARTS = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)(:\d+)?([^?#]*)(\?[^#]*)?(#.*)?$/i

/**
 * A fake of a URL: scheme and port kept; user info and fragment dropped; the host, each path
 * segment (an id keeps its extension) and each query value faked; a secret-named query value redacted.
 * @example
 * fakeUrl('https://rec.acme.io/calls/8d9c….mp3?sig=abc', parts) //=> 'https://saw-xbqyy.example.com/crepusculum/fc61….mp3?sig=598ejfrd7nl9'
 */
export function fakeUrl(original: string, { fake, secret }: PartFakes): string {
  const m = URL_PARTS.exec(original)
  if (!m) return fake('free_text', original)
  const [, scheme, host, port = '', path, query, fragment] = m
  const word = (s: string) => fake('free_text', s).replace(/\s+/g, '-')
  const segment = (s: string): string => {
    const ext = /^(.+?)(\.[a-z0-9]{1,5})$/i.exec(s)
    const [stem, suffix] = ext ? [ext[1], ext[2]] : [s, '']
    return encodeURIComponent(UUID.test(stem) || /\d/.test(stem) ? fake('ids', stem) : word(stem)) + suffix
  }
  const segments = path.split('/').map((s) => (s === '' ? s : segment(decodeSafe(s))))
  const params = query
    ?.slice(1)
    .split('&')
    .map((pair) => {
      const [k, ...v] = pair.split('=')
      if (v.length === 0) return word(k)
      const value = v.join('=')
      // A secret the text had already lost (secrets.ts) is counted once.
      return `${k}=${SECRET_KEY.test(k) ? (value === REDACTED ? value : secret()) : encodeURIComponent(fake('ids', value))}`
    })
    .join('&')
  const fakeHost = host.startsWith('[') ? `[${fake('hosts', host.slice(1, -1))}]` : host ? fake('hosts', host) : ''
  return `${scheme}${fakeHost}${port}${segments.join('/')}${params ? `?${params}` : ''}${fragment ? '#' : ''}`
}

/** What may hide inside a text: URLs, e-mails, IPs, host names, phone numbers; one pass, so no fake is faked again. */
const EMBEDDED =
  /([a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+)|([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})|(\b\d{1,3}(?:\.\d{1,3}){3}\b)|(\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\b)|(\+\d[\d ().-]{6,18}\d)/gi

/**
 * A text no rule claims whole (an error, a header) with what hides in it replaced, its words kept.
 * @example
 * fakeEmbedded('Could not resolve host: hooks.acme.io', { fake, url }) //=> 'Could not resolve host: thunderbolt-ief4v.example.com'
 */
export function fakeEmbedded(text: string, { fake, url }: { fake: PartFakes['fake']; url: (original: string) => string }): string {
  return text.replace(EMBEDDED, (m, u, e, ip, host) => (u ? url(m) : e ? fake('emails', m) : ip || host ? fake('hosts', m) : fake('phone_numbers', m)))
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
