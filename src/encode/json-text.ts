// JSON string literals of our texts, as strings (quote, and jsonString memoised for texts that
// repeat from row to row) and as bytes to copy (utf8, for ByteWriter.bytes). Pure.

/**
 * A string's UTF-8 bytes, for ByteWriter.bytes().
 * @example
 * utf8('"é"') //=> Uint8Array [34, 195, 169, 34]
 */
export function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'))
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/**
 * A JSON string literal; plain strings skip JSON.stringify.
 * @example
 * quote('a"b') //=> '"a\\"b"'
 */
export function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`
}

const quoted = new Map<string, string>()

/**
 * quote() for strings that repeat from row to row (webhook ids, events, errors, bodies), memoised.
 * @example
 * jsonString('Bad Gateway') //=> '"Bad Gateway"'
 */
export function jsonString(text: string): string {
  let q = quoted.get(text)
  if (q === undefined) {
    q = quote(text)
    // Only short strings repeat; a live receiver's 64 KiB answers must not fill the memo.
    if (quoted.size < 4096 && text.length <= 512) quoted.set(text, q)
  }
  return q
}
