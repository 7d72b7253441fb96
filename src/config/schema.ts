import {readFileSync} from 'node:fs'

import {Ajv, type ErrorObject, type ValidateFunction} from 'ajv'
import addFormatsPlugin from 'ajv-formats'

import {parseDuration} from '../model/duration.js'
import {parseLabelSelector} from '../model/selector.js'

// ajv-formats is CommonJS with `exports.default`; under Node16 resolution the default import is the module.
const addFormats = ((addFormatsPlugin as unknown as {default?: unknown}).default ??
  addFormatsPlugin) as typeof addFormatsPlugin.default

export type SchemaName = 'policy' | 'suppressions'

/** The JSON Schemas ship in `schemas/` (package.json "files"), two levels above this module in src/ and lib/. */
const SCHEMA_DIR = new URL('../../schemas/', import.meta.url)

export function readSchema(name: SchemaName): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`${name}.schema.json`, SCHEMA_DIR), 'utf8')) as Record<
    string,
    unknown
  >
}

export function isDuration(text: string): boolean {
  try {
    return parseDuration(text) > 0
  } catch {
    return false
  }
}

/** The parser's complaint about a label selector, or null when it parses. */
export function labelSelectorProblem(text: string): string | null {
  try {
    parseLabelSelector(text)
    return text.trim() === '' ? 'it is empty' : null
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
}

let validators: Map<SchemaName, ValidateFunction> | undefined

/** Compiled once per process: strict ajv, every error (the caller reports the first in file order). */
export function validatorFor(name: SchemaName): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv({allErrors: true, verbose: true, strict: true, allowUnionTypes: true})
    addFormats(ajv, ['date', 'uri'])
    ajv.addFormat('cfguard-duration', {type: 'string', validate: isDuration})
    ajv.addFormat('cf-label-selector', {
      type: 'string',
      validate: (s: string) => labelSelectorProblem(s) === null,
    })
    const suppressions = readSchema('suppressions')
    const policy = readSchema('policy')
    ajv.addSchema(suppressions)
    ajv.addSchema(policy)
    validators = new Map([
      ['suppressions', ajv.getSchema(suppressions.$id as string) as ValidateFunction],
      ['policy', ajv.getSchema(policy.$id as string) as ValidateFunction],
    ])
  }
  return validators.get(name) as ValidateFunction
}

export type SchemaError = ErrorObject
