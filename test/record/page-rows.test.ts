import { describe, expect, it } from 'vitest'
import { dataRows } from '../../src/record/page-rows.js'

describe('cutting a page into row texts', () => {
  it.each([
    ['two rows', '{"success":true,"data":[{"id":"a"},{"id":"b"}],"pagination":{"total":2}}', ['{"id":"a"}', '{"id":"b"}']],
    ['no rows', '{"success":true,"data":[],"pagination":{"total":0}}', []],
    ['brackets, braces and escaped quotes inside strings', '{"data":[{"b":"]},\\"[{"},{"c":"\\\\"}]}', ['{"b":"]},\\"[{"}', '{"c":"\\\\"}']],
    ['nested arrays and objects', '{"data":[{"p":{"x":[1,{"y":[]}]}},{"q":[[],[]]}]}', ['{"p":{"x":[1,{"y":[]}]}}', '{"q":[[],[]]}']],
    ['pretty-printed JSON', '{\n  "data": [\n    {"id": "a"},\n    {"id": "b"}\n  ]\n}', ['{"id": "a"}', '{"id": "b"}']],
    ['a "data" key deeper down first', '{"meta":{"data":[1]},"data":[{"id":"a"}]}', ['{"id":"a"}']],
    ['a "data" string value', '{"message":"data","data":[{"id":"a"}]}', ['{"id":"a"}']],
  ])('%s', (_, text, rows) => {
    expect(dataRows(text)).toEqual(rows)
    for (const row of rows) expect(() => JSON.parse(row)).not.toThrow()
  })

  it('answers undefined without a data array', () => {
    expect(dataRows('{"success":false,"message":"Agent not found in this environment."}')).toBeUndefined()
    expect(dataRows('{"data":{"webhooks":[]}}')).toBeUndefined()
  })
})
