// The one redaction helper for everything the mock shows or writes down (the access log, the
// journal, the deliveries view, row errors, CLI errors, recordings): a URL loses its user info,
// query values and fragment, a token-shaped value anywhere in a text becomes [redacted], and a
// query's credential-named values are replaced. What is shown of a request's headers and body
// (allow-listed headers, bodies redacted by field name) is in redact-request.ts. Pure; imports nothing.

/** What a secret is shown as. */
export const REDACTED = '[redacted]'

/** Field or header names whose values are credentials (Authorization, Cookie, X-Api-Key, webhook_secret, …). */
export const SECRET_KEY =
  /secret|token|passw(or)?d|passphrase|authori[sz]ation|api[-_]?key|(private|signing|access)[-_]?key|cookie|signature|credential|session[-_]?id|bearer|hmac|^(sig|pass|pwd|auth|otp|pin|cvv|cvc)$|^x-amz-signature$/i

/** Values shaped like a credential, wherever they appear in a text. */
export const TOKEN_IN_TEXT = new RegExp(
  [
    String.raw`\b(?:Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}`,
    String.raw`\btalq_[A-Za-z0-9._~+/=-]+`,
    String.raw`\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?`,
    String.raw`\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,}`,
    String.raw`\bgh[pousr]_[A-Za-z0-9]{20,}`,
    String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`,
    String.raw`\bAKIA[0-9A-Z]{16}\b`,
  ].join('|'),
  'g',
)

/**
 * The text with every token-shaped value replaced, and how many there were.
 * @example
 * redactTokens('auth: Bearer abcdefgh12345') //=> { text: 'auth: [redacted]', count: 1 }
 */
export function redactTokens(text: string): { text: string; count: number } {
  let count = 0
  const out = text.replace(TOKEN_IN_TEXT, () => (count++, REDACTED))
  return { text: out, count }
}

/**
 * A URL as it may be shown: scheme, host, port and path kept (they say where a request went);
 * user info, every query value and the fragment replaced. Text that is not a URL loses anything
 * after `?` and before `@`.
 * @example
 * redactUrl('http://user:pass@127.0.0.1:3000/hook?api_key=s') //=> 'http://[redacted]@127.0.0.1:3000/hook?api_key=[redacted]'
 */
export function redactUrl(text: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*@)?([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(text)
  if (!match || /\s/.test(text)) {
    return redactTokens(text)
      .text.replace(/[^\s/@]*@/g, `${REDACTED}@`)
      .replace(/\?\S*/g, `?${REDACTED}`)
  }
  const [, scheme, userinfo, host, path, query, fragment] = match
  return `${scheme}${userinfo ? `${REDACTED}@` : ''}${host}${path}${query ? `?${redactQuery(query.slice(1))}` : ''}${fragment ? `#${REDACTED}` : ''}`
}

/** URLs inside a text (up to a space, a quote, a bracket or a backtick) and user info without a scheme. */
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`()]+/gi
const USERINFO_IN_TEXT = /(^|[\s"'(])[^\s"'()/@:]+:[^\s"'()/@]+@/g

/**
 * A text as it may be shown (a CLI error, a report): every URL in it redacted like redactUrl,
 * `user:password@` without a scheme too, and token-shaped values removed.
 * @example
 * redactText('Could not reach http://u:pw@127.0.0.1:1/x?k=s: refused.') //=> 'Could not reach http://[redacted]@127.0.0.1:1/x?k=[redacted]: refused.'
 */
export function redactText(text: string): string {
  return redactTokens(text)
    .text.replace(URL_IN_TEXT, (url) => {
      const tail = /[.,;:!?]+$/.exec(url)?.[0] ?? ''
      return redactUrl(url.slice(0, url.length - tail.length)) + tail
    })
    .replace(USERINFO_IN_TEXT, `$1${REDACTED}@`)
}

/**
 * A query string (without `?`) with every value replaced; the names stay.
 * @example
 * redactQuery('api_key=s&team=payments') //=> 'api_key=[redacted]&team=[redacted]'
 */
export function redactQuery(query: string): string {
  if (query === '') return ''
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      return eq < 0 ? (pair === '' ? '' : REDACTED) : `${pair.slice(0, eq)}=${REDACTED}`
    })
    .join('&')
}

/** TOKEN_IN_TEXT without the global flag, whose test() would move lastIndex between calls. */
const TOKEN_ANYWHERE = new RegExp(TOKEN_IN_TEXT.source)

/**
 * A request's own query as the journal and the access log show it: the values of secret-named
 * parameters (`api_key`, `token`, `sig`…) and token-shaped values redacted, the rest kept, so a
 * test can still verify `per_page=5`. Cheap when nothing matches (the hot path logs it).
 * @example
 * redactSecretQuery('?per_page=5&api_key=abc') //=> '?per_page=5&api_key=[redacted]'
 */
export function redactSecretQuery(search: string): string {
  if (search === '' || (!SECRET_KEY.test(search) && !TOKEN_ANYWHERE.test(search))) return search
  const lead = search.startsWith('?') ? '?' : ''
  return (
    lead +
    search
      .slice(lead.length)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=')
        if (eq < 0) return pair
        let name = pair.slice(0, eq)
        try {
          name = decodeURIComponent(name)
        } catch {
          // Not percent-decodable: judged as written.
        }
        return SECRET_KEY.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : redactTokens(pair).text
      })
      .join('&')
  )
}
