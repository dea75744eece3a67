// Cuts a list response's `data` array into the exact text of each row, so a recording keeps the
// bytes the upstream sent (JSON.parse + JSON.stringify could change number or escape spelling).
// Pure; imports nothing.

/**
 * The text of each element of the top-level `data` array, in order, or undefined without one.
 * @example
 * dataRows('{"success":true,"data":[{"id":"a"},{"id":"b"}],"pagination":{}}') //=> ['{"id":"a"}', '{"id":"b"}']
 */
export function dataRows(text: string): string[] | undefined {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34) {
      const end = stringEnd(text, i)
      if (depth === 1 && end - i === 5 && text.slice(i, end + 1) === '"data"') {
        let j = skipSpace(text, end + 1)
        if (text[j] === ':' && text[(j = skipSpace(text, j + 1))] === '[') return elements(text, j)
      }
      i = end
    } else if (c === 123 || c === 91) depth++
    else if (c === 125 || c === 93) depth--
  }
  return undefined
}

/** Index of the quote closing the string that opens at `i`. */
function stringEnd(text: string, i: number): number {
  let from = i + 1
  for (;;) {
    const k = text.indexOf('"', from)
    if (k < 0) return text.length
    let slashes = 0
    while (text.charCodeAt(k - 1 - slashes) === 92) slashes++
    if (slashes % 2 === 0) return k
    from = k + 1
  }
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i])) i++
  return i
}

function elements(text: string, open: number): string[] | undefined {
  const out: string[] = []
  let start = skipSpace(text, open + 1)
  if (text[start] === ']') return out
  let depth = 0
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34) i = stringEnd(text, i)
    else if (c === 123 || c === 91) depth++
    else if ((c === 125 || c === 93) && depth > 0) depth--
    else if (c === 93 || (c === 44 && depth === 0)) {
      out.push(text.slice(start, i).trimEnd())
      if (c === 93) return out
      start = skipSpace(text, i + 1)
      i = start - 1
    }
  }
  return undefined
}
