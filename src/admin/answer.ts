// What the journal keeps of the mock's own answer to a request, and how GET /__mock/requests shows
// it. Kept on the hot path cheaply: the responder's header object by reference and a copy of at
// most the entry's share of the body in the answers' shared bytes (answer-bytes.ts: a reference
// could hold a whole cached page alive, a copy per entry was garbage for a full collection), where
// only the newest answers' bodies stay. Shown
// redacted: headers by http/redact-request's allow-list of answer headers; a whole JSON body by
// showBody; a body the bound cut short, which no parser reads, by field name and with its last,
// cut string dropped (a URL cut before its `@` would show its user info as a host). Pure.
import { REDACTED, SECRET_KEY, redactText } from '../http/redact.js'
import { showAnswerHeaders, showBody } from '../http/redact-request.js'
import type { AnswerBytes, BodyPlace } from './answer-bytes.js'

/** The answer part of a journal line. */
export interface JournalAnswer {
  headers: Record<string, string>
  body?: string
  body_truncated?: true
  body_dropped?: true
}

/** An answer as the journal keeps it: the responder's header object by reference, where its body's first bytes are. */
export interface StoredAnswer {
  headers: Record<string, string>
  bytes: AnswerBytes
  body: BodyPlace
  truncated?: true
}

/**
 * What the journal keeps of an answer: the header object by reference and at most `max` bytes of the body, copied into `bytes`.
 * @example
 * keepAnswer(bytes, { 'content-type': 'application/json' }, '{"success":true}', 8192) //=> { headers: {…}, bytes, body: { at: 0, length: 16 } }
 */
export function keepAnswer(bytes: AnswerBytes, headers: Record<string, string>, body: string | Uint8Array, max: number): StoredAnswer {
  const { at, length, truncated } = bytes.write(body, max)
  const kept: StoredAnswer = { headers, bytes, body: { at, length } }
  if (truncated) kept.truncated = true
  return kept
}

/**
 * An answer as GET /__mock/requests shows it: header names lower-cased, headers and body redacted;
 * `body_dropped` instead of a body that newer answers' bodies have overwritten.
 * @example
 * showAnswer(keepAnswer(bytes, { 'Content-Type': 'application/json' }, '{"webhook_secret":"s"}', 8192)) //=> { headers: { 'content-type': 'application/json' }, body: '{"webhook_secret":"[redacted]"}' }
 */
export function showAnswer(answer: StoredAnswer): JournalAnswer {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(answer.headers)) headers[name.toLowerCase()] = value
  const shown: JournalAnswer = { headers: showAnswerHeaders(headers) }
  let text = answer.bytes.read(answer.body)
  if (text === undefined) {
    shown.body_dropped = true
    return shown
  }
  if (answer.truncated) text = text.replace(/\uFFFD+$/, '')
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
