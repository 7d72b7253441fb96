import {expect} from 'chai'

import type {AuditResult, Finding} from '../../../src/model/finding.js'
import {MARKDOWN_MARKER, formatMarkdown} from '../../../src/report/markdown.js'
import {summarize} from '../../../src/report/summary.js'
import {RULES, auditResult, emptyResult} from '../../helpers/report-fixtures.js'

function many(n: number): AuditResult {
  const base = auditResult()
  const findings: Finding[] = []
  for (let i = 0; i < n; i++) {
    const f = base.findings[i % base.findings.length]!
    findings.push({
      ...f,
      resource: {...f.resource, name: `${f.resource.name}-${i}`},
      fingerprint: `${i}`.padStart(32, '0'),
    })
  }
  return {...base, findings, summary: summarize(findings)}
}

/** Rows of the Markdown tables (lines starting with `|`), split into cells on unescaped pipes. */
function rows(md: string): string[][] {
  return md
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))
    .map((l) => l.slice(2, -2).split(/(?<!\\) \| /))
}

describe('report/markdown', () => {
  it('starts with a marker and a verdict heading, then the severity table', () => {
    const md = formatMarkdown(auditResult(), {rules: RULES})
    const lines = md.split('\n')
    expect(lines[0]).to.equal(MARKDOWN_MARKER)
    expect(lines[1]).to.equal('## cfguard audit: 13 findings · ❌ 5 findings at or above `high`')
    expect(md).to.contain(
      '| 🟣 critical | 1 |\n| 🔴 high | 4 |\n| 🟠 medium | 4 |\n| 🟡 low | 2 |\n| ⚪ info | 2 |',
    )
    expect(formatMarkdown(emptyResult())).to.contain('✅ nothing at or above `high`')
  })

  it('lists findings by severity in tables whose cells stay intact (pipes, backticks, HTML escaped)', () => {
    const result = auditResult()
    result.findings[1]!.message = 'uses `CLIENT_SECRET` | and @platform-team <b>bold</b>'
    const md = formatMarkdown(result, {rules: RULES})
    expect(md).to.contain('### 🟣 Critical (1)')
    expect(md.indexOf('### 🔴 High (4)')).to.be.greaterThan(md.indexOf('### 🟣 Critical (1)'))
    const findingRows = rows(md).filter((r) => r.length === 4 && r[0] !== 'Rule')
    expect(findingRows).to.have.length(13)
    const secret = findingRows.find((r) => r[0] === '`identity/secret-in-env`')!
    expect(secret[2]).to.equal(
      'uses \\`CLIENT\\_SECRET\\` \\| and &#64;platform-team &lt;b&gt;bold&lt;/b&gt;',
    )
    const legacy = findingRows.find((r) => r[0] === '`routes/stopped-app`')!
    expect(legacy[1]).to.match(/^app acme\/staging\/legacy&lt;script&gt;/)
    expect(md).not.to.contain('<script>')
    expect(md).not.to.contain('<img')
  })

  it('folds severity groups into <details> when the list is long, critical and high open', () => {
    const short = formatMarkdown(auditResult())
    expect(short).not.to.contain('<details')
    const long = formatMarkdown(many(40))
    expect(long).to.contain('<details open><summary><b>🟣 Critical (4)</b></summary>')
    expect(long).to.contain('<details open><summary><b>🔴 High (12)</b></summary>')
    expect(long).to.contain('<details><summary><b>🟠 Medium (12)</b></summary>')
    expect(long.split('<details').length).to.equal(long.split('</details>').length)
  })

  it('lists coverage gaps, audit events created and suppressions', () => {
    const md = formatMarkdown(auditResult())
    expect(md).to.contain(
      '- user-provided service credentials (not read) because 403 CF-NotAuthorized in space acme/staging (space auditor) (rules: `identity/shared-client`, `identity/stale-credential`)',
    )
    expect(md).to.contain('This run created **6** audit events on the platform')
    expect(md).to.contain('1 finding suppressed by policy or baseline.')
  })

  it('stays within the comment limit, leaving out the least severe findings with a note', () => {
    const result = many(400)
    const full = formatMarkdown(result, {maxLength: 1_000_000})
    expect(full.length).to.be.greaterThan(20_000)
    const md = formatMarkdown(result, {maxLength: 20_000})
    expect(md.length).to.be.at.most(20_000)
    expect(md).to.match(/_\d+ more findings \([a-z, ]+\) left out to fit a comment/)
    expect(md).to.contain('Critical (')
    // The worst findings stay: every critical row of the full report is still there.
    const criticalRows = (text: string) =>
      rows(text).filter((r) => r[0] === '`routes/internal-exposed`').length
    expect(criticalRows(md)).to.equal(criticalRows(full))
  })

  it('adds the SOC 2 table when asked', () => {
    const md = formatMarkdown(auditResult(), {rules: RULES, compliance: 'soc2'})
    expect(md).to.contain('### SOC 2 trust-services criteria')
    expect(md).to.contain(
      '| **CC6.7** Restricted and protected transmission of information | 🔴 1 | `identity/insecure-issuer` (0), `identity/secret-in-env` (1) |',
    )
  })
})
