// Ajv's errors as Laravel 10 words them: which rule of a field fails first (Laravel checks a
// field's rules in the order they are written), and the sentence its validator writes for it.
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js'
import { fieldWords } from './errors.js'

/** Laravel checks a field's rules in the order they are written: required, type, format, in, sizes. */
const RULE_ORDER = ['required', 'type', 'format', 'enum', 'minItems', 'maxItems', 'minimum', 'maximum', 'minLength', 'maxLength']
const rank = (e: ErrorObject) => {
  const i = RULE_ORDER.indexOf(e.keyword)
  return i < 0 ? RULE_ORDER.length : i
}

/**
 * The error Laravel would report for each field, keyed by Laravel's dotted name (`events.0`).
 * Missing fields come first, in the order the schema requires them, as in the docs' example.
 */
export function firstErrorPerField(validate: ValidateFunction): Record<string, ErrorObject> {
  const out: Record<string, ErrorObject> = {}
  const missingFirst = [...(validate.errors ?? [])].sort((a, b) => Number(b.keyword === 'required') - Number(a.keyword === 'required'))
  for (const error of missingFirst) {
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    if (error.keyword === 'required') path.push(String(error.params.missingProperty))
    const name = path.join('.')
    if (name && (!out[name] || rank(error) < rank(out[name]))) out[name] = error
  }
  return out
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'an array',
  string: 'a string',
  number: 'a number',
}

/** The message Laravel 10 writes for the rule an Ajv error corresponds to. */
export function laravelMessage(field: string, error: ErrorObject): string {
  const words = fieldWords(field)
  switch (error.keyword) {
    case 'required':
      return `The ${words} field is required.`
    case 'type':
      return `The ${words} field must be ${TYPE_WORDS[String(error.params.type)] ?? `a ${error.params.type}`}.`
    case 'format':
      return error.params.format === 'uri' ? `The ${words} field must be a valid URL.` : `The ${words} field format is invalid.`
    case 'minItems':
      // The docs quote this wording (not Laravel 10's "must have at least 1 items").
      return `The ${words} field must contain at least ${error.params.limit} items.`
    case 'maxItems':
      return `The ${words} field must not have more than ${error.params.limit} items.`
    case 'minimum':
      return `The ${words} field must be at least ${error.params.limit}.`
    case 'maximum':
      return `The ${words} field must not be greater than ${error.params.limit}.`
    case 'minLength':
      return `The ${words} field must be at least ${error.params.limit} characters.`
    case 'maxLength':
      return `The ${words} field must not be greater than ${error.params.limit} characters.`
    case 'enum':
      return `The selected ${words} is invalid.`
    default:
      return `The ${words} field format is invalid.`
  }
}
