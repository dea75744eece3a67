// A strict little XML reader for the JUnit reports: elements, attributes and text, throwing on
// anything not well-formed (unclosed or crossed tags, bad entities, duplicate attributes).
export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  text: string
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

function decode(text: string): string {
  return text.replace(/&([a-z]+);|&/g, (whole, name: string | undefined) => {
    if (!name || !(name in ENTITIES)) throw new Error(`bad entity near ${whole}`)
    return ENTITIES[name]
  })
}

/** Parses a document (an optional XML declaration, then one root element). */
export function parseXml(doc: string): XmlElement {
  const body = doc.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '')
  const root: XmlElement = { name: '#root', attributes: {}, children: [], text: '' }
  const stack = [root]
  const token = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/y
  let at = 0
  while (at < body.length) {
    token.lastIndex = at
    const m = token.exec(body)
    if (!m) throw new Error(`not well-formed at ${at}: ${body.slice(at, at + 40)}`)
    at = token.lastIndex
    const top = stack[stack.length - 1]
    if (m[5] !== undefined) {
      if (stack.length === 1 && m[5].trim()) throw new Error('text outside the root element')
      top.text += decode(m[5])
    } else if (m[1]) {
      if (top.name !== m[2]) throw new Error(`</${m[2]}> closes <${top.name}>`)
      stack.pop()
    } else {
      const attributes: Record<string, string> = {}
      for (const a of m[3].matchAll(/([\w.-]+)="([^"]*)"/g)) {
        if (a[1] in attributes) throw new Error(`duplicate attribute ${a[1]}`)
        attributes[a[1]] = decode(a[2])
      }
      const el: XmlElement = { name: m[2], attributes, children: [], text: '' }
      top.children.push(el)
      if (!m[4]) stack.push(el)
    }
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1].name}> is not closed`)
  if (root.children.length !== 1) throw new Error('a document has one root element')
  return root.children[0]
}
