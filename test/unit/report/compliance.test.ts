import {expect} from 'chai'

import {buildCompliance, compareCriteria, unmappedRules} from '../../../src/report/compliance.js'
import {formatTable} from '../../../src/report/table.js'
import {RULES, auditResult, emptyResult} from '../../helpers/report-fixtures.js'

describe('report/compliance (SOC 2)', () => {
  it('orders criteria CC before A, numerically', () => {
    expect(
      ['A1.2', 'CC7.2', 'CC6.10', 'CC6.6', 'PI1.1', 'CC6.1', 'C1.1'].sort(compareCriteria),
    ).to.deep.equal(['CC6.1', 'CC6.6', 'CC6.10', 'CC7.2', 'A1.2', 'C1.1', 'PI1.1'])
  })

  it('files a finding under every criterion its rule names', () => {
    const report = buildCompliance(auditResult(), RULES)
    expect(report.criteria.map((c) => c.id)).to.deep.equal([
      'CC6.1',
      'CC6.2',
      'CC6.3',
      'CC6.6',
      'CC6.7',
      'CC7.2',
      'CC8.1',
      'A1.2',
    ])
    const secretFp = auditResult().findings.find((f) => f.rule === 'identity/secret-in-env')!.fingerprint
    const holding = report.criteria.filter((c) => c.findings.includes(secretFp)).map((c) => c.id)
    expect(holding).to.deep.equal(['CC6.1', 'CC6.7'])
    const cc61 = report.criteria.find((c) => c.id === 'CC6.1')!
    expect(cc61.name).to.equal('Logical access security over protected information assets')
    expect(cc61.summary).to.deep.equal({critical: 0, high: 3, medium: 1, low: 0, info: 0})
    expect(cc61.findings).to.have.length(4)
  })

  it('lists every rule giving evidence, with zero findings and partial data marked', () => {
    const report = buildCompliance(auditResult(), RULES)
    const cc61 = report.criteria.find((c) => c.id === 'CC6.1')!
    expect(cc61.rules).to.deep.equal([
      {id: 'identity/drift', title: 'Instances run with a previous credential', findings: 0, checked: 'full'},
      {
        id: 'identity/secret-in-env',
        title: 'Secret in a plain app environment variable',
        findings: 1,
        checked: 'full',
      },
      {
        id: 'identity/shared-client',
        title: 'One OAuth client shared by apps in several spaces',
        findings: 1,
        checked: 'partial',
      },
      {
        id: 'identity/stale-credential',
        title: 'Credential older than the maximum age',
        findings: 1,
        checked: 'partial',
      },
      {
        id: 'routes/policy-missing',
        title: 'Route on an enforcing domain has no route policy',
        findings: 1,
        checked: 'full',
      },
    ])
    const clean = buildCompliance(emptyResult(), RULES)
    expect(clean.criteria).to.have.length(8)
    expect(clean.criteria.every((c) => c.findings.length === 0 && c.rules.length > 0)).to.equal(true)
  })

  it('names the rules outside the mapping', () => {
    expect(unmappedRules(RULES, auditResult())).to.deep.equal(['routes/unrouted-app'])
  })

  it('renders in the table report', () => {
    const text = formatTable(auditResult(), {rules: RULES, compliance: 'soc2'})
    expect(text).to.contain(
      [
        '  CC6.7  Restricted and protected transmission of information',
        '         1 finding (1 high)',
        '         checked by: identity/insecure-issuer (0), identity/secret-in-env (1)',
      ].join('\n'),
    )
    expect(text).to.contain('  CC6.2  Registration and authorization of users and system credentials')
    expect(formatTable(auditResult(), {rules: RULES})).not.to.contain('SOC 2')
  })
})
