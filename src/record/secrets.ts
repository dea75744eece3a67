// What counts as a secret in a recorded row: header and field names that carry credentials, and
// values shaped like tokens. Secrets are never written, whether or not anonymisation is on.

// The secret names, token shapes, the redaction mark and redactTokens are the one redaction helper's (http/redact.ts).
export { REDACTED, SECRET_KEY, TOKEN_IN_TEXT, redactTokens } from '../http/redact.js'
