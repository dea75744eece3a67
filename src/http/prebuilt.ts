// Build-time artefacts of the packaged openapi.yaml, which scripts/build-artefacts.mjs writes into
// dist/prebuilt/ at `npm run build`: the document as JSON, and its Ajv validators as standalone code.
// Both are keyed by the SHA-256 of the YAML text, so an edited or user-supplied --spec never matches
// and is parsed and compiled at start-up as before. Run from src/ (tests) there are none.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

/** Where the artefacts live: dist/prebuilt/ next to dist/http/. */
export const PREBUILT_DIR = fileURLToPath(new URL('../prebuilt/', import.meta.url))

/** A validator as Ajv's standalone code exports it (the same shape as Ajv's ValidateFunction). */
export type PrebuiltValidator = ((data: unknown) => boolean) & { errors?: unknown[] | null }

/**
 * The SHA-256 of a document's text, hex: the key of every artefact.
 * @example
 * hashText('openapi: 3.1.0') //=> '5b0c…'
 */
export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** A module of src/ loads a CommonJS file or package synchronously with this (ajv, yaml, the artefacts). */
export const requireHere = createRequire(import.meta.url)

let specJson: { hash: string; json: string } | null | undefined

/**
 * The packaged document as JSON text, when the YAML with this hash is the one it was built from.
 * @example
 * prebuiltSpecJson(hashText(readFileSync(DEFAULT_SPEC_PATH, 'utf8'))) //=> '{"openapi":"3.1.0",…' (built) or undefined (src/)
 */
export function prebuiltSpecJson(hash: string): string | undefined {
  if (specJson === undefined) specJson = readJson(`${PREBUILT_DIR}spec.json`) as typeof specJson
  return specJson?.hash === hash ? specJson.json : undefined
}

let validators: Record<string, PrebuiltValidator> | null | undefined

/**
 * The standalone validator of the packaged document named `name` (`listWebhookLogs.query`, …),
 * when the YAML with this hash is the one it was generated from. Its code is loaded the first
 * time it validates, so a start-up loads none of them.
 * @example
 * prebuiltValidator(spec.hash, 'listWebhookLogs.query')?.({ per_page: 50 }) //=> true (built) — undefined from src/
 */
export function prebuiltValidator(hash: string, name: string): PrebuiltValidator | undefined {
  if (validators === undefined) validators = requireIfPresent(`${PREBUILT_DIR}validators.cjs`) as typeof validators
  const index = validators as (Record<string, PrebuiltValidator> & { specHash?: string }) | null
  if (index?.specHash !== hash || !Object.hasOwn(index, name)) return undefined
  let code: PrebuiltValidator | undefined
  const validate: PrebuiltValidator = (data) => {
    code ??= index[name]
    const ok = code(data)
    validate.errors = code.errors
    return ok
  }
  return validate
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}

function requireIfPresent(file: string): unknown {
  try {
    return requireHere(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return null
    throw error
  }
}
