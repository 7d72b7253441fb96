import {createHash} from 'node:crypto'

import type {Evidence, Finding, ResourceRef} from '../model/finding.js'
import type {Rule} from '../model/rule.js'
import type {Severity} from '../model/severity.js'

export interface FindingInput {
  resource: ResourceRef
  message: string
  remediation: string
  evidence?: Evidence
  related?: ResourceRef[]
  /** Distinguishes several findings of one rule on one resource (e.g. the variable name). */
  key?: string
  /** Per-finding severity (e.g. stale past 2× max age); defaults to the rule's. */
  severity?: Severity
}

type RuleHead = Pick<Rule, 'id' | 'severity' | 'title'>

export function makeFinding(rule: RuleHead, input: FindingInput): Finding {
  return {
    rule: rule.id,
    severity: input.severity ?? rule.severity,
    title: rule.title,
    message: input.message,
    resource: input.resource,
    related: input.related ?? [],
    evidence: input.evidence ?? {},
    remediation: input.remediation,
    fingerprint: findingFingerprint(rule.id, input.resource, input.key),
  }
}

/** Stable across runs and foundations' renames: rule + resource kind + guid + key. */
export function findingFingerprint(ruleId: string, resource: ResourceRef, key = ''): string {
  const h = createHash('sha256').update(`${ruleId}\u0000${resource.kind}\u0000${resource.guid}\u0000${key}`)
  return h.digest('hex').slice(0, 32)
}

/** Deterministic order: by severity is the report's job; rules sort by resource name then key. */
export function sortFindings(findings: Finding[]): Finding[] {
  // The order of `rule, then resource name, then fingerprint` (stable), without comparing rule
  // ids n·log n times: group by rule, order the few rule ids, sort each group on its own.
  const byRule = new Map<string, Finding[]>()
  for (const f of findings) {
    const group = byRule.get(f.rule)
    if (group) group.push(f)
    else byRule.set(f.rule, [f])
  }
  const sorted: Finding[] = []
  for (const rule of [...byRule.keys()].sort((a, b) => a.localeCompare(b))) {
    const group = (byRule.get(rule) as Finding[]).sort(
      (a, b) => a.resource.name.localeCompare(b.resource.name) || a.fingerprint.localeCompare(b.fingerprint),
    )
    for (const f of group) sorted.push(f)
  }
  return sorted
}
