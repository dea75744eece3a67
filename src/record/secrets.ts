// What counts as a secret in a recorded row: header and field names that carry credentials, and
// values shaped like tokens. Secrets are never written, whether or not anonymisation is on.

/** Field or header names whose values are credentials. */
export const SECRET_KEY = /secret|token|passw(or)?d|authori[sz]ation|api[-_]?key|cookie|signature|credential|session[-_]?id/i

/** Values shaped like a credential, wherever they appear in a string. */
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

/** What a secret is written as. */
export const REDACTED = '[redacted]'

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
