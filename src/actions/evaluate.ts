import {runChecks, selectRules, type CheckSelection} from '../checks/index.js'
import type {Baseline} from '../config/baseline.js'
import {applyBaseline} from '../config/baseline.js'
import {applySuppressions, type SuppressionNotice} from '../config/suppressions-apply.js'
import type {AuditResult} from '../model/finding.js'
import type {Policy} from '../model/policy.js'
import type {Rule} from '../model/rule.js'
import type {Snapshot} from '../model/snapshot.js'
import {summarize} from '../report/summary.js'
import type {CollectionStats} from '../collect/types.js'

export interface EvaluateInput {
  snapshot: Snapshot
  policy: Policy
  now: Date
  selection: CheckSelection
  collection: CollectionStats
  /** A previous result: only findings it does not have are reported (`--baseline`). */
  findingBaseline?: Baseline | null
}

export interface Evaluation {
  result: AuditResult
  rules: Rule[]
  notices: SuppressionNotice[]
}

/**
 * Snapshot → audit result: run the selected rules, merge coverage gaps from collection and from
 * the rules, drop suppressed findings (expired suppressions warn) and, with a baseline, findings
 * already reported before. Pure.
 */
export function evaluate(input: EvaluateInput): Evaluation {
  const {snapshot, policy, now} = input
  const rules = selectRules(policy, input.selection)
  const run = runChecks(snapshot, policy, now, rules)
  const suppression = applySuppressions(run.findings, policy.suppressions, now, {
    evaluatedRules: run.evaluated,
  })
  const suppressed = [...suppression.suppressed]
  let findings = suppression.kept
  if (input.findingBaseline) {
    const outcome = applyBaseline(findings, input.findingBaseline)
    findings = outcome.new
    for (const f of outcome.known) {
      suppressed.push({
        fingerprint: f.fingerprint,
        rule: f.rule,
        reason: `in baseline ${input.findingBaseline.source}`,
      })
    }
  }
  const result: AuditResult = {
    schemaVersion: 1,
    target: snapshot.target,
    generatedAt: now.toISOString(),
    summary: summarize(findings),
    findings,
    coverage: {
      apps: snapshot.apps.length,
      routes: snapshot.routes.length,
      serviceInstances: snapshot.serviceInstances.length,
      gaps: [...input.collection.gaps, ...run.gaps],
      auditEventsCreated: input.collection.auditEventsCreated,
      requests: input.collection.requests,
    },
    ...(suppressed.length > 0 ? {suppressed} : {}),
  }
  return {result, rules, notices: suppression.warnings}
}
