/** `cfguard rules` as a table or in detail (pure). */
import {renderTable} from '../render/table.js'
import type {RuleInfo} from '../../actions/rules.js'

export function renderRules(rules: RuleInfo[], detailed: boolean, width = 120): string {
  if (detailed) {
    return rules
      .map((r) => `${r.id}  (${r.severity})\n${r.title}\n\n${r.docs}\n\nSOC 2: ${r.soc2.join(', ') || '-'}\n`)
      .join('\n')
  }
  return renderTable(
    rules,
    [
      {header: 'RULE', kind: 'token', get: (r) => r.id},
      {header: 'SEVERITY', kind: 'token', get: (r) => r.severity},
      {header: 'SOC 2', kind: 'text', get: (r) => r.soc2.join(', ')},
      {header: 'TITLE', kind: 'text', get: (r) => r.title},
    ],
    {width},
  )
}
