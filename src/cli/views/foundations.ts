/** `audit --targets`: one row per foundation (pure). */
import type {AuditResult} from '../../model/finding.js'
import {plural} from '../../util/plural.js'
import {formatTable} from '../../report/table.js'
import type {FormatOptions} from '../../report/types.js'
import {wrap} from '../../report/text.js'

/**
 * The table view of a multi-foundation audit: one line per foundation (its API, CC version and
 * findings by severity, or why it was not audited), then the findings report.
 */
export function renderFoundationsTable(result: AuditResult, options: FormatOptions): string {
  const width = Math.max(60, options.width ?? 100)
  const lines = ['Foundations']
  for (const f of result.foundations ?? []) {
    const text = f.error
      ? `${f.name}: NOT AUDITED (exit ${f.error.exitCode}): ${f.error.message}`
      : `${f.name}: ${f.target?.api ?? '?'} (CC ${f.target?.ccVersion ?? '?'}), ${plural(
          Object.values(f.summary ?? {}).reduce((n, c) => n + c, 0),
          'finding',
        )} (${Object.entries(f.summary ?? {})
          .map(([sev, n]) => `${n} ${sev}`)
          .join(', ')})`
    lines.push(...wrap(text, width, '      ', width - 2).map((l, i) => (i === 0 ? `  ${l}` : l)))
  }
  return `${lines.join('\n')}\n\n${formatTable(result, options)}`
}
