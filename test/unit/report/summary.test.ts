import {expect} from 'chai'

import {isCfguardError} from '../../../src/errors.js'
import {
  compareFindings,
  exceedsFailOn,
  groupBySeverity,
  parseFailOn,
  resourcePath,
  ruleSet,
  sortForReport,
  summarize,
} from '../../../src/report/summary.js'
import {RULES, allKindsResult, auditResult} from '../../helpers/report-fixtures.js'

describe('report/summary', () => {
  it('fixtures carry summaries that match their findings', () => {
    for (const result of [auditResult(), allKindsResult()]) {
      expect(summarize(result.findings)).to.deep.equal(result.summary)
    }
  })

  it('parses --fail-on values and defaults to high', () => {
    expect(parseFailOn(undefined)).to.equal('high')
    expect(parseFailOn('')).to.equal('high')
    expect(parseFailOn('Critical')).to.equal('critical')
    expect(parseFailOn('never')).to.equal('never')
    let error: unknown
    try {
      parseFailOn('severe')
    } catch (e) {
      error = e
    }
    expect(isCfguardError(error) && error.exitCode).to.equal(2)
    expect(String((error as Error).message)).to.contain('critical, high, medium, low, info, never')
  })

  it('decides exit 3 from the threshold', () => {
    const findings = auditResult().findings
    expect(exceedsFailOn(findings)).to.equal(true)
    expect(exceedsFailOn(findings, 'never')).to.equal(false)
    const lowOnly = findings.filter((f) => f.severity === 'low' || f.severity === 'info')
    expect(exceedsFailOn(lowOnly, 'high')).to.equal(false)
    expect(exceedsFailOn(lowOnly, 'low')).to.equal(true)
    expect(
      exceedsFailOn(
        lowOnly.filter((f) => f.severity === 'info'),
        'low',
      ),
    ).to.equal(false)
    expect(
      exceedsFailOn(
        lowOnly.filter((f) => f.severity === 'info'),
        'info',
      ),
    ).to.equal(true)
    expect(exceedsFailOn([], 'info')).to.equal(false)
  })

  it('sorts worst first, then by rule, then by resource', () => {
    const sorted = sortForReport([...auditResult().findings].reverse())
    expect(sorted.map((f) => `${f.severity} ${f.rule}`).slice(0, 6)).to.deep.equal([
      'critical routes/internal-exposed',
      'high identity/secret-in-env',
      'high identity/shared-client',
      'high routes/no-healthy-instances',
      'high routes/policy-missing',
      'medium identity/stale-credential',
    ])
    const [a, b] = allKindsResult().findings.filter((f) => f.rule === 'routes/orphan')
    expect(compareFindings(a!, b!)).to.be.lessThan(0)
    expect(compareFindings(a!, a!)).to.equal(0)
  })

  it('groups by severity without empty groups', () => {
    const groups = groupBySeverity(allKindsResult().findings)
    expect(groups.map((g) => [g.severity, g.findings.length])).to.deep.equal([
      ['high', 6],
      ['low', 5],
    ])
  })

  it('writes resource paths as org/space/name, leaving out what is missing', () => {
    expect(resourcePath({kind: 'app', guid: 'g', name: 'billing-api', org: 'acme', space: 'prod'})).to.equal(
      'acme/prod/billing-api',
    )
    expect(resourcePath({kind: 'domain', guid: 'g', name: 'apps.example.com'})).to.equal('apps.example.com')
    expect(resourcePath({kind: 'app', guid: 'g', name: 'x', org: null, space: 'dev'})).to.equal('dev/x')
  })

  it('completes the rule set from findings and gaps the metadata lacks', () => {
    const result = auditResult()
    const rules = ruleSet(RULES.slice(0, 2), result.findings, ['identity/credentials-rejected'])
    const ids = rules.map((r) => r.id)
    expect(ids).to.include.members([
      'identity/secret-in-env',
      'routes/orphan',
      'identity/credentials-rejected',
    ])
    expect(ids).to.deep.equal([...ids].sort())
    expect(rules.find((r) => r.id === 'routes/orphan')).to.include({
      severity: 'low',
      title: 'Route without destinations',
    })
  })
})
