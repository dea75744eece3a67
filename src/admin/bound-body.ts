// The first bytes of a text within a byte bound, cut at a whole UTF-8 character: how the journal
// bounds a request's (already redacted) body and a copy of the mock's answer. Pure.

/**
 * The first `max` bytes of a text, cut before a partial UTF-8 character.
 * @example
 * boundBody('{"a":1}', 8192) //=> { body: '{"a":1}' }
 */
export function boundBody(text: string, max: number): { body: string; body_truncated?: true } {
  if (text.length * 3 <= max || Buffer.byteLength(text) <= max) return { body: text }
  const cut = Buffer.from(text).subarray(0, max)
  // Back off a partial UTF-8 character at the cut.
  let end = cut.length
  while (end > 0 && (cut[end - 1] & 0xc0) === 0x80) end--
  if (end > 0 && cut[end - 1] >= 0xc0) {
    const lead = cut[end - 1]
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2
    if (cut.length - (end - 1) < need) return { body: cut.subarray(0, end - 1).toString('utf8'), body_truncated: true }
  }
  return { body: cut.toString('utf8'), body_truncated: true }
}
