/**
 * What a SARIF file must be for GitHub code scanning to accept it and keep alerts apart, beyond
 * the SARIF 2.1.0 schema: the rules of GitHub's "SARIF support for code scanning" page
 * (required properties, limits, categories), checked the same way by the unit tests of the
 * formatter and by the GitHub Action's test.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import AjvDraft04Module from 'ajv-draft-04'
import addFormatsModule from 'ajv-formats'
import type {Location, Log} from 'sarif'

import {ROOT} from './cli.js'

const SARIF_SCHEMA = join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json')
// Both packages are CommonJS with a default export; under Node16 ESM interop the class arrives wrapped.
type AjvDraft04 = InstanceType<typeof AjvDraft04Module.default>
const AjvDraft04 = AjvDraft04Module.default
const addFormats = ((addFormatsModule as unknown as {default?: unknown}).default ?? addFormatsModule) as (
  ajv: AjvDraft04,
) => AjvDraft04
// The official schema's `language` pattern is not valid with the `u` flag; ajv compiles it without.
const ajv = new AjvDraft04({allErrors: true, strict: false, unicodeRegExp: false})
addFormats(ajv)
const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')) as object)

/** Schema errors as one string, or null when the log is valid SARIF 2.1.0. */
export function sarifSchemaErrors(log: unknown): string | null {
  return validate(log) ? null : ajv.errorsText(validate.errors)
}

/** SARIF §3.33.7: the logical-location kinds a consumer knows. */
const LOGICAL_KINDS = new Set([
  'function',
  'member',
  'module',
  'namespace',
  'parameter',
  'resource',
  'returnType',
  'type',
  'variable',
  'object',
  'array',
  'property',
  'value',
  'element',
  'text',
  'attribute',
  'comment',
  'declaration',
  'dtd',
  'processingInstruction',
])

/** GitHub's upload limits (docs: "SARIF support for code scanning", upload limits). */
const LIMITS = {
  runs: 20,
  resultsPerRun: 25_000,
  rulesPerRun: 25_000,
  locationsPerResult: 1_000,
  tagsPerRule: 20,
}

/** The category code scanning reads from `runAutomationDetails.id`: everything before the last `/`. */
export function categoryOf(id: string): string {
  const slash = id.lastIndexOf('/')
  return slash < 0 ? id : id.slice(0, slash)
}

/**
 * Every way `log` breaks GitHub code scanning's rules; empty when it would be accepted with
 * alerts kept apart per run category. Messages name the run and result index, never values.
 */
export function codeScanningProblems(log: Log): string[] {
  const problems: string[] = []
  const add = (where: string, what: string) => problems.push(`${where}: ${what}`)
  if (log.version !== '2.1.0') add('log', 'version must be 2.1.0')
  if (!log.runs || log.runs.length === 0) add('log', 'no runs')
  if (log.runs.length > LIMITS.runs) add('log', `more than ${LIMITS.runs} runs`)
  const categories = new Map<string, number>()
  log.runs.forEach((run, r) => {
    const at = `runs[${r}]`
    const driver = run.tool?.driver
    if (!driver?.name) add(at, 'tool.driver.name is required')
    const id = run.automationDetails?.id
    if (!id) add(at, 'runAutomationDetails.id is required to keep categories apart')
    else {
      const key = `${driver?.name ?? ''}\u0000${categoryOf(id)}`
      if (categories.has(key)) add(at, `same tool and category as runs[${categories.get(key)}] (rejected)`)
      categories.set(key, r)
    }
    const rules = driver?.rules ?? []
    if (rules.length > LIMITS.rulesPerRun) add(at, 'too many rules')
    rules.forEach((rule, i) => {
      const ra = `${at}.rules[${i}]`
      if (!rule.id) add(ra, 'id is required')
      if (!rule.shortDescription?.text) add(ra, 'shortDescription.text is required')
      if (!rule.fullDescription?.text) add(ra, 'fullDescription.text is required')
      const tags = rule.properties?.tags
      if (Array.isArray(tags) && tags.length > LIMITS.tagsPerRule) add(ra, 'more than 20 tags')
      const sev = rule.properties?.['security-severity']
      if (sev !== undefined) {
        const n = typeof sev === 'string' ? Number(sev) : NaN
        if (!/^\d+(\.\d+)?$/.test(String(sev)) || n < 0 || n > 10)
          add(ra, 'security-severity must be a string number from 0.0 to 10.0')
      }
    })
    const results = run.results ?? []
    if (results.length > LIMITS.resultsPerRun) add(at, 'too many results')
    results.forEach((result, i) => {
      const ra = `${at}.results[${i}]`
      if (!result.ruleId) add(ra, 'ruleId is required')
      else if (!rules.some((x) => x.id === result.ruleId)) add(ra, 'ruleId names no rule of the run')
      if (result.ruleIndex !== undefined && rules[result.ruleIndex]?.id !== result.ruleId)
        add(ra, 'ruleIndex points at another rule')
      if (!result.message?.text) add(ra, 'message.text is required')
      if (result.level && !['none', 'note', 'warning', 'error'].includes(result.level)) add(ra, 'bad level')
      const locations = result.locations ?? []
      if (locations.length === 0) add(ra, 'at least one location is required')
      if (locations.length > LIMITS.locationsPerResult) add(ra, 'too many locations')
      locations.forEach((l, j) => checkLocation(l, `${ra}.locations[${j}]`, add))
      ;(result.relatedLocations ?? []).forEach((l, j) =>
        checkLocation(l, `${ra}.relatedLocations[${j}]`, add),
      )
      if (!result.partialFingerprints || Object.keys(result.partialFingerprints).length === 0)
        add(ra, 'partialFingerprints missing: alerts would be matched by line only')
    })
  })
  return problems
}

function checkLocation(l: Location, at: string, add: (where: string, what: string) => void): void {
  const uri = l.physicalLocation?.artifactLocation?.uri
  if (!uri) add(at, 'physicalLocation.artifactLocation.uri is required')
  else {
    if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/'))
      add(at, 'uri must be relative to the repository')
    if (/[\s<>"]/.test(uri)) add(at, 'uri must be percent-encoded')
  }
  const line = l.physicalLocation?.region?.startLine
  if (!Number.isInteger(line) || (line as number) < 1)
    add(at, 'physicalLocation.region.startLine is required (≥ 1)')
  for (const logical of l.logicalLocations ?? []) {
    if (logical.kind !== undefined && !LOGICAL_KINDS.has(logical.kind))
      add(at, `logical kind ${logical.kind}`)
  }
}
