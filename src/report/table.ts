import type {ComplianceReport} from '../model/compliance.js'
import type {AuditResult, Finding} from '../model/finding.js'
import {SEVERITIES, type Severity} from '../model/severity.js'
import {buildCompliance} from './compliance.js'
import {clean} from './escape.js'
import {DEFAULT_FAIL_ON, groupBySeverity, isFailure, resourcePath} from './summary.js'
import {plural} from '../util/plural.js'
import {keepCommandsWhole, wrap} from './text.js'
import type {FormatOptions} from './types.js'

const ANSI: Record<Severity | 'bold' | 'dim', [string, string]> = {
  critical: ['\u001b[1;35m', '\u001b[0m'],
  high: ['\u001b[1;31m', '\u001b[0m'],
  medium: ['\u001b[33m', '\u001b[0m'],
  low: ['\u001b[36m', '\u001b[0m'],
  info: ['\u001b[2m', '\u001b[0m'],
  bold: ['\u001b[1m', '\u001b[0m'],
  dim: ['\u001b[2m', '\u001b[0m'],
}

/**
 * The human findings report: a summary line by severity and the --fail-on verdict, findings
 * grouped worst first (rule, resource, message, fix), then what could not be checked and the
 * audit events the run created. Plain text within `width` columns; ANSI colour only when asked.
 */
export function formatTable(result: AuditResult, options: FormatOptions = {}): string {
  const width = Math.max(60, options.width ?? 100)
  const paint = (style: keyof typeof ANSI, text: string) =>
    options.color ? `${ANSI[style][0]}${text}${ANSI[style][1]}` : text
  const failOn = options.failOn ?? DEFAULT_FAIL_ON
  const out: string[] = []
  const para = (text: string, indent: string, hanging = indent) =>
    out.push(
      ...wrap(text, width, hanging, width - indent.length).map((l, i) => (i === 0 ? `${indent}${l}` : l)),
    )

  const t = result.target
  para(`${options.title ?? 'cfguard audit'} of ${clean(t.api)} (CC ${clean(t.ccVersion)})`, '', '  ')
  const scope = [
    t.org ? `org ${clean(t.org)}` : 'all orgs',
    t.space ? `space ${clean(t.space)}` : 'all spaces',
  ]
  if (result.foundation) scope.push(`foundation ${clean(result.foundation)}`)
  para(`scope: ${scope.join(', ')} · generated ${result.generatedAt}`, '', '  ')

  const total = result.findings.length
  const counts = SEVERITIES.map((s) => paint(result.summary[s] > 0 ? s : 'dim', `${result.summary[s]} ${s}`))
  const failing = failOn === 'never' ? 0 : result.findings.filter((f) => isFailure(f.severity, failOn)).length
  const verdict =
    failOn === 'never'
      ? 'fail-on never: not gating'
      : failing > 0
        ? `fail-on ${failOn}: ${failing} at or above → exit 3`
        : `fail-on ${failOn}: pass`
  // Colour codes make the raw line longer than it looks: wrap the plain text, then print coloured
  // when it fits on one line.
  const plainSummary = `${plural(total, 'finding')}: ${SEVERITIES.map((s) => `${result.summary[s]} ${s}`).join(', ')} · ${verdict}`
  if (plainSummary.length <= width) out.push(`${plural(total, 'finding')}: ${counts.join(', ')} · ${verdict}`)
  else para(plainSummary, '', '  ')

  for (const group of groupBySeverity(result.findings)) {
    out.push('', paint(group.severity, `${group.severity.toUpperCase()} (${group.findings.length})`))
    for (const f of group.findings) renderFinding(f, width, paint, out)
  }
  if (total === 0) out.push('', 'No findings.')

  out.push('')
  const c = result.coverage
  para(
    `Checked ${plural(c.apps, 'app')}, ${plural(c.routes, 'route')}, ${plural(c.serviceInstances, 'service instance')} with ${plural(c.requests, 'API request')}.`,
    '',
    '  ',
  )
  for (const gap of c.gaps) {
    const rules = gap.rules && gap.rules.length > 0 ? ` (rules: ${gap.rules.join(', ')})` : ''
    para(`not checked: ${clean(gap.what)} because ${clean(gap.why)}${rules}`, '  ', '    ')
  }
  if (c.gaps.length === 0) out.push('  Everything in scope was readable: no coverage gaps.')
  para(
    `Audit events created on the platform by this run: ${c.auditEventsCreated}${c.auditEventsCreated > 0 ? ' (credential reads show up in `cf events`)' : ''}.`,
    '',
    '  ',
  )
  if (result.suppressed && result.suppressed.length > 0) {
    para(
      `${plural(result.suppressed.length, 'finding')} suppressed by policy or baseline (listed in --format json).`,
      '',
      '  ',
    )
  }

  const compliance =
    result.compliance ?? (options.compliance === 'soc2' ? buildCompliance(result, options.rules) : undefined)
  if (compliance) renderCompliance(compliance, width, paint, out)
  return `${out.join('\n')}\n`
}

type Paint = (style: keyof typeof ANSI, text: string) => string

function renderFinding(f: Finding, width: number, paint: Paint, out: string[]): void {
  const foundation = f.foundation ? `[${clean(f.foundation)}] ` : ''
  const where = `${foundation}${kindLabel(f.resource.kind)} ${clean(resourcePath(f.resource))}`
  const lead = `  ${f.rule}  `
  const lines = wrap(where, width, '      ', width - lead.length)
  out.push(`  ${paint('bold', f.rule)}  ${lines[0] ?? ''}`, ...lines.slice(1))
  out.push(
    ...wrap(keepCommandsWhole(clean(f.message)), width, '      ', width - 6).map((l, i) =>
      i === 0 ? `      ${l}` : l,
    ),
  )
  if (f.remediation) {
    const fix = wrap(keepCommandsWhole(`fix: ${clean(f.remediation)}`), width, '           ', width - 6)
    out.push(...fix.map((l, i) => (i === 0 ? `      ${l}` : l)))
  }
}

/** `service_instance` → `service instance` */
export function kindLabel(kind: string): string {
  return kind.replace(/_/g, ' ')
}

function renderCompliance(report: ComplianceReport, width: number, paint: Paint, out: string[]): void {
  out.push('', paint('bold', 'SOC 2 trust-services criteria'))
  if (report.criteria.length === 0) out.push('  No rule of this run maps to a SOC 2 criterion.')
  for (const k of report.criteria) {
    const n = k.findings.length
    const bySeverity = SEVERITIES.filter((s) => k.summary[s] > 0).map((s) => `${k.summary[s]} ${s}`)
    const status = n === 0 ? 'no findings' : `${plural(n, 'finding')} (${bySeverity.join(', ')})`
    const lead = `  ${k.id.padEnd(6)} `
    const name = wrap(k.name, width, '         ', width - lead.length)
    out.push(`${lead}${name[0] ?? ''}`, ...name.slice(1))
    out.push(`         ${n === 0 ? status : paint(worst(k.summary), status)}`)
    const evidence = k.rules.map(
      (r) => `${r.id} (${r.findings}${r.checked === 'partial' ? ', partial data' : ''})`,
    )
    out.push(
      ...wrap(`checked by: ${evidence.join(', ')}`, width, '           ', width - 9).map((l, i) =>
        i === 0 ? `         ${l}` : l,
      ),
    )
  }
}

function worst(summary: Record<Severity, number>): Severity {
  return SEVERITIES.find((s) => summary[s] > 0) ?? 'info'
}
