// Build-time artefacts of the packaged fixtures, which scripts/build-artefacts.mjs writes into
// dist/prebuilt/: each default fixture file already parsed and validated, keyed by the SHA-256 of
// the spec and of the file's text, and the fixture-file validator as standalone Ajv code, keyed by
// the spec's hash. Anything else (your --fixtures, another --spec, a run from src/) is parsed and
// validated at start-up as before.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const DIR = fileURLToPath(new URL('../prebuilt/', import.meta.url))

/** Loads a CommonJS package or file synchronously (ajv, yaml, the artefacts) when first needed. */
export const requireHere = createRequire(import.meta.url)

/** The SHA-256 of a text, hex. */
export const hashText = (text: string) => createHash('sha256').update(text).digest('hex')

/** The key of a fixture file's artefact: the spec's hash, how the file is parsed (json or yaml), and its text's hash. */
export const fixtureKey = (specHash: string, file: string, text: string) => `${specHash}:${/\.json$/i.test(file) ? 'json' : 'yaml'}:${hashText(text)}`

let parsed: Record<string, unknown> | null | undefined

/** A packaged fixture file as parsed and validated at build time, or undefined. */
export function prebuiltFixture(key: string): unknown {
  if (parsed === undefined) {
    try {
      parsed = JSON.parse(readFileSync(`${DIR}fixtures.json`, 'utf8')) as Record<string, unknown>
    } catch {
      parsed = null
    }
  }
  return parsed && Object.hasOwn(parsed, key) ? parsed[key] : undefined
}

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null }
let validator: (Validate & { specHash?: string }) | null | undefined

/** The fixture-file validator generated for the spec with this hash, or undefined. */
export function prebuiltFixtureValidator(specHash: string): Validate | undefined {
  if (validator === undefined) {
    try {
      validator = requireHere(`${DIR}fixture-validator.cjs`) as Validate & { specHash?: string }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error
      validator = null
    }
  }
  return validator?.specHash === specHash ? validator : undefined
}
