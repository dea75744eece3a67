// What counts as a secret in a recorded row: header and field names that carry credentials, and
// values shaped like tokens, a URL's password and a secret-named query value (`?token=`, `?sig=`)
// anywhere in a text. Secrets are never written, whether or not anonymisation is on.
import { REDACTED, SECRET_KEY, redactTokens } from '../http/redact.js'

// The secret names, token shapes, the redaction mark and redactTokens are the one redaction helper's (http/redact.ts).
export { REDACTED, SECRET_KEY, TOKEN_IN_TEXT, redactTokens } from '../http/redact.js'

/** `user:password@` right after a URL's scheme. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>`]*:[^\s/?#@"'<>`]*@/gi
/** A query parameter: its separator, name and value. */
const QUERY_PARAM = /([?&;])([^=&#\s"'<>`?]+)=([^&#\s"'<>`]*)/g

/**
 * The text with every secret in it removed, and how many: token-shaped values, URL passwords and
 * the values of secret-named query parameters.
 * @example
 * redactSecrets('see https://h.test/t?token=abc&team=a') //=> { text: 'see https://h.test/t?token=[redacted]&team=a', count: 1 }
 */
export function redactSecrets(text: string): { text: string; count: number } {
  const tokens = redactTokens(text)
  let count = tokens.count
  const out = tokens.text
    .replace(URL_PASSWORD, (_, scheme: string) => (count++, `${scheme}${REDACTED}@`))
    .replace(QUERY_PARAM, (whole, sep: string, name: string, value: string) =>
      SECRET_KEY.test(name) && value !== '' && value !== REDACTED ? (count++, `${sep}${name}=${REDACTED}`) : whole,
    )
  return { text: out, count }
}
