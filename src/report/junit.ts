import type {AuditResult, Finding} from '../model/finding.js'
import {type Severity, severityRank} from '../model/severity.js'
import {xmlEscape, clean} from './escape.js'
import {DEFAULT_FAIL_ON, isFailure, resourcePath, ruleSet, sortForReport} from './summary.js'
import type {FormatOptions, RuleMeta} from './types.js'
import {pushTo} from '../util/multimap.js'

interface Case {
  name: string
  body: string
  failed: boolean
  skipped: boolean
}

/**
 * JUnit XML for CI servers: one testsuite per rule of the run, one testcase per rule × resource.
 * With the default `junitFailures: 'fail-on'`, findings at or above --fail-on are failures and
 * findings below it are passing testcases carrying the finding in system-out (the test view then
 * agrees with the exit code); `all` fails every finding. A rule without findings is one passing
 * testcase; a coverage gap that names a rule adds a skipped testcase to its suite.
 */
export function formatJunit(result: AuditResult, options: FormatOptions = {}): string {
  const failOn = options.failOn ?? DEFAULT_FAIL_ON
  const all = options.junitFailures === 'all'
  const gapRules = result.coverage.gaps.flatMap((g) => g.rules ?? [])
  const rules = ruleSet(options.rules, result.findings, gapRules)
  const findings = sortForReport(result.findings)
  const suites = rules.map((rule) => {
    const cases = casesFor(rule, findings, result, (s) => all || isFailure(s, failOn))
    return {rule, cases}
  })
  const count = (cases: Case[], pick: (c: Case) => boolean) => cases.filter(pick).length
  const everyCase = suites.flatMap((s) => s.cases)
  const attrs = (cases: Case[]) =>
    `tests="${cases.length}" failures="${count(cases, (c) => c.failed)}" errors="0" skipped="${count(cases, (c) => c.skipped)}" time="0"`
  const title = options.title ?? 'cfguard audit'
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${x(title)}" ${attrs(everyCase)}>`,
  ]
  for (const {rule, cases} of suites) {
    out.push(
      `  <testsuite name="${x(rule.id)}" ${attrs(cases)} timestamp="${x(result.generatedAt)}" hostname="${x(result.target.api)}">`,
      '    <properties>',
      `      <property name="severity" value="${rule.severity}"/>`,
      `      <property name="title" value="${x(rule.title)}"/>`,
      `      <property name="soc2" value="${x(rule.soc2.join(','))}"/>`,
      `      <property name="fail-on" value="${all ? 'all' : failOn}"/>`,
      '    </properties>',
    )
    for (const c of cases) {
      out.push(`    <testcase classname="${x(rule.id)}" name="${x(c.name)}" time="0">${c.body}</testcase>`)
    }
    out.push('  </testsuite>')
  }
  out.push('</testsuites>')
  return `${out.join('\n')}\n`
}

function casesFor(
  rule: RuleMeta,
  findings: Finding[],
  result: AuditResult,
  fails: (severity: Severity) => boolean,
): Case[] {
  const cases: Case[] = []
  const byResource = new Map<string, Finding[]>()
  for (const f of findings.filter((f) => f.rule === rule.id)) {
    const key = `${f.foundation ?? ''}\u0000${f.resource.kind}\u0000${f.resource.guid}`
    pushTo(byResource, key, f)
  }
  for (const group of byResource.values()) {
    const first = group[0] as Finding
    const worst = group.reduce<Severity>(
      (w, f) => (severityRank[f.severity] > severityRank[w] ? f.severity : w),
      first.severity,
    )
    const name = `${first.foundation ? `[${clean(first.foundation)}] ` : ''}${first.resource.kind} ${clean(resourcePath(first.resource))}`
    const text = group.map(describe).join('\n\n')
    if (fails(worst)) {
      const message = group.length === 1 ? clean(first.message) : `${group.length} findings on this resource`
      cases.push({
        name,
        failed: true,
        skipped: false,
        body: `\n      <failure message="${x(message)}" type="${worst}">${x(text)}</failure>\n    `,
      })
    } else {
      cases.push({
        name,
        failed: false,
        skipped: false,
        body: `\n      <system-out>${x(`${worst} finding below the fail-on threshold\n\n${text}`)}</system-out>\n    `,
      })
    }
  }
  const gaps = result.coverage.gaps.filter((g) => g.rules?.includes(rule.id))
  for (const gap of gaps) {
    cases.push({
      name: `not fully checked: ${clean(gap.what)}`,
      failed: false,
      skipped: true,
      body: `\n      <skipped message="${x(`not checked: ${clean(gap.what)} because ${clean(gap.why)}`)}"/>\n    `,
    })
  }
  if (cases.length === 0) cases.push({name: 'no findings', failed: false, skipped: false, body: ''})
  return cases
}

function describe(f: Finding): string {
  const lines = [
    `${f.severity}: ${clean(f.message)}`,
    `resource: ${f.resource.kind} ${clean(resourcePath(f.resource))} (${f.resource.guid})`,
  ]
  if (f.remediation) lines.push(`fix: ${clean(f.remediation)}`)
  lines.push(`fingerprint: ${f.fingerprint}`)
  return lines.join('\n')
}

function x(text: string): string {
  return xmlEscape(text)
}
