import type {Finding} from '../model/finding.js'
import {CfguardError} from '../errors.js'
import {MAX_BASELINE_BYTES, readNamedFile} from './files.js'
import {jsonErrorOffset, lineColumn} from './json-position.js'
import {displayPath, parseYamlSource, positionOf, type DataPath} from './yaml-source.js'

/** One finding a previous run reported (keyed on its fingerprint). */
export interface BaselineEntry {
  fingerprint: string
  rule: string
}

/** A previous `--json` audit result, reduced to what `applyBaseline` compares. */
export interface Baseline {
  /** The file read, as shown to people. */
  source: string
  generatedAt: string | null
  entries: BaselineEntry[]
}

export interface BaselineOutcome {
  /** Findings the baseline does not have: the ones a gate should fail on. */
  new: Finding[]
  /** Findings already in the baseline. */
  known: Finding[]
  /** Baseline findings no longer reported (fixed, or out of this run's scope). */
  gone: BaselineEntry[]
}

const HOW_TO_WRITE = 'use a file written by `cfguard audit --json > baseline.json`'

/**
 * Reads a baseline: the JSON envelope `{status, result, warnings}` of `cfguard audit --json` or
 * the bare result `{schemaVersion, findings, …}`. Anything else is one CONFIG_INVALID line
 * naming `file:line:column` (exit 2). Pure.
 */
export function parseBaseline(raw: string, file: string): Baseline {
  // Editors and PowerShell redirects may add a byte-order mark; JSON.parse refuses it.
  const text = raw.replace(/^\uFEFF/, '')
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    const offset = jsonErrorOffset(text)
    const {line, col} = lineColumn(text, offset)
    const what = offset >= text.length ? 'it ends too early' : `unexpected ${JSON.stringify(text[offset])}`
    throw new CfguardError(
      'CONFIG_INVALID',
      `${file}:${line}:${col}: the baseline is not valid JSON (${what}); ${HOW_TO_WRITE}`,
    )
  }
  const fail = (path: DataPath, problem: string) =>
    new CfguardError('CONFIG_INVALID', `${jsonWhere(text, file, path)}: ${problem}; ${HOW_TO_WRITE}`)

  if (!isObject(data)) throw fail([], `the baseline must be a cfguard audit result, not ${kind(data)}`)
  if ('error' in data && !('result' in data)) {
    throw fail(
      [],
      `the baseline is a cfguard error report (status ${String(data.status)}), not an audit result`,
    )
  }
  const at: DataPath = 'result' in data ? ['result'] : []
  const result = 'result' in data ? data.result : data
  if (!isObject(result))
    throw fail(at, `${name(at, 'the baseline')} must be an audit result, not ${kind(result)}`)
  if ('schemaVersion' in result && result.schemaVersion !== 1) {
    throw fail(
      [...at, 'schemaVersion'],
      `schemaVersion ${JSON.stringify(result.schemaVersion)} is not one this cfguard reads (1)`,
    )
  }
  if (!Array.isArray(result.findings)) {
    const where = 'findings' in result ? [...at, 'findings'] : at
    const problem =
      'findings' in result
        ? `${name([...at, 'findings'], 'findings')} must be a list, not ${kind(result.findings)}`
        : `${name(at, 'the baseline')} has no findings list (is it the output of an audit command?)`
    throw fail(where, problem)
  }
  const entries = result.findings.map((finding: unknown, i: number): BaselineEntry => {
    const path = [...at, 'findings', i]
    if (!isObject(finding)) throw fail(path, `${displayPath(path)} must be a finding, not ${kind(finding)}`)
    for (const key of ['fingerprint', 'rule'] as const) {
      const value = finding[key]
      if (typeof value !== 'string' || value === '') {
        throw fail(
          key in finding ? [...path, key] : path,
          `${displayPath(path)} has no ${key} (a non-empty string)`,
        )
      }
    }
    return {fingerprint: finding.fingerprint as string, rule: finding.rule as string}
  })
  const generatedAt = typeof result.generatedAt === 'string' ? result.generatedAt : null
  return {source: file, generatedAt, entries}
}

/** Reads `--baseline FILE` (must exist) and parses it. */
export async function loadBaseline(opts: {cwd: string; path: string}): Promise<Baseline> {
  const text = await readNamedFile(opts.cwd, opts.path, '--baseline / CFGUARD_BASELINE', MAX_BASELINE_BYTES)
  return parseBaseline(text, opts.path)
}

/** Splits findings into new and known by fingerprint, and lists baseline findings now gone. Pure. */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): BaselineOutcome {
  const before = new Set(baseline.entries.map((e) => e.fingerprint))
  const now = new Set(findings.map((f) => f.fingerprint))
  return {
    new: findings.filter((f) => !before.has(f.fingerprint)),
    known: findings.filter((f) => before.has(f.fingerprint)),
    gone: baseline.entries.filter((e) => !now.has(e.fingerprint)),
  }
}

/** `file:line:column` of a path inside valid JSON (JSON is YAML, so the YAML locator serves). */
function jsonWhere(text: string, file: string, path: DataPath): string {
  try {
    const pos = positionOf(parseYamlSource(text, file), path)
    return `${file}:${pos.line}:${pos.col}`
  } catch {
    return file
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function kind(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function name(path: DataPath, fallback: string): string {
  return path.length === 0 ? fallback : displayPath(path)
}
