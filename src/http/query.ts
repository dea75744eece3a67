// Reads the declared query parameters of a URL the way PHP fills $_GET for Laravel: the last of
// repeated parameters wins, `name[]=…` / `name[key]=…` make an array (which then fails an
// `integer` rule with Laravel's message), and dots and spaces in a name become underscores.
// One pass over the query string, reading only the names asked for. Pure.

/**
 * The values of `names` in `url`'s query: a string, or an array for the bracketed form.
 * @example
 * readQuery('http://x/logs?page=1&page=2', ['page']) //=> { page: '2' }
 * readQuery('http://x/logs?page[]=2', ['page']) //=> { page: ['2'] }
 */
export function readQuery(url: string, names: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  const start = url.indexOf('?')
  if (start === -1) return out
  const hash = url.indexOf('#', start)
  const query = url.slice(start + 1, hash === -1 ? undefined : hash)
  for (const pair of query.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const rawName = decode(eq === -1 ? pair : pair.slice(0, eq))
    const bracket = rawName.indexOf('[')
    const closed = bracket > 0 && rawName.indexOf(']', bracket) !== -1
    const name = (closed ? rawName.slice(0, bracket) : rawName).replace(/[. ]/g, '_')
    if (!names.includes(name)) continue
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1))
    if (!closed) out[name] = value
    else {
      const list = out[name]
      out[name] = Array.isArray(list) ? [...list, value] : [value]
    }
  }
  return out
}

function decode(text: string): string {
  if (!/[%+]/.test(text)) return text
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}
