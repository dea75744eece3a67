// What an anonymised recording keeps of a header value, an error text, an enum value or a count:
// table tests of kept-header.ts, error-text.ts and keep.ts.
import { describe, expect, it } from 'vitest'
import { errorText } from '../../src/record/error-text.js'
import { keepsKey, keepsValue } from '../../src/record/keep.js'
import { keptHeader } from '../../src/record/kept-header.js'

const parts = { host: (h: string) => `fake(${h.length})`, url: (u: string) => `https://fake.example.com/${u.length}` }

describe('what a recording keeps', () => {
  it.each([
    ['content-type', 'application/json; charset=utf-8', 'application/json; charset=utf-8'],
    ['content-type', 'text/plain; name="Zebulon Farnsworth"', 'text/plain'],
    ['content-type', 'multipart/form-data; boundary=maria', 'multipart/form-data'],
    ['cache-control', 'private, x-user=mariagarcia', 'private'],
    ['cache-control', 'no-cache, max-age=0', 'no-cache, max-age=0'],
    ['cache-control', 'x-user=mariagarcia', undefined],
    ['strict-transport-security', 'max-age=31536000; includeSubDomains', 'max-age=31536000; includeSubDomains'],
    ['date', 'Sun, 29 Nov 2026 10:00:01 GMT', 'Sun, 29 Nov 2026 10:00:01 GMT'],
    ['content-disposition', 'attachment; filename="maria-garcia.pdf"', undefined],
    ['server', 'acme-edge-7', undefined],
  ])('keeps of %s: %s only %s', (name, value, kept) => {
    expect(keptHeader(name, value)).toBe(kept)
  })

  it.each([
    ['Internal Server Error', undefined, 'Internal Server Error'],
    ['SIP 408 Request Timeout', undefined, 'SIP 408 Request Timeout'],
    ['Connection timed out after 30 seconds', undefined, 'Connection timed out after 30 seconds'],
    ['Could not resolve host: hooks.acme.io', undefined, 'Could not resolve host: fake(13)'],
    ['Failed to connect to 10.20.30.40 port 8443: Connection refused', undefined, 'Failed to connect to fake(11) port 8443: Connection refused'],
    [
      'Client error: `POST https://h.io/x` resulted in a `404 Not Found` response:\n{"user":"Maria"}',
      404,
      'Client error: `POST https://fake.example.com/14` resulted in a `404 Not Found` response',
    ],
    ['Server error at /webhooks/PATHSECRETX/ingest user Zebulon Farnsworth', 500, 'Internal Server Error'],
    ['Timed out waiting for maria.garcia', undefined, 'Connection timed out'],
    ['Something about Zebulon', undefined, 'Connection failed'],
  ])('keeps of the error %j (HTTP %s) only %j', (text, status, kept) => {
    expect(errorText(text, status, parts)).toBe(kept)
  })

  it.each([
    ['status', 'success', true],
    ['status', 'maria.garcia', false],
    ['error', 'db7.acme-internal.net', false],
    ['role', 'customer', true],
    ['role', 'zebedee', false],
    ['code', 'nw16xe', false],
    ['total', 42, true],
    ['total', 15551239999, false],
    ['count', 447700900999, false],
    ['created_at', '2024-01-15T12:00:00Z', true],
    ['born_at', '1985-03-02T00:00:00Z', false],
    ['caller_time', '1985-03-02T10:00:00Z', false],
  ])('keeps %s = %j: %s', (key, value, kept) => {
    expect(keepsValue(key, value)).toBe(kept)
  })

  it.each([
    ['contact_first', true],
    ['maria.garcia@acme-corp.com', false],
    ['+15550001111', false],
    ['Zebulon Farnsworth', false],
  ])('keeps the object key %j: %s', (key, kept) => {
    expect(keepsKey(key)).toBe(kept)
  })
})
