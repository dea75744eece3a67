// What the CLI prints never carries a secret it was given: a URL's user info and query values, a
// rejected --token. Runs the built CLI (dist/cli.js) and greps stdout and stderr for the secrets.
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'

const printed = async (args: string[]) => {
  const { stdout, stderr } = await runCli(args)
  return stdout + stderr
}

describe('the CLI never prints a secret it was given', () => {
  it('hides the password and the query of check-receiver --url when the receiver cannot be reached', async () => {
    const out = await printed(['check-receiver', '--url', 'http://u:PWCHECK@127.0.0.1:1/x?api_key=QSECRETZ', '--secret', 's', '--timeout', '2'])
    expect(out).toContain('Could not reach http://[redacted]@127.0.0.1:1/x?api_key=[redacted]')
    expect(out).not.toMatch(/PWCHECK|QSECRETZ/)
  })

  it('hides the password and the query of trigger --url when the mock cannot be reached', async () => {
    const out = await printed(['trigger', 'event_phone_call_ended', '--webhook', 'a/b', '--url', 'http://USR:PWTRIG@127.0.0.1:1/?k=QTRIG'])
    expect(out).toContain('Failed to reach talkover-mock at http://[redacted]@127.0.0.1:1/?k=[redacted]')
    expect(out).not.toMatch(/USR|PWTRIG|QTRIG/)
  })

  it.each([
    ['--deliver-allow', 'http://USR:PWSECRET@host'],
    ['--cors-origin', 'http://u:PWSECRET@x'],
    ['--allowed-hosts', 'USR:PWSECRET@host'],
  ])('hides the password of a rejected %s value in its error', async (flag, value) => {
    const out = await printed([flag, value])
    expect(out).toContain(`Invalid ${flag}`)
    expect(out).not.toContain('PWSECRET')
  })

  it('keeps the example of the --token error and never echoes the given value', async () => {
    const out = await printed(['--token', 'TOKSECRET123'])
    expect(out).toContain('like talq_local_dev')
    expect(out).not.toContain('TOKSECRET123')
    const talq = await printed(['--token', 'talq_ has a space'])
    expect(talq).not.toContain('has a space')
  })
})
