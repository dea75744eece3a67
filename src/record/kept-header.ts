// Which part of a recorded response header's value is kept: only what a known grammar says and no
// person can be named by (the bare media type and its charset, known cache and transport directives,
// HTTP dates, small numbers). Parameters and directives outside those lists are dropped: they can
// carry anything (`name="Maria Garcia"`, `x-user=mgarcia`). Pure.

const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/
const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/
const DIGITS = /^\d{1,15}$/
const CHARSET = /^charset=(?:"?)([A-Za-z0-9_.:-]{1,40})(?:"?)$/i

/** Directives kept bare, and directives kept with a number of seconds, per header. */
const CACHE = {
  bare: ['public', 'private', 'no-cache', 'no-store', 'no-transform', 'must-revalidate', 'proxy-revalidate', 'immutable', 'must-understand', 'only-if-cached'],
  numbered: ['max-age', 's-maxage', 'stale-while-revalidate', 'stale-if-error', 'max-stale', 'min-fresh'],
}
const DIRECTIVES: Record<string, { bare: readonly string[]; numbered: readonly string[] }> = {
  'cache-control': CACHE,
  pragma: { bare: ['no-cache'], numbered: [] },
  connection: { bare: ['keep-alive', 'close', 'upgrade'], numbered: [] },
  'keep-alive': { bare: [], numbered: ['timeout', 'max'] },
  'content-encoding': { bare: ['gzip', 'x-gzip', 'deflate', 'br', 'zstd', 'compress', 'identity'], numbered: [] },
  'transfer-encoding': { bare: ['chunked', 'gzip', 'deflate', 'compress', 'identity'], numbered: [] },
  'accept-ranges': { bare: ['bytes', 'none'], numbered: [] },
  'x-content-type-options': { bare: ['nosniff'], numbered: [] },
  'strict-transport-security': { bare: ['includesubdomains', 'preload'], numbered: ['max-age'] },
}

/** Headers whose value is one thing of a grammar: kept whole when it matches. */
const WHOLE: Record<string, (v: string) => boolean> = {
  'content-length': (v) => DIGITS.test(v),
  age: (v) => DIGITS.test(v),
  'retry-after': (v) => DIGITS.test(v) || HTTP_DATE.test(v),
  date: (v) => HTTP_DATE.test(v),
  expires: (v) => HTTP_DATE.test(v) || v === '0' || v === '-1',
  'last-modified': (v) => HTTP_DATE.test(v),
  'x-ratelimit-limit': (v) => DIGITS.test(v),
  'x-ratelimit-remaining': (v) => DIGITS.test(v),
  'x-ratelimit-reset': (v) => DIGITS.test(v),
}

/**
 * The part of a response header's value a recording keeps, or undefined when nothing of it is kept
 * (then the whole value is replaced).
 * @example
 * keptHeader('content-type', 'text/plain; name="Zebulon"; charset=utf-8') //=> 'text/plain; charset=utf-8'
 * keptHeader('cache-control', 'private, x-user=mgarcia, max-age=60') //=> 'private, max-age=60'
 * keptHeader('server', 'acme-edge-7') //=> undefined
 */
export function keptHeader(name: string, value: string): string | undefined {
  const n = name.toLowerCase()
  if (n === 'content-type') return mediaType(value)
  if (WHOLE[n]) return WHOLE[n](value.trim()) ? value.trim() : undefined
  const known = DIRECTIVES[n]
  if (!known) return undefined
  const kept = value
    .split(/\s*[,;]\s*/)
    .map((item) => item.trim())
    .filter((item) => {
      const [directive, ...rest] = item.split('=')
      const d = directive.toLowerCase()
      return rest.length === 0 ? known.bare.includes(d) : known.numbered.includes(d) && DIGITS.test(rest.join('='))
    })
  return kept.length === 0 ? undefined : kept.join(n === 'strict-transport-security' || n === 'keep-alive' ? '; ' : ', ')
}

/** The bare media type, and its charset when it has a plain one. */
function mediaType(value: string): string | undefined {
  const [type, ...params] = value.split(';').map((p) => p.trim())
  const [main, sub, ...more] = type.split('/')
  if (more.length > 0 || !main || !sub || !TOKEN.test(main) || !TOKEN.test(sub) || main.length + sub.length > 80) return undefined
  const charset = params.find((p) => CHARSET.test(p))
  return charset === undefined ? `${main}/${sub}` : `${main}/${sub}; ${charset}`
}

/** Header values that are URLs (replaced by fake URLs of the same shape). */
export const URL_HEADERS = new Set(['location', 'content-location', 'link', 'refresh'])
