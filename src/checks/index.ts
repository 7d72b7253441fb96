import type {CoverageGap, Finding} from '../model/finding.js'
import type {Policy} from '../model/policy.js'
import type {Rule, RuleFamily} from '../model/rule.js'
import type {Need, Snapshot} from '../model/snapshot.js'
import {sortFindings} from './finding.js'
import {identityRules} from './identity/index.js'
import {routeRules} from './routes/index.js'

export const ALL_RULES: Rule[] = [...identityRules, ...routeRules]

export function findRule(id: string): Rule | undefined {
  return ALL_RULES.find((r) => r.id === id)
}

/** The need that carries an opt-in rule's data; `not-requested` there means "not asked for". */
const OPT_IN_NEED: Record<NonNullable<Rule['optIn']>, Need> = {
  'check-issuers': 'issuerProbes',
  'verify-credentials': 'credentialProbes',
  traffic: 'traffic',
  baseline: 'baseline',
}

export interface CheckRun {
  findings: Finding[]
  gaps: CoverageGap[]
  /** Rules that ran (possibly with gaps). */
  evaluated: string[]
}

export interface CheckSelection {
  families?: RuleFamily[]
  /** --rules: only these ids (or family prefixes like `routes/`). */
  only?: string[]
  /** --skip-rules */
  skip?: string[]
}

export function selectRules(policy: Policy, selection: CheckSelection = {}): Rule[] {
  const matches = (rule: Rule, patterns: string[]) =>
    patterns.some((p) => p === rule.id || (p.endsWith('/') && rule.id.startsWith(p)) || p === rule.family)
  return ALL_RULES.filter(
    (rule) =>
      (!selection.families || selection.families.includes(rule.family)) &&
      (!selection.only || matches(rule, selection.only)) &&
      !(selection.skip && matches(rule, selection.skip)) &&
      !policy.disabledRules.includes(rule.id) &&
      (!policy.enabledOnly || policy.enabledOnly.includes(rule.id)),
  )
}

/**
 * Runs rules over one snapshot. Pure. A rule whose data is not fully readable still runs on what
 * was read, and its missing needs become coverage gaps; an opt-in rule whose data was not asked
 * for is skipped without a gap.
 */
export function runChecks(snapshot: Snapshot, policy: Policy, now: Date, rules: Rule[]): CheckRun {
  const findings: Finding[] = []
  const gapsByWhy = new Map<string, CoverageGap>()
  const evaluated: string[] = []
  for (const rule of rules) {
    if (rule.optIn && snapshot.access[OPT_IN_NEED[rule.optIn]].state === 'not-requested') continue
    evaluated.push(rule.id)
    for (const need of rule.needs) {
      const access = snapshot.access[need]
      // `unsupported`: the foundation has no such data (e.g. route policies below CC 3.224), so
      // nothing went unread and there is no gap.
      if (access.state === 'full' || access.state === 'not-requested' || access.state === 'unsupported')
        continue
      const what = `${NEED_LABEL[need]} (${access.state === 'partial' ? 'partly read' : 'not read'})`
      const why = access.why ?? access.state
      const key = `${what}\u0000${why}`
      const gap = gapsByWhy.get(key) ?? {what, why, rules: []}
      gap.rules?.push(rule.id)
      gapsByWhy.set(key, gap)
    }
    const override = policy.severityOverrides[rule.id]
    for (const f of rule.run(snapshot, policy, now)) findings.push(override ? {...f, severity: override} : f)
  }
  return {findings: sortFindings(findings), gaps: [...gapsByWhy.values()], evaluated}
}

export const NEED_LABEL: Record<Need, string> = {
  env: 'app environment variables',
  upsCredentials: 'user-provided service credentials',
  bindingDetails: 'service binding and key credentials',
  instances: 'process instance state',
  auditEvents: 'audit events',
  networkPolicies: 'container-to-container network policies',
  uaaClients: 'UAA client details',
  routePolicies: 'route policies',
  issuerProbes: 'issuer discovery',
  credentialProbes: 'credential verification',
  traffic: 'Gorouter access logs',
  baseline: 'route baseline',
}
