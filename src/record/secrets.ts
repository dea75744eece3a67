// What counts as a secret in a recorded row: header and field names that carry credentials, and
// values shaped like tokens. Secrets are never written, whether or not anonymisation is on.

/** Field or header names whose values are credentials. */
export const SECRET_KEY = /secret|token|passw(or)?d|authori[sz]ation|api[-_]?key|cookie|signature|credential|session[-_]?id/i

// The token shapes, the redaction mark and redactTokens are the one redaction helper's (http/redact.ts).
export { REDACTED, TOKEN_IN_TEXT, redactTokens } from '../http/redact.js'
