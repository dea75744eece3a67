// The pure half of what the journal shows of a request: bodies redacted by field name whatever
// their shape, and headers by an allow-list.
import { describe, expect, it } from 'vitest'
import { showBody, showHeaders } from '../../src/http/redact-request.js'

const FORM = 'application/x-www-form-urlencoded'

describe('showBody', () => {
  it.each([
    ['a form with custom headers written with dots', 'custom_headers.0.value=S3CR3T&name=n', FORM],
    ['a form with encoded brackets', 'custom_headers%5B0%5D%5Bvalue%5D=S3CR3T', FORM],
    ['JSON sent as a form', '{"webhook_secret":"S3CR3T","a":"b=c"}', FORM],
    ['a form value without a name', '=x&S3CR3T', FORM],
    ['a form with an encoded secret name', 'webhook%5Fsecret=S3CR3T', `${FORM}; charset=utf-8`],
    ['JSON with a secret in an array of objects', '[{"password":"S3CR3T"}]', 'application/json'],
    ['JSON with a secret under a credential-named object', '{"credentials":{"user":"S3CR3T"}}', 'application/json'],
    ['a JSON string', '"Bearer abcdefghS3CR3T"', 'application/json'],
    ['JSON with headers under another name', '{"customHeaders":[{"key":"X-A","value":"S3CR3T"}],"headers":{"X-B":"S3CR3T"}}', 'application/json'],
    ['a form with headers under another name', 'headers[X-Team]=S3CR3T', FORM],
    ['a JSON body sent as text/plain with custom headers as a map', '{"custom_headers":{"X-Team":"S3CR3T"}}', 'text/plain'],
    ...['signing_key', 'private_key', 'privateKey', 'access_key', 'pass', 'pwd', 'passphrase', 'auth', 'bearer', 'hmac', 'otp', 'pin', 'cvv'].map((name) => [
      `JSON with a credential named ${name}`,
      `{"${name}":"S3CR3T"}`,
      'application/json',
    ]),
  ])('shows no secret of %s', (_, body, type) => {
    expect(showBody(body, type)).not.toContain('S3CR3T')
  })

  it('keeps what a test verifies: field names, ordinary values, the keys of custom headers', () => {
    expect(showBody('name=orders&custom_headers[0][key]=X-Team&custom_headers[0][value]=v&secret=s', FORM)).toBe(
      'name=orders&custom_headers[0][key]=X-Team&custom_headers[0][value]=[redacted]&secret=[redacted]',
    )
    expect(JSON.parse(showBody('{"name":"n","custom_headers":[{"key":"X-Team","value":"v"}],"max_retries":3}', 'application/json'))).toEqual({
      name: 'n',
      custom_headers: [{ key: 'X-Team', value: '[redacted]' }],
      max_retries: 3,
    })
  })

  it('describes a body of an odd content type without echoing the type', () => {
    expect(showBody('hello', 'text/<script>')).toBe('[5 bytes of an unnamed type, not shown]')
    expect(showBody('héllo', undefined)).toBe('[6 bytes of an unnamed type, not shown]')
  })
})

describe('showHeaders', () => {
  it('shows allow-listed values only, and hides the named secret headers even when listed', () => {
    expect(showHeaders({ 'content-type': 'application/json', 'User-Agent': 'ua', 'x-auth': 's', 'x-api-key': 'k' }, ['User-Agent'])).toEqual({
      'content-type': 'application/json',
      'User-Agent': '[redacted]',
      'x-auth': '[redacted]',
      'x-api-key': '[redacted]',
    })
  })

  it('removes token-shaped values from shown headers and names', () => {
    expect(showHeaders({ 'user-agent': 'client Bearer abcdefgh12345', 'x-talq_abcdef': '1' })).toEqual({
      'user-agent': 'client [redacted]',
      'x-[redacted]': '[redacted]',
    })
  })
})
