// The arguments mockClient checks before sending anything: counts, limits, milliseconds and
// instants. Each refusal is a TypeError whose sentence says what was wrong and what to give.

/** A whole number of at least `min`, or a TypeError naming `what` and `where`. */
export function wholeNumber(value: number, min: number, what: string, where: string, use: string): number {
  if (!Number.isSafeInteger(value) || value < min) throw new TypeError(`Invalid ${what} ${String(value)} for ${where}: use ${use}.`)
  return value
}

/** Milliseconds, a finite number of at least `min`. */
export function milliseconds(value: number, min: number, where: string, what = 'timeout'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min)
    throw new TypeError(`Invalid ${what} ${String(value)} for ${where}: use milliseconds, ${min} or more.`)
  return value
}

/** An instant as ISO 8601 (`since`), from a Date or a string a Date can read. */
export function isoInstant(value: string | Date, what: string, where: string): string {
  const time = new Date(value).getTime()
  if (Number.isNaN(time)) {
    const shown = value instanceof Date ? String(value) : JSON.stringify(value)
    throw new TypeError(`Invalid ${what} ${shown} for ${where}: use an ISO 8601 instant like 2024-01-15T12:00:00Z or a Date.`)
  }
  return new Date(time).toISOString()
}

/** The base URL of a mock: an absolute http(s) URL, without its trailing slashes. */
export function mockBaseUrl(target: string | URL): string {
  let url: URL | undefined
  try {
    url = new URL(String(target))
  } catch {}
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !/^https?:\/\//i.test(String(target)))
    throw new TypeError(`Invalid mock URL "${String(target)}": use an absolute http(s) URL like http://127.0.0.1:4010, or an app made by createApp.`)
  if (url.username !== '' || url.password !== '')
    throw new TypeError(
      'Invalid mock URL: it carries user info (user:password@), which fetch refuses; give the mock URL without it, like http://127.0.0.1:4010.',
    )
  return String(target).replace(/\/+$/, '')
}

/** A session id as the mock takes it (openapi.yaml's X-Mock-Session pattern). */
export function sessionId(id: string): string {
  if (typeof id !== 'string' || !/^[A-Za-z0-9._:-]{1,128}$/.test(id))
    throw new TypeError(`Invalid session "${String(id)}": use 1 to 128 letters, digits, dots, underscores, colons or hyphens, like checkout-test.`)
  return id
}
