import type {ComplianceReport} from '../model/compliance.js'
import type {AuditResult, Finding} from '../model/finding.js'
import {SEVERITIES, type Severity} from '../model/severity.js'
import {buildCompliance} from './compliance.js'
import {clean, mdCode, mdEscape} from './escape.js'
import {DEFAULT_FAIL_ON, groupBySeverity, isFailure, resourcePath, sortForReport} from './summary.js'
import {plural} from '../util/plural.js'
import type {FormatOptions} from './types.js'

const MARK: Record<Severity, string> = {critical: '🟣', high: '🔴', medium: '🟠', low: '🟡', info: '⚪'}
/** Above this many findings, severity groups fold into <details> (critical and high open). */
const FOLD_OVER = 15
const DEFAULT_MAX_LENGTH = 60_000
/** First line of the comment, so a CI job can find and update its previous comment instead of adding one. */
export const MARKDOWN_MARKER = '<!-- cfguard-report -->'

/**
 * Markdown for a pull-request comment: verdict heading, severity table, findings grouped by
 * severity (folded in <details> when long), what was not checked, audit events created, and the
 * SOC 2 grouping when asked. All user data is escaped (`|`, backticks, HTML, @mentions). When the
 * comment would exceed `maxLength`, the least severe findings are left out with a note.
 */
export function formatMarkdown(result: AuditResult, options: FormatOptions = {}): string {
  const max = options.maxLength ?? DEFAULT_MAX_LENGTH
  const sorted = sortForReport(result.findings)
  const full = render(result, options, sorted)
  if (full.length <= max) return full
  // Too long for a comment: the most findings (worst first) that still fit.
  let lo = 0
  let hi = sorted.length - 1
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (render(result, options, sorted.slice(0, mid)).length <= max) lo = mid
    else hi = mid - 1
  }
  return render(result, options, sorted.slice(0, lo))
}

function render(result: AuditResult, options: FormatOptions, findings: Finding[]): string {
  const failOn = options.failOn ?? DEFAULT_FAIL_ON
  const total = result.findings.length
  const failing = failOn === 'never' ? 0 : result.findings.filter((f) => isFailure(f.severity, failOn)).length
  const title = options.title ?? 'cfguard audit'
  const verdict =
    failOn === 'never'
      ? 'not gating (`--fail-on never`)'
      : failing > 0
        ? `❌ ${plural(failing, 'finding')} at or above \`${failOn}\``
        : `✅ nothing at or above \`${failOn}\``
  const t = result.target
  const scope = [
    t.org ? `org ${mdEscape(clean(t.org))}` : 'all orgs',
    t.space ? `space ${mdEscape(clean(t.space))}` : 'all spaces',
  ]
  if (result.foundation) scope.push(`foundation ${mdEscape(clean(result.foundation))}`)
  const out: string[] = [
    MARKDOWN_MARKER,
    `## ${mdEscape(title)}: ${plural(total, 'finding')} · ${verdict}`,
    '',
    `${mdEscape(clean(t.api))} (CC ${mdEscape(clean(t.ccVersion))}) · ${scope.join(' · ')} · ${mdEscape(result.generatedAt)}`,
    '',
    '| Severity | Findings |',
    '| --- | ---: |',
    ...SEVERITIES.map((s) => `| ${MARK[s]} ${s} | ${result.summary[s]} |`),
    '',
  ]

  const fold = total > FOLD_OVER
  for (const group of groupBySeverity(findings)) {
    const heading = `${MARK[group.severity]} ${capitalize(group.severity)} (${group.findings.length})`
    const table = [
      '| Rule | Resource | Finding | Fix |',
      '| --- | --- | --- | --- |',
      ...group.findings.map(
        (f) =>
          `| ${mdCode(f.rule)} | ${where(f)} | ${mdEscape(clean(f.message))} | ${mdEscape(clean(f.remediation))} |`,
      ),
    ]
    if (fold) {
      const open = group.severity === 'critical' || group.severity === 'high' ? ' open' : ''
      out.push(`<details${open}><summary><b>${heading}</b></summary>`, '', ...table, '', '</details>', '')
    } else {
      out.push(`### ${heading}`, '', ...table, '')
    }
  }
  if (findings.length < total) {
    const left = sortForReport(result.findings).slice(findings.length)
    const severities = SEVERITIES.filter((s) => left.some((f) => f.severity === s))
    out.push(
      `_${plural(left.length, 'more finding')} (${severities.join(', ')}) left out to fit a comment; the full list is in \`--format json\` or \`--format html\`._`,
      '',
    )
  }
  if (total === 0) out.push('No findings.', '')

  const c = result.coverage
  out.push(
    '### Coverage',
    '',
    `Checked ${plural(c.apps, 'app')}, ${plural(c.routes, 'route')} and ${plural(c.serviceInstances, 'service instance')} with ${plural(c.requests, 'API request')}.`,
    '',
  )
  if (c.gaps.length > 0) {
    out.push('**Not checked:**', '')
    for (const gap of c.gaps) {
      const rules = gap.rules && gap.rules.length > 0 ? ` (rules: ${gap.rules.map(mdCode).join(', ')})` : ''
      out.push(`- ${mdEscape(clean(gap.what))} because ${mdEscape(clean(gap.why))}${rules}`)
    }
    out.push('')
  }
  out.push(
    `This run created **${c.auditEventsCreated}** audit events on the platform (credential reads).`,
    '',
  )
  if (result.suppressed && result.suppressed.length > 0) {
    out.push(`${plural(result.suppressed.length, 'finding')} suppressed by policy or baseline.`, '')
  }
  const compliance =
    result.compliance ?? (options.compliance === 'soc2' ? buildCompliance(result, options.rules) : undefined)
  if (compliance) out.push(...renderCompliance(compliance))
  return `${out.join('\n').trimEnd()}\n`
}

function renderCompliance(report: ComplianceReport): string[] {
  const out = ['### SOC 2 trust-services criteria', '']
  if (report.criteria.length === 0) return [...out, 'No rule of this run maps to a SOC 2 criterion.', '']
  out.push('| Criterion | Findings | Checked by |', '| --- | ---: | --- |')
  for (const k of report.criteria) {
    const rules = k.rules
      .map((r) => `${mdCode(r.id)} (${r.findings}${r.checked === 'partial' ? ', partial data' : ''})`)
      .join(', ')
    const worst = SEVERITIES.find((s) => k.summary[s] > 0)
    out.push(
      `| **${mdEscape(k.id)}** ${mdEscape(k.name)} | ${worst ? `${MARK[worst]} ` : ''}${k.findings.length} | ${rules} |`,
    )
  }
  return [...out, '']
}

function where(f: Finding): string {
  const foundation = f.foundation ? `[${clean(f.foundation)}] ` : ''
  return `${f.resource.kind.replace(/_/g, ' ')} ${mdEscape(`${foundation}${clean(resourcePath(f.resource))}`)}`
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
