import {resolve} from 'node:path'

import type {Suppression} from '../model/policy.js'
import {findOneOf, readNamedFile} from './files.js'
import {unknownRuleProblem} from './rule-ids.js'
import {firstProblemError, type FileProblem} from './schema-errors.js'
import {validateDocument} from './validate.js'
import {displayPath, parseYamlSource, positionOf, type DataPath, type YamlSource} from './yaml-source.js'

/** One entry as written in YAML (after schema validation). */
export interface SuppressionEntry {
  rule: string
  resource: string
  reason: string
  expires: string
}

export interface SuppressionFileOptions {
  /** The file name as shown in messages and in each suppression's `source`. */
  file: string
  /** Every rule id this cfguard knows (from the rule registry, passed in by the caller). */
  knownRuleIds: readonly string[]
  /** For the one-year horizon on `expires`. */
  now: Date
}

export const SUPPRESSION_FILE_NAMES = ['.cfguard-suppressions.yml', '.cfguard-suppressions.yaml'] as const

/** Suppressions may not run more than a year ahead: someone has to look at them again. */
export function latestExpiry(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear() + 1, now.getUTCMonth(), now.getUTCDate()))
  return d.toISOString().slice(0, 10)
}

/** Checks the schema cannot express: known rule ids and the expiry horizon. */
export function suppressionProblems(
  entries: readonly SuppressionEntry[],
  at: DataPath,
  knownRuleIds: readonly string[],
  now: Date,
): FileProblem[] {
  const horizon = latestExpiry(now)
  const problems: FileProblem[] = []
  entries.forEach((entry, i) => {
    const unknown = unknownRuleProblem(entry.rule, knownRuleIds, [...at, i, 'rule'])
    if (unknown) problems.push(unknown)
    if (entry.expires > horizon) {
      problems.push({
        path: [...at, i, 'expires'],
        message: `${displayPath([...at, i, 'expires'])} ${entry.expires} is more than a year ahead; pick a date on or before ${horizon} (suppressions are reviewed at least yearly)`,
      })
    }
  })
  return problems
}

export function toSuppressions(
  src: YamlSource,
  entries: readonly SuppressionEntry[],
  at: DataPath,
): Suppression[] {
  return entries.map((entry, i) => ({
    rule: entry.rule,
    resource: entry.resource,
    reason: entry.reason.trim(),
    expires: entry.expires,
    source: `${src.file}:${positionOf(src, [...at, i]).line}`,
  }))
}

/** Parses a suppression file (`version: 1`, `suppressions: [...]`). Pure. */
export function parseSuppressions(text: string, opts: SuppressionFileOptions): Suppression[] {
  const src = parseYamlSource(text, opts.file)
  const data = validateDocument<{version: 1; suppressions: SuppressionEntry[]}>(src, 'suppressions')
  const error = firstProblemError(
    src,
    suppressionProblems(data.suppressions, ['suppressions'], opts.knownRuleIds, opts.now),
  )
  if (error) throw error
  return toSuppressions(src, data.suppressions, ['suppressions'])
}

export interface LoadSuppressionsOptions {
  cwd: string
  /** `--suppressions FILE` / CFGUARD_SUPPRESSIONS: must exist. */
  path?: string
  /** Where to look for `.cfguard-suppressions.yml` when no path is given (the policy file's folder, else cwd). */
  searchDir?: string
  knownRuleIds: readonly string[]
  now?: Date
}

export interface LoadedSuppressions {
  suppressions: Suppression[]
  /** The file read, as shown to people; null when there was none. */
  source: string | null
}

/** Reads the named suppression file, or `.cfguard-suppressions.yml` in `searchDir` when there is one. */
export async function loadSuppressions(opts: LoadSuppressionsOptions): Promise<LoadedSuppressions> {
  const now = opts.now ?? new Date()
  if (opts.path !== undefined && opts.path !== '') {
    const text = await readNamedFile(opts.cwd, opts.path, '--suppressions / CFGUARD_SUPPRESSIONS')
    return {
      suppressions: parseSuppressions(text, {file: opts.path, knownRuleIds: opts.knownRuleIds, now}),
      source: opts.path,
    }
  }
  const found = await findOneOf(opts.cwd, resolve(opts.cwd, opts.searchDir ?? '.'), SUPPRESSION_FILE_NAMES)
  if (!found) return {suppressions: [], source: null}
  return {
    suppressions: parseSuppressions(found.text, {file: found.file, knownRuleIds: opts.knownRuleIds, now}),
    source: found.file,
  }
}
