// The one cap on request bodies, enforced while the body is read: a declared Content-Length over
// it is refused before anything is read, a chunked body as soon as it passes it. The socket guard
// (socket-guard.ts) refuses a declared length on every route; routes that take a body read it
// through readBody() (in-process too).
import type { Context } from 'hono'
import { apiError, type ApiError } from './errors.js'

/** The largest request body the mock reads, bytes (1 MiB): a webhook, a config or a delivery payload fits many times over. */
export const MAX_BODY_BYTES = 1024 * 1024

/** The cap in the words of the 413's sentence. */
export const MAX_BODY_TEXT = '1 MiB (1048576 bytes)'

/**
 * Whether a declared Content-Length passes the cap (absent or unreadable: the reader decides).
 * @example
 * declaredTooLarge('2000000') //=> true
 */
export function declaredTooLarge(contentLength: string | undefined, max = MAX_BODY_BYTES): boolean {
  return contentLength !== undefined && /^\d+$/.test(contentLength.trim()) && Number(contentLength) > max
}

/**
 * The request body as text, read at most `max` bytes far; the 413 when it is longer.
 * @example
 * const body = await readBody(c)
 * if (!body.ok) return respond.error(body.error)
 */
export async function readBody(c: Context, max = MAX_BODY_BYTES): Promise<{ ok: true; text: string } | { ok: false; error: ApiError }> {
  if (declaredTooLarge(c.req.header('content-length'), max)) return { ok: false, error: apiError('bodyTooLarge', MAX_BODY_TEXT) }
  const bytes = await readCapped(c.req.raw.body, max)
  if (bytes === 'too large') return { ok: false, error: apiError('bodyTooLarge', MAX_BODY_TEXT) }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  // Kept where Hono keeps a read body: c.req.text() answers it again, and the journal (admin/observe.ts) finds it.
  // (Hono types the cache by its values, but keeps promises of them: other readers call .then on it.)
  c.req.bodyCache.text = Promise.resolve(text) as unknown as string
  return { ok: true, text }
}

/**
 * Reads and drops the rest of a refused body. Cancelling would destroy Node's request and with it
 * the socket, before the 413 is written; drained, the answer reaches the client.
 */
/**
 * A body's bytes, read at most `max` far; 'too large' (the rest drained) when it is longer.
 * @example
 * await readCapped(new Request('http://x', { method: 'POST', body: 'abc' }).body) //=> Uint8Array [97, 98, 99]
 */
export async function readCapped(stream: ReadableStream<Uint8Array> | null, max = MAX_BODY_BYTES): Promise<Uint8Array<ArrayBuffer> | 'too large'> {
  if (!stream) return new Uint8Array(0)
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return new Uint8Array(Buffer.concat(chunks))
    size += value.byteLength
    if (size > max) {
      void drain(reader)
      return 'too large'
    }
    chunks.push(value)
  }
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  try {
    while (!(await reader.read()).done);
  } catch {
    // The client went away: nothing left to drop.
  }
}
