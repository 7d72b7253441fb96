import {usageError} from '../errors.js'
import type {Finding, ResourceRef, SeveritySummary} from '../model/finding.js'
import {SEVERITIES, type Severity, atOrAbove, isSeverity, severityRank} from '../model/severity.js'
import type {FailOn, RuleMeta} from './types.js'

export const FAIL_ON_VALUES: readonly FailOn[] = [...SEVERITIES, 'never']
export const DEFAULT_FAIL_ON: FailOn = 'high'

export function parseFailOn(value: string | undefined): FailOn {
  if (value === undefined || value === '') return DEFAULT_FAIL_ON
  const v = value.trim().toLowerCase()
  if (v === 'never' || isSeverity(v)) return v
  throw usageError(
    `--fail-on "${value}" is not one of ${FAIL_ON_VALUES.join(', ')}`,
    'use e.g. `--fail-on high` (the default) or `--fail-on never` to report without failing',
  )
}

export function summarize(findings: readonly Pick<Finding, 'severity'>[]): SeveritySummary {
  const summary: SeveritySummary = {critical: 0, high: 0, medium: 0, low: 0, info: 0}
  for (const f of findings) summary[f.severity] += 1
  return summary
}

export function isFailure(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'never' && atOrAbove(severity, failOn)
}

/** True when some finding is at or above `failOn`: the command exits 3. */
export function exceedsFailOn(
  findings: readonly Pick<Finding, 'severity'>[],
  failOn: FailOn = DEFAULT_FAIL_ON,
) {
  return findings.some((f) => isFailure(f.severity, failOn))
}

/** `acme/prod/billing-api`: org/space/name, leaving out what the resource does not have. */
export function resourcePath(ref: ResourceRef): string {
  return [ref.org, ref.space, ref.name]
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .join('/')
}

/** Worst first, then rule id, then resource (org, space, name), then fingerprint: the report order. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank[b.severity] - severityRank[a.severity] ||
    cmp(a.rule, b.rule) ||
    cmp(a.foundation ?? '', b.foundation ?? '') ||
    cmp(resourcePath(a.resource), resourcePath(b.resource)) ||
    cmp(a.resource.kind, b.resource.kind) ||
    cmp(a.fingerprint, b.fingerprint)
  )
}

export function sortForReport(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings)
}

/** Findings of each severity, worst first; severities without findings are left out. */
export function groupBySeverity(findings: readonly Finding[]): {severity: Severity; findings: Finding[]}[] {
  const sorted = sortForReport(findings)
  return SEVERITIES.map((severity) => ({
    severity,
    findings: sorted.filter((f) => f.severity === severity),
  })).filter((g) => g.findings.length > 0)
}

/**
 * The rule set of the run: the given metadata, plus any rule a finding or gap names that the
 * metadata lacks (described from the finding), sorted by id.
 */
export function ruleSet(
  rules: readonly RuleMeta[] | undefined,
  findings: readonly Finding[],
  gapRules: readonly string[] = [],
): RuleMeta[] {
  const byId = new Map<string, RuleMeta>()
  for (const r of rules ?? []) byId.set(r.id, r)
  for (const f of findings) {
    if (!byId.has(f.rule))
      byId.set(f.rule, {id: f.rule, severity: f.severity, title: f.title, docs: '', soc2: []})
  }
  for (const id of gapRules) {
    if (!byId.has(id)) byId.set(id, {id, severity: 'info', title: id, docs: '', soc2: []})
  }
  return [...byId.values()].sort((a, b) => cmp(a.id, b.id))
}

/** Code-unit order: the same on every machine and locale (localeCompare is not). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
