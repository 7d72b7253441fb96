import {readFileSync} from 'node:fs'

import {createRequire} from 'node:module'

import type {Ajv as AjvClass, ErrorObject, ValidateFunction} from 'ajv'
import type addFormatsPlugin from 'ajv-formats'

import {parseDuration} from '../model/duration.js'
import {parseLabelSelector} from '../model/selector.js'

/**
 * ajv and ajv-formats (CommonJS, ~70 modules with their dependencies), loaded the first time a
 * file is validated: a command that reads no policy or suppressions file never loads them.
 */
function loadAjv(): {Ajv: typeof AjvClass; addFormats: typeof addFormatsPlugin.default} {
  const require = createRequire(import.meta.url)
  const formats = require('ajv-formats') as {default?: typeof addFormatsPlugin.default}
  return {
    Ajv: (require('ajv') as {Ajv: typeof AjvClass}).Ajv,
    // ajv-formats is CommonJS with `exports.default` (the module itself is the plugin too).
    addFormats: (formats.default ?? formats) as typeof addFormatsPlugin.default,
  }
}

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
    const {Ajv, addFormats} = loadAjv()
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
