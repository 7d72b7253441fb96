import {expect} from 'chai'

import {lbInconsistentRule} from '../../../../src/checks/routes/lb-inconsistent.js'
import {app, route} from '../../../helpers/snapshot.js'
import {
  internalDomain,
  routeOn,
  routedSnapshot,
  runRule,
  withRoutes,
} from '../../../helpers/route-fixtures.js'

describe('routes/lb-inconsistent', () => {
  it('fires once per process when its routes use different algorithms', () => {
    const s = routedSnapshot({
      routes: [
        route({guid: 'r-1', host: 'api', options: {loadbalancing: 'least-connection'}}),
        route({guid: 'r-2', host: 'www', options: {loadbalancing: 'round-robin'}}),
      ],
    })
    const findings = runRule(lbInconsistentRule, s)
    expect(findings).to.have.length(1)
    expect(findings[0]?.resource).to.include({kind: 'process', name: 'billing-api/web'})
    expect(findings[0]?.evidence).to.deep.equal({
      algorithms: ['least-connection', 'round-robin'],
      routes: ['api.apps.example.com=least-connection', 'www.apps.example.com=round-robin'],
    })
    expect(findings[0]?.related.map((r) => r.guid)).to.deep.equal(['r-1', 'r-2'])
  })

  it('counts least-connections (CC < 3.187) and least-connection as one algorithm', () => {
    const s = routedSnapshot({
      routes: [
        route({guid: 'r-1', host: 'api', options: {loadbalancing: 'least-connections'}}),
        route({guid: 'r-2', host: 'www', options: {loadbalancing: 'least-connection'}}),
      ],
    })
    expect(runRule(lbInconsistentRule, s)).to.deep.equal([])
  })

  it('treats a route without an option as the unreadable operator default, distinct from explicit values', () => {
    const s = routedSnapshot({
      routes: [
        route({guid: 'r-1', host: 'api', options: {loadbalancing: 'round-robin'}}),
        route({guid: 'r-2', host: 'www'}),
      ],
    })
    expect(runRule(lbInconsistentRule, s)[0]?.evidence.algorithms).to.deep.equal(['default', 'round-robin'])
    const bothDefault = routedSnapshot({
      routes: [route({guid: 'r-1', host: 'api'}), route({guid: 'r-2', host: 'www'})],
    })
    expect(runRule(lbInconsistentRule, bothDefault)).to.deep.equal([])
  })

  it('leaves out internal-domain routes, whose options the platform ignores', () => {
    const internal = internalDomain()
    const s = routedSnapshot({
      domains: [...routedSnapshot().domains, internal],
      routes: [route({options: {loadbalancing: 'least-connection'}}), routeOn(internal, {guid: 'r-int'})],
    })
    expect(runRule(lbInconsistentRule, s)).to.deep.equal([])
  })

  it('reports routes that differ from the policy expectation, with evidence expected', () => {
    const policy = withRoutes({
      loadBalancing: [{selector: {labelSelector: 'lb=lc'}, algorithm: 'least-connections'}],
    })
    const s = routedSnapshot({apps: [app({labels: {lb: 'lc'}})], routes: [route()]})
    const findings = runRule(lbInconsistentRule, s, policy)
    expect(findings.map((f) => f.evidence)).to.deep.equal([
      {app: 'billing-api', expected: 'least-connection', actual: 'default'},
    ])
    expect(findings[0]?.remediation).to.equal(
      'cf update-route apps.example.com --hostname billing --option loadbalancing=least-connection',
    )
    const aligned = routedSnapshot({
      apps: [app({labels: {lb: 'lc'}})],
      routes: [route({options: {loadbalancing: 'least-connection'}})],
    })
    expect(runRule(lbInconsistentRule, aligned, policy)).to.deep.equal([])
    const unselected = routedSnapshot({routes: [route()]})
    expect(runRule(lbInconsistentRule, unselected, policy)).to.deep.equal([])
  })

  it('compares routes to a process it cannot see, naming it by app guid', () => {
    const s = routedSnapshot({
      apps: [],
      processes: [],
      routes: [
        route({guid: 'r-1', host: 'api', options: {loadbalancing: 'least-connection'}}),
        route({guid: 'r-2', host: 'www', options: {loadbalancing: 'round-robin'}}),
      ],
    })
    expect(runRule(lbInconsistentRule, s).map((f) => f.resource)).to.deep.equal([
      {kind: 'process', guid: 'app-1/web', name: 'app-1/web'},
    ])
  })
})
