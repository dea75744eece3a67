import { describe, expect, it } from 'vitest'
import { formatInstant, MAX_ADVANCE_SECONDS, parseDuration, parseInstant } from '../../src/clock/parse.js'

describe('parseDuration', () => {
  it.each([
    [3600, 3600],
    [0, 0],
    ['3600', 3600],
    ['1h30m', 5400],
    ['2d', 172_800],
    ['45s', 45],
    ['1d2h3m4s', 93_784],
    ['90m', 5400],
    [MAX_ADVANCE_SECONDS, MAX_ADVANCE_SECONDS],
  ])('reads %j as %i seconds', (value, seconds) => {
    expect(parseDuration(value)).toEqual({ ok: true, seconds })
  })

  it.each([[-1], [1.5], [''], ['1h-5m'], ['30m1h'], ['1 h'], ['soon'], [null], [true], [{}], [MAX_ADVANCE_SECONDS + 1], [Number.NaN]])(
    'refuses %j with one sentence',
    (value) => {
      const parsed = parseDuration(value)
      expect(parsed.ok).toBe(false)
      if (!parsed.ok) expect(parsed.problem).toMatch(/^Invalid advance .*: use whole seconds like 3600 or a duration like "1h30m" .*\.$/)
    },
  )
})

describe('parseInstant', () => {
  it.each([
    ['2024-01-16T00:00:00Z', 1_705_363_200],
    ['2024-01-16T01:00:00+01:00', 1_705_363_200],
    ['2024-01-16T00:00:00.999Z', 1_705_363_200],
    ['2024-01-16T00:00Z', 1_705_363_200],
  ])('reads %s', (text, seconds) => {
    expect(parseInstant(text)).toBe(seconds)
  })

  it.each([['2024-01-16'], ['2024-01-16T00:00:00'], ['tomorrow'], [''], [1_705_363_200], [undefined], ['2024-13-45T00:00:00Z']])('refuses %j', (text) => {
    expect(parseInstant(text)).toBeUndefined()
  })

  it('prints instants as the API does', () => {
    expect(formatInstant(1_705_320_000)).toBe('2024-01-15T12:00:00Z')
  })
})
