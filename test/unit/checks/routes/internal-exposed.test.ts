import {expect} from 'chai'

import {internalExposedRule} from '../../../../src/checks/routes/internal-exposed.js'
import {app, domain, route} from '../../../helpers/snapshot.js'
import {
  internalDomain,
  routeOn,
  routedSnapshot,
  runRule,
  withRoutes,
} from '../../../helpers/route-fixtures.js'

describe('routes/internal-exposed', () => {
  it('fires when an app with an internal-domain route also has a public route', () => {
    const internal = internalDomain()
    const s = routedSnapshot({
      domains: [domain(), internal],
      routes: [route(), routeOn(internal, {guid: 'route-int'})],
    })
    const findings = runRule(internalExposedRule, s)
    expect(findings).to.have.length(1)
    expect(findings[0]?.severity).to.equal('critical')
    expect(findings[0]?.resource.guid).to.equal('route-1')
    expect(findings[0]?.message).to.equal(
      'internal app billing-api (internal route billing.apps.internal) is reachable on public route billing.apps.example.com',
    )
    expect(findings[0]?.remediation).to.equal(
      'cf unmap-route billing-api apps.example.com --hostname billing',
    )
  })

  it('fires for apps internal by policy selector (label selector or name glob)', () => {
    const s = routedSnapshot({apps: [app({labels: {tier: 'internal'}})]})
    const byLabel = runRule(
      internalExposedRule,
      s,
      withRoutes({internalApps: [{labelSelector: 'tier=internal'}]}),
    )
    expect(byLabel.map((f) => f.evidence.internalBecause)).to.deep.equal(['policy routes.internalApps'])
    const byName = runRule(internalExposedRule, s, withRoutes({internalApps: [{name: 'billing-*'}]}))
    expect(byName).to.have.length(1)
  })

  it('does not fire for a public app, nor for an internal app with only internal routes', () => {
    expect(runRule(internalExposedRule, routedSnapshot())).to.deep.equal([])
    const internal = internalDomain()
    const s = routedSnapshot({domains: [internal], routes: [routeOn(internal)]})
    expect(runRule(internalExposedRule, s)).to.deep.equal([])
    const other = runRule(
      internalExposedRule,
      routedSnapshot(),
      withRoutes({internalApps: [{name: 'payroll-*'}]}),
    )
    expect(other).to.deep.equal([])
  })

  it('does not judge a route whose domain is not visible', () => {
    const internal = internalDomain()
    const s = routedSnapshot({
      domains: [internal],
      routes: [route(), routeOn(internal, {guid: 'route-int'})],
    })
    expect(runRule(internalExposedRule, s)).to.deep.equal([])
  })
})
