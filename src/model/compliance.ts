import type {SeveritySummary} from './finding.js'

/** One rule giving evidence for a criterion, listed even when it found nothing ("what was checked"). */
export interface ComplianceRuleEvidence {
  id: string
  title: string
  findings: number
  /** `partial` when a coverage gap names this rule: it ran on incomplete data. */
  checked: 'full' | 'partial'
}

export interface ComplianceCriterion {
  /** Trust-services criterion id, e.g. `CC6.1`. */
  id: string
  name: string
  summary: SeveritySummary
  rules: ComplianceRuleEvidence[]
  /** Fingerprints of the findings filed under this criterion (a finding appears under each of its rule's criteria). */
  findings: string[]
}

/** `audit --compliance soc2`: findings grouped by SOC 2 trust-services criterion. */
export interface ComplianceReport {
  framework: 'soc2'
  criteria: ComplianceCriterion[]
}
