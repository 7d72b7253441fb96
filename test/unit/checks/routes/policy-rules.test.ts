import {expect} from 'chai'

import {policyAnyRule} from '../../../../src/checks/routes/policy-any.js'
import {policyMissingRule} from '../../../../src/checks/routes/policy-missing.js'
import {access, routePolicy} from '../../../helpers/snapshot.js'
import {
  enforcingDomain,
  routeOn,
  routedSnapshot,
  runRule,
  runWithRunner,
} from '../../../helpers/route-fixtures.js'

const secure = enforcingDomain({routePoliciesScope: 'org'})
const onSecure = (o: Parameters<typeof routedSnapshot>[0] = {}) =>
  routedSnapshot({domains: [secure], routes: [routeOn(secure)], ...o})

describe('routes/policy-missing', () => {
  it('fires on a route of an enforcing domain without any policy', () => {
    const findings = runRule(policyMissingRule, onSecure())
    expect(findings.map((f) => f.message)).to.deep.equal([
      'route billing.secure.example.com is on identity-aware domain secure.example.com but has no route policy: every caller is denied',
    ])
    expect(findings[0]?.remediation).to.contain('"guid":"route-1"')
  })

  it('does not fire with a policy, nor on a domain that does not enforce', () => {
    expect(runRule(policyMissingRule, onSecure({routePolicies: [routePolicy()]}))).to.deep.equal([])
    expect(runRule(policyMissingRule, routedSnapshot())).to.deep.equal([])
  })

  it('below CC 3.224 (unsupported): no findings and no coverage gap', () => {
    const run = runWithRunner(
      policyMissingRule,
      onSecure({access: access({routePolicies: {state: 'unsupported', why: 'CC 3.200.0 < 3.224.0'}})}),
    )
    expect(run).to.deep.include({findings: [], gaps: []})
  })

  it('policies not read or partly read: a coverage gap and no findings', () => {
    for (const state of ['none', 'partial'] as const) {
      const run = runWithRunner(
        policyMissingRule,
        onSecure({access: access({routePolicies: {state, why: '403'}})}),
      )
      expect(run.findings).to.deep.equal([])
      expect(run.gaps.map((g) => g.rules)).to.deep.equal([['routes/policy-missing']])
    }
  })
})

describe('routes/policy-any', () => {
  it('fires on cf:any on an enforcing domain, naming the scope', () => {
    const findings = runRule(policyAnyRule, onSecure({routePolicies: [routePolicy({source: 'cf:any'})]}))
    expect(findings.map((f) => f.message)).to.deep.equal([
      'route billing.secure.example.com allows any app (cf:any, scope org)',
    ])
    expect(findings[0]?.related).to.deep.equal([{kind: 'route_policy', guid: 'rp-1', name: 'cf:any'}])
  })

  it('does not fire on narrow sources', () => {
    expect(
      runRule(policyAnyRule, onSecure({routePolicies: [routePolicy({source: 'cf:space:space-1'})]})),
    ).to.deep.equal([])
  })

  it('still reports a cf:any it did read when the read was partial (plus the gap)', () => {
    const run = runWithRunner(
      policyAnyRule,
      onSecure({
        routePolicies: [routePolicy({source: 'cf:any'})],
        access: access({routePolicies: {state: 'partial', why: '403 in 1 space'}}),
      }),
    )
    expect(run.findings).to.have.length(1)
    expect(run.gaps).to.have.length(1)
  })
})
