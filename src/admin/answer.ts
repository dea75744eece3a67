// What the journal keeps of the mock's own answer to a request, and how GET /__mock/requests shows
// it. Kept on the hot path cheaply: the responder's header object by reference and a copy of at
// most the entry's share of the body (a reference could hold a whole cached page alive). Shown
// redacted: headers by http/redact-request's allow-list of answer headers; a whole JSON body by
// showBody; a body the bound cut short, which no parser reads, by field name and with its last,
// cut string dropped (a URL cut before its `@` would show its user info as a host). Pure.
import { REDACTED, SECRET_KEY, redactText } from '../http/redact.js'
import { showAnswerHeaders, showBody } from '../http/redact-request.js'
import { boundBody } from './bound-body.js'

/** The answer part of a journal line. */
export interface JournalAnswer {
  headers: Record<string, string>
  body?: string
  body_truncated?: true
}

/** An answer as the journal keeps it: the responder's header object by reference, at most the entry's share of the body. */
export interface StoredAnswer {
  headers: Record<string, string>
  body: string | Uint8Array
  truncated?: true
}

/**
 * What the journal keeps of an answer: the header object by reference and at most `max` bytes of the body, copied.
 * @example
 * keepAnswer({ 'content-type': 'application/json' }, '{"success":true}', 8192) //=> { headers: {…}, body: '{"success":true}' }
 */
export function keepAnswer(headers: Record<string, string>, body: string | Uint8Array, max: number): StoredAnswer {
  if (typeof body === 'string') {
    const kept = boundBody(body, max)
    return kept.body_truncated ? { headers, body: kept.body, truncated: true } : { headers, body }
  }
  return body.byteLength <= max ? { headers, body: body.slice() } : { headers, body: body.slice(0, max), truncated: true }
}

/**
 * An answer as GET /__mock/requests shows it: header names lower-cased, headers and body redacted.
 * @example
 * showAnswer({ headers: { 'Content-Type': 'application/json' }, body: '{"webhook_secret":"s"}' }) //=> { headers: { 'content-type': 'application/json' }, body: '{"webhook_secret":"[redacted]"}' }
 */
export function showAnswer(answer: StoredAnswer): JournalAnswer {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(answer.headers)) headers[name.toLowerCase()] = value
  let text = typeof answer.body === 'string' ? answer.body : Buffer.from(answer.body).toString('utf8')
  if (answer.truncated) text = text.replace(/\uFFFD+$/, '')
  const shown: JournalAnswer = { headers: showAnswerHeaders(headers) }
  if (text !== '') shown.body = answer.truncated ? redactCutJson(text) : showBody(text, headers['content-type'])
  if (answer.truncated) shown.body_truncated = true
  return shown
}

/**
 * A body cut short: URLs and token-shaped values as redactText shows them, and the string values of
 * fields named like a credential or `value` (custom headers) replaced, a value cut at the end included.
 */
function redactCutJson(text: string): string {
  const fields = text.replace(/"((?:[^"\\]|\\.)*)"(\s*:\s*)"(?:[^"\\]|\\.)*("|\\?$)/g, (whole, key: string, colon: string, end: string) =>
    SECRET_KEY.test(key) || key === 'value' ? `"${key}"${colon}"${REDACTED}${end}` : whole,
  )
  return redactText(cutString(fields))
}

/** A text whose last string is cut by the bound (no closing quote) loses that string. */
function cutString(text: string): string {
  let open = -1
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (open < 0) {
      if (c === '"') open = i
    } else if (c === '\\') i++
    else if (c === '"') open = -1
  }
  return open < 0 ? text : `${text.slice(0, open)}"${REDACTED}`
}
