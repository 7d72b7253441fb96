import type {ErrorObject} from 'ajv'

import {CfguardError} from '../errors.js'
import {labelSelectorProblem} from './schema.js'
import {closest} from '../util/suggest.js'
import {displayPath, pointerToPath, positionOf, yaml, type DataPath, type YamlSource} from './yaml-source.js'

/** One problem in a file: where (a value, or with `key` the key itself) and what to do about it. */
export interface FileProblem {
  path: DataPath
  key?: boolean
  message: string
}

interface SchemaNode {
  title?: string
  description?: string
  examples?: unknown[]
  properties?: Record<string, SchemaNode>
}

const FORMAT_HINTS: Record<string, string> = {
  'cfguard-duration': 'use a number with a unit such as 90d, 12w or 36h, or a plain number of days',
  date: 'use a real calendar date, e.g. 2027-03-31',
  uri: 'use a full URL such as https://login.sys.example.com/oauth/token',
  'cf-label-selector':
    'use key, !key, key=value, key!=value, key in (a,b) or key notin (a,b), separated by commas',
}

const COMPARISONS: Record<string, string> = {
  minimum: 'at least',
  exclusiveMinimum: 'above',
  maximum: 'at most',
  exclusiveMaximum: 'below',
}

/** Turns one ajv error (verbose mode) into a located problem with a next step; null to skip it. */
export function schemaProblem(error: ErrorObject): FileProblem | null {
  const at = pointerToPath(error.instancePath)
  const schema = (error.parentSchema ?? {}) as SchemaNode
  const where = displayPath(at)
  const subject = where === '' ? 'the file' : where
  const noun = schema.title ?? 'a valid value'
  const propertyName = (error as ErrorObject & {propertyName?: string}).propertyName
  switch (error.keyword) {
    case 'propertyNames':
      return null // its inner error (with propertyName) says more
    case 'additionalProperties': {
      const unknown = String(error.params.additionalProperty)
      const allowed = Object.keys(schema.properties ?? {})
      const guess = closest(unknown, allowed)
      const hint = guess ? `did you mean "${guess}"?` : `use one of: ${allowed.join(', ')}`
      return {
        path: [...at, unknown],
        key: true,
        message: `unknown key "${unknown}" ${where === '' ? 'at the top level' : `in ${where}`}; ${hint}`,
      }
    }
    case 'required': {
      const missing = String(error.params.missingProperty)
      const example = schema.properties?.[missing]?.examples?.[0]
      const add = example === undefined ? missing : `${missing}: ${inline(example)}`
      return {path: at, message: `${subject} is missing "${missing}"; add ${add}`}
    }
    case 'type':
      if (at.length === 0) {
        return {
          path: at,
          message: `the file must be a YAML mapping that starts with version: 1, not ${show(error.data)}`,
        }
      }
      if (error.data === null) {
        return {path: at, message: `${subject} is empty; give ${noun}${exampleHint(at, schema)}`}
      }
      return {
        path: at,
        message: `${subject} must be ${noun}, not ${show(error.data)}${exampleHint(at, schema)}`,
      }
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map(String).join(', ')
      return {path: at, message: `${subject}: ${show(error.data)} is not ${noun}; use one of: ${allowed}`}
    }
    case 'const':
      return {
        path: at,
        message: `${subject} is ${show(error.data)}; it must be ${inline(error.params.allowedValue)}`,
      }
    case 'format': {
      const format = String(error.params.format)
      const detail = format === 'cf-label-selector' ? selectorDetail(String(error.data)) : null
      const problem = detail
        ? `${show(error.data)} is not ${noun} (${detail})`
        : `${show(error.data)} is not ${noun}`
      return {path: at, message: `${subject}: ${problem}; ${FORMAT_HINTS[format] ?? `use ${noun}`}`}
    }
    case 'pattern':
    case 'minLength': {
      if (propertyName !== undefined) {
        return {
          path: [...at, propertyName],
          key: true,
          message: `${subject}: key "${propertyName}" is not ${noun}${exampleHint([], schema)}`,
        }
      }
      if (typeof error.data === 'string' && error.data.trim() === '') {
        return {path: at, message: `${subject} is empty; give ${noun}${exampleHint(at, schema)}`}
      }
      return {path: at, message: `${subject}: ${show(error.data)} is not ${noun}${exampleHint(at, schema)}`}
    }
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum':
      return {
        path: at,
        message: `${subject} is ${show(error.data)}; it must be ${COMPARISONS[error.keyword]} ${String(error.params.limit)}`,
      }
    case 'minItems':
      return {path: at, message: `${subject} is empty; list at least one item${exampleHint(at, schema)}`}
    case 'minProperties': {
      const parts = Object.keys(schema.properties ?? {}).join(', ')
      return {path: at, message: `${subject} is empty; give at least one of: ${parts}`}
    }
    default:
      return {path: at, message: `${subject} ${error.message ?? 'is not valid'}`}
  }
}

/** The first problem in file order (line, then column), as one POLICY_INVALID error line. */
export function firstProblemError(src: YamlSource, problems: FileProblem[]): CfguardError | null {
  const located = problems.map((p) => ({...p, pos: positionOf(src, p.path, {key: p.key})}))
  located.sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col)
  const first = located[0]
  if (!first) return null
  return new CfguardError(
    'POLICY_INVALID',
    `${src.file}:${first.pos.line}:${first.pos.col}: ${first.message}`,
  )
}

export function schemaErrorsToProblems(errors: readonly ErrorObject[]): FileProblem[] {
  // A key missing next to an unknown key is most likely a typo of it: report the unknown key.
  const withUnknownKey = new Set(
    errors.filter((e) => e.keyword === 'additionalProperties').map((e) => e.instancePath),
  )
  return errors
    .filter((e) => !(e.keyword === 'required' && withUnknownKey.has(e.instancePath)))
    .map(schemaProblem)
    .filter((p): p is FileProblem => p !== null)
}

function exampleHint(at: DataPath, schema: SchemaNode): string {
  const example = schema.examples?.[0]
  if (example === undefined) return ''
  const last = at[at.length - 1]
  const key = typeof last === 'string' && !/^\d+$/.test(last) ? `${last}: ` : ''
  return ` (for example ${key}${inline(example)})`
}

/** A value as YAML on one line. */
export function inline(value: unknown): string {
  return yaml().stringify(value, {collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0}).trim()
}

/** A value as people see it in a message; long strings are cut. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return 'empty'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)
  return String(value)
}

/** Where the selector parser choked, when that says more than the whole selector. */
function selectorDetail(selector: string): string | null {
  const problem = labelSelectorProblem(selector)
  const near = problem ? /near "(.*)"$/.exec(problem) : null
  if (!problem || (near && near[1]?.trim() === selector.trim())) return null
  return near ? `near "${near[1]}"` : problem
}
