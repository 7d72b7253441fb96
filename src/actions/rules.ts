import {ALL_RULES} from '../checks/index.js'
import {usageError} from '../errors.js'
import type {Severity} from '../model/severity.js'

export interface RuleInfo {
  id: string
  family: string
  severity: Severity
  title: string
  docs: string
  soc2: string[]
  optIn: string | null
}

export function listRules(filter?: string): RuleInfo[] {
  const rules = ALL_RULES.filter((r) => !filter || r.id === filter || r.family === filter)
  if (filter && rules.length === 0) {
    throw usageError(`unknown rule "${filter}"`, 'run `cfguard rules` to list every rule id')
  }
  return rules
    .map((r) => ({
      id: r.id,
      family: r.family,
      severity: r.severity,
      title: r.title,
      docs: r.docs,
      soc2: r.soc2,
      optIn: r.optIn ?? null,
    }))
    .sort((a, b) => a.id.localeCompare(b.id))
}
