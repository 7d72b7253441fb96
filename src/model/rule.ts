import type {Finding} from './finding.js'
import type {Policy} from './policy.js'
import type {Severity} from './severity.js'
import type {Need, Snapshot} from './snapshot.js'

export type RuleFamily = 'identity' | 'routes'

/** Opt-in rules run only when their flag (or --baseline) asked for the data. */
export type OptIn = 'check-issuers' | 'verify-credentials' | 'traffic' | 'baseline'

/**
 * One rule, one file (checks/<family>/<name>.ts). `run` is pure: no I/O, time comes in as `now`,
 * output sorted deterministically. Severity may be raised per finding (stale-credential past 2×)
 * but the policy's override wins.
 */
export interface Rule {
  id: string
  family: RuleFamily
  severity: Severity
  title: string
  /** Why it matters and how to fix it; shown by `cfguard rules` and in SARIF. */
  docs: string
  /** Data the rule reads; when any is not fully readable the runner records a coverage gap. */
  needs: Need[]
  /** SOC 2 trust-services criteria this rule gives evidence for, e.g. CC6.1. */
  soc2: string[]
  optIn?: OptIn
  run(snapshot: Snapshot, policy: Policy, now: Date): Finding[]
}
