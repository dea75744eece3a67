// The rate-limit headers Laravel's throttle middleware sends, as constants computed at start-up.
// **Mock choice:** the mock never throttles by itself and keeps no counters, so every API
// response reports a fresh window (Remaining = Limit − 1, as for the first request of a minute):
// the same bytes in any request order. An injected 429 reports what a throttled request gets:
// Remaining 0, Retry-After and X-RateLimit-Reset (epoch seconds when the window reopens).

export interface RateLimitHeaders {
  /** Headers of every API response; empty when the limit is 0 (rate-limit headers off). */
  always: Readonly<Record<string, string>>
  /** Headers of an injected 429, on top of `always`. */
  throttled(retryAfter: number, nowMs: number): Record<string, string>
}

/**
 * The rate-limit headers for `limit` requests per minute (0 sends none).
 * @example
 * rateLimitHeaders(100).always //=> { 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '99' }
 * rateLimitHeaders(100).throttled(1, 1705320000000) //=> { 'X-RateLimit-Remaining': '0', 'Retry-After': '1', 'X-RateLimit-Reset': '1705320001' }
 */
export function rateLimitHeaders(limit: number): RateLimitHeaders {
  const always: Record<string, string> = limit > 0 ? { 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(limit - 1) } : {}
  return {
    always: Object.freeze(always),
    throttled: (retryAfter, nowMs): Record<string, string> =>
      limit > 0
        ? { 'X-RateLimit-Remaining': '0', 'Retry-After': String(retryAfter), 'X-RateLimit-Reset': String(Math.ceil(nowMs / 1000) + retryAfter) }
        : { 'Retry-After': String(retryAfter) },
  }
}
