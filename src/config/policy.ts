import {dirname, resolve} from 'node:path'

import {DAY_MS, parseDuration} from '../model/duration.js'
import {DEFAULT_POLICY, type AppSelector, type IdentitySource, type Policy} from '../model/policy.js'
import type {Severity} from '../model/severity.js'
import {findOneOf, readNamedFile} from './files.js'
import {unknownRuleProblem} from './rule-ids.js'
import {firstProblemError, type FileProblem} from './schema-errors.js'
import {loadSuppressions, suppressionProblems, toSuppressions, type SuppressionEntry} from './suppressions.js'
import {validateDocument} from './validate.js'
import {parseYamlSource, where, type YamlSource} from './yaml-source.js'

/** `cfguard.yml` as written (camelCase keys), after schema validation (schemas/policy.schema.json). */
export interface PolicyFile {
  version: 1
  identity?: {
    maxCredentialAge?: string | number
    requiredFor?: AppSelector[]
    sources?: IdentitySource[]
    allowedIssuers?: string[]
    sharedClient?: {maxSpaces?: number; maxApps?: number | null}
  }
  routes?: {
    internalApps?: AppSelector[]
    loadBalancing?: {apps: AppSelector; algorithm: string}[]
    sensitivePaths?: string[]
    sensitiveHostSuffixes?: string[]
    trafficImbalanceFactor?: number
  }
  rules?: {disable?: string[]; only?: string[]; severity?: Record<string, Severity>}
  suppressions?: SuppressionEntry[]
}

export const POLICY_FILE_NAMES = ['cfguard.yml', 'cfguard.yaml'] as const

export interface ParsePolicyOptions {
  /** The file name as shown in messages (`cfguard.yml`, `ci/policy.yml`). */
  file: string
  /** Every rule id this cfguard knows; passed in so config/ does not depend on the rule registry. */
  knownRuleIds: readonly string[]
  now: Date
}

export interface ParsedPolicy {
  policy: Policy
  warnings: string[]
}

/**
 * Parses and validates a policy file and merges it over DEFAULT_POLICY. Pure. The first problem
 * (YAML syntax, schema, unknown rule id, expiry horizon) is thrown as one POLICY_INVALID line
 * `file:line:column: what is wrong; what to do` (exit 2).
 */
export function parsePolicy(text: string, opts: ParsePolicyOptions): ParsedPolicy {
  const src = parseYamlSource(text, opts.file)
  const data = validateDocument<PolicyFile>(src, 'policy')
  const error = firstProblemError(src, policyProblems(data, opts))
  if (error) throw error
  return {policy: toPolicy(data, src), warnings: policyWarnings(data, src)}
}

function policyProblems(data: PolicyFile, opts: ParsePolicyOptions): FileProblem[] {
  const known = opts.knownRuleIds
  const problems: (FileProblem | null)[] = []
  data.rules?.disable?.forEach((id, i) =>
    problems.push(unknownRuleProblem(id, known, ['rules', 'disable', i])),
  )
  data.rules?.only?.forEach((id, i) => problems.push(unknownRuleProblem(id, known, ['rules', 'only', i])))
  for (const id of Object.keys(data.rules?.severity ?? {})) {
    problems.push(
      unknownRuleProblem(id, known, ['rules', 'severity', id], {key: true, under: ['rules', 'severity']}),
    )
  }
  problems.push(...suppressionProblems(data.suppressions ?? [], ['suppressions'], known, opts.now))
  return problems.filter((p): p is FileProblem => p !== null)
}

function policyWarnings(data: PolicyFile, src: YamlSource): string[] {
  const only = data.rules?.only ?? []
  return (data.rules?.disable ?? []).flatMap((id, i) =>
    only.includes(id)
      ? [
          `${where(src, ['rules', 'disable', i])}: ${id} is in both rules.only and rules.disable; it will not run`,
        ]
      : [],
  )
}

function toPolicy(data: PolicyFile, src: YamlSource): Policy {
  const d = DEFAULT_POLICY
  const identity = data.identity ?? {}
  const routes = data.routes ?? {}
  const rules = data.rules ?? {}
  return {
    maxCredentialAgeDays:
      identity.maxCredentialAge === undefined ? d.maxCredentialAgeDays : toDays(identity.maxCredentialAge),
    identity: {
      required: (identity.requiredFor ?? d.identity.required).map(toSelector),
      sources: [...(identity.sources ?? d.identity.sources)],
      allowedIssuers: [...(identity.allowedIssuers ?? d.identity.allowedIssuers)],
      sharedClientMaxSpaces: identity.sharedClient?.maxSpaces ?? d.identity.sharedClientMaxSpaces,
      sharedClientMaxApps:
        identity.sharedClient?.maxApps === undefined
          ? d.identity.sharedClientMaxApps
          : identity.sharedClient.maxApps,
    },
    routes: {
      internalApps: (routes.internalApps ?? d.routes.internalApps).map(toSelector),
      loadBalancing: (routes.loadBalancing ?? []).map((lb) => ({
        selector: toSelector(lb.apps),
        algorithm: lb.algorithm,
      })),
      sensitivePaths: [...(routes.sensitivePaths ?? d.routes.sensitivePaths)],
      sensitiveHostSuffixes: [...(routes.sensitiveHostSuffixes ?? d.routes.sensitiveHostSuffixes)],
      trafficImbalanceFactor: routes.trafficImbalanceFactor ?? d.routes.trafficImbalanceFactor,
    },
    severityOverrides: {...rules.severity},
    disabledRules: [...(rules.disable ?? [])],
    enabledOnly: rules.only ? [...rules.only] : null,
    suppressions: toSuppressions(src, data.suppressions ?? [], ['suppressions']),
  }
}

/** `90d`, `12w`, `36h` (any duration) or a plain number of days. */
function toDays(value: string | number): number {
  return typeof value === 'number' ? value : parseDuration(value, 'maxCredentialAge') / DAY_MS
}

/** A copy with only the parts the file gave (so an absent part never reads as "match nothing"). */
function toSelector(selector: AppSelector): AppSelector {
  const out: AppSelector = {}
  if (selector.labelSelector !== undefined) out.labelSelector = selector.labelSelector
  if (selector.name !== undefined) out.name = selector.name
  if (selector.orgs !== undefined) out.orgs = [...selector.orgs]
  if (selector.spaces !== undefined) out.spaces = [...selector.spaces]
  return out
}

export interface LoadPolicyOptions {
  /** Where `cfguard.yml` and `.cfguard-suppressions.yml` are looked for, and relative paths resolve. */
  cwd: string
  /** `--policy FILE` / CFGUARD_POLICY: must exist. Without it `cfguard.yml` in cwd is used when present. */
  path?: string
  /** `--suppressions FILE` / CFGUARD_SUPPRESSIONS: replaces the `.cfguard-suppressions.yml` next to the policy. */
  suppressionsPath?: string
  knownRuleIds: readonly string[]
  now?: Date
}

export interface LoadedPolicy {
  policy: Policy
  /** The policy file read, as shown to people; null when defaults apply. */
  source: string | null
  /** The separate suppression file read, if any. */
  suppressionsSource: string | null
  warnings: string[]
}

/**
 * Finds, reads and validates the policy file and the suppression file, and returns the policy the
 * checks read: the file's settings over DEFAULT_POLICY, suppressions from both files.
 */
export async function loadPolicy(opts: LoadPolicyOptions): Promise<LoadedPolicy> {
  const now = opts.now ?? new Date()
  let file: {file: string; text: string} | null
  if (opts.path !== undefined && opts.path !== '') {
    file = {file: opts.path, text: await readNamedFile(opts.cwd, opts.path, '--policy / CFGUARD_POLICY')}
  } else {
    file = await findOneOf(opts.cwd, opts.cwd, POLICY_FILE_NAMES)
  }
  const parsed: ParsedPolicy = file
    ? parsePolicy(file.text, {file: file.file, knownRuleIds: opts.knownRuleIds, now})
    : {policy: structuredClone(DEFAULT_POLICY), warnings: []}
  const extra = await loadSuppressions({
    cwd: opts.cwd,
    path: opts.suppressionsPath,
    searchDir: file ? dirname(resolve(opts.cwd, file.file)) : opts.cwd,
    knownRuleIds: opts.knownRuleIds,
    now,
  })
  return {
    policy: {...parsed.policy, suppressions: [...parsed.policy.suppressions, ...extra.suppressions]},
    source: file?.file ?? null,
    suppressionsSource: extra.source,
    warnings: parsed.warnings,
  }
}
