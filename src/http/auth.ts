// Bearer-token check for secured operations, answering exactly like the real API. routes.ts
// calls it inside each secured route, so the check costs no middleware hop.

export interface AuthOptions {
  /** When set, only this exact token is accepted; otherwise any `talq_…` token is. */
  token?: string
}

/**
 * Decides what a request's Authorization header is worth. Pure, so it is table-tested.
 * @example
 * checkBearer('Bearer talq_abc', {}) //=> undefined (accepted)
 * checkBearer(undefined, {})         //=> 'missingToken'
 */
export function checkBearer(header: string | undefined, { token }: AuthOptions = {}): 'missingToken' | 'invalidToken' | undefined {
  const match = header?.match(/^\s*Bearer\s+(\S*)\s*$/i)
  if (!match || match[1] === '') return 'missingToken'
  const given = match[1]
  if (token !== undefined ? given !== token : !given.startsWith('talq_')) return 'invalidToken'
  return undefined
}
