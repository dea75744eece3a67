// The two errors of talkover-mock/testing and the sentence of a refusal: what the mock answered
// (its message, and for a 422 every field with its messages), or why nothing was answered.

/** Why a mockClient call failed: the mock refused it, did not answer in time, could not be reached, the server that answered is not the mock, or the caller aborted it. */
export type MockClientErrorKind = 'refused' | 'timeout' | 'unreachable' | 'not-mock' | 'aborted'

/** A mockClient call that failed: the mock refused it (`status`, `body`), did not answer in time, could not be reached, or was aborted. */
export class MockClientError extends Error {
  override name = 'MockClientError'
  constructor(
    message: string,
    readonly kind: MockClientErrorKind,
    /** The mock's HTTP status, when it answered. */
    readonly status?: number,
    /** The mock's answer (parsed JSON, or its text), when it answered. */
    readonly body?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** A request-count or delivery assertion that failed; its message names the closest requests or attempts. */
export class MockAssertionError extends Error {
  override name = 'AssertionError'
  constructor(
    message: string,
    readonly expected: number,
    readonly actual: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/**
 * The sentence of a refused call: the status, the mock's message and, for a Laravel-style 422,
 * each field with its messages.
 * @example
 * refusal('GET /__mock/requests/count?status=abc', 422, { message: 'The given data was invalid.', errors: { status: ['The status field must be an integer.'] } })
 * //=> 'talkover-mock refused GET /__mock/requests/count?status=abc with 422: The given data was invalid. status: The status field must be an integer.'
 */
export function refusal(what: string, status: number, body: unknown): string {
  const parts: string[] = []
  if (typeof body === 'string' && body.trim() !== '') parts.push(`(not the mock's JSON) ${body.trim().slice(0, 200)}`)
  const { message, errors } = (typeof body === 'object' && body !== null ? body : {}) as { message?: unknown; errors?: unknown }
  if (typeof message === 'string') parts.push(message)
  if (typeof errors === 'object' && errors !== null)
    for (const [field, messages] of Object.entries(errors)) parts.push(`${field}: ${([] as unknown[]).concat(messages).map(String).join(' ')}`)
  return `talkover-mock refused ${what} with ${status}${parts.length ? `: ${parts.join(' ')}` : '.'}`
}
