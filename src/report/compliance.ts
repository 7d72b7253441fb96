import type {ComplianceCriterion, ComplianceReport} from '../model/compliance.js'
import type {AuditResult} from '../model/finding.js'
import {cmp, ruleSet, sortForReport, summarize} from './summary.js'
import type {RuleMeta} from './types.js'

/** Short names of the SOC 2 trust-services criteria (AICPA TSC 2017, revised points of focus 2022). */
export const SOC2_CRITERIA: Readonly<Record<string, string>> = {
  'CC6.1': 'Logical access security over protected information assets',
  'CC6.2': 'Registration and authorization of users and system credentials',
  'CC6.3': 'Role-based access, least privilege and segregation of duties',
  'CC6.6': 'Protection against threats from outside the system boundaries',
  'CC6.7': 'Restricted and protected transmission of information',
  'CC6.8': 'Prevention or detection of unauthorized or malicious software',
  'CC7.1': 'Detection of configuration changes that introduce vulnerabilities',
  'CC7.2': 'Monitoring of system components for anomalies',
  'CC7.3': 'Evaluation of security events',
  'CC7.4': 'Response to identified security incidents',
  'CC8.1': 'Authorized, tested and approved changes to infrastructure and software',
  'A1.1': 'Capacity management',
  'A1.2': 'Environmental protections, backup and recovery infrastructure',
  'C1.1': 'Identification and maintenance of confidential information',
}

const SERIES = ['CC', 'A', 'C', 'PI', 'P']

/** CC before A, C, PI, P (the order of the criteria document); numbers compared as numbers. */
export function compareCriteria(a: string, b: string): number {
  const pa = parseCriterion(a)
  const pb = parseCriterion(b)
  return pa.series - pb.series || pa.major - pb.major || pa.minor - pb.minor || cmp(a, b)
}

function parseCriterion(id: string): {series: number; major: number; minor: number} {
  const m = /^([A-Z]+)(\d+)(?:\.(\d+))?$/.exec(id)
  const series = m ? SERIES.indexOf(m[1] ?? '') : -1
  return {
    series: series === -1 ? SERIES.length : series,
    major: Number(m?.[2] ?? Number.MAX_SAFE_INTEGER),
    minor: Number(m?.[3] ?? 0),
  }
}

/**
 * Groups the findings by SOC 2 criterion: a finding appears under every criterion its rule names,
 * and each criterion lists every rule of the run giving evidence for it, with or without findings,
 * so an auditor sees what was checked, what was found and what could be checked only in part.
 */
export function buildCompliance(
  result: AuditResult,
  rules: readonly RuleMeta[] | undefined,
): ComplianceReport {
  const gapRules = new Set(result.coverage.gaps.flatMap((g) => g.rules ?? []))
  const all = ruleSet(rules, result.findings, [...gapRules])
  const findings = sortForReport(result.findings)
  const criterionIds = [...new Set(all.flatMap((r) => r.soc2))].sort(compareCriteria)
  const criteria: ComplianceCriterion[] = criterionIds.map((id) => {
    const evidence = all.filter((r) => r.soc2.includes(id))
    const ruleIds = new Set(evidence.map((r) => r.id))
    const filed = findings.filter((f) => ruleIds.has(f.rule))
    return {
      id,
      name: SOC2_CRITERIA[id] ?? id,
      summary: summarize(filed),
      rules: evidence.map((r) => ({
        id: r.id,
        title: r.title,
        findings: filed.filter((f) => f.rule === r.id).length,
        checked: gapRules.has(r.id) ? 'partial' : 'full',
      })),
      findings: filed.map((f) => f.fingerprint),
    }
  })
  return {framework: 'soc2', criteria}
}

/** Rules of the run that map to no criterion: listed so an auditor knows they are outside the mapping. */
export function unmappedRules(rules: readonly RuleMeta[] | undefined, result: AuditResult): string[] {
  return ruleSet(rules, result.findings)
    .filter((r) => r.soc2.length === 0)
    .map((r) => r.id)
}
