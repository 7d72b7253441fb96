import {expect} from 'chai'

import {lbIneffectiveRule} from '../../../../src/checks/routes/lb-ineffective.js'
import {destination, proc, route} from '../../../helpers/snapshot.js'
import {internalDomain, routeOn, routedSnapshot, runRule, webApp} from '../../../helpers/route-fixtures.js'

describe('routes/lb-ineffective', () => {
  it('fires on least-connection or hash with a single desired instance behind the route', () => {
    const s = routedSnapshot({
      processes: [proc({instances: 1})],
      routes: [
        route({guid: 'r-1', options: {loadbalancing: 'least-connections'}}),
        route({guid: 'r-2', host: 'h', options: {loadbalancing: 'hash', hashHeader: 'X-User'}}),
      ],
    })
    const findings = runRule(lbIneffectiveRule, s)
    expect(findings.map((f) => [f.resource.guid, f.evidence.algorithm])).to.deep.equal([
      ['r-1', 'least-connection'],
      ['r-2', 'hash'],
    ])
  })

  it('fires on any loadbalancing option on an internal-domain route', () => {
    const internal = internalDomain()
    const s = routedSnapshot({
      domains: [internal],
      routes: [routeOn(internal, {options: {loadbalancing: 'round-robin'}})],
    })
    expect(runRule(lbIneffectiveRule, s).map((f) => f.evidence.ignoredBy)).to.deep.equal(['internal domain'])
  })

  it('counts every destination app in the pool: two single-instance apps are a choice', () => {
    const a = webApp('app-1', 'one', {instances: 1})
    const b = webApp('app-2', 'two', {instances: 1})
    const s = routedSnapshot({
      apps: [a.app, b.app],
      processes: [a.process, b.process],
      routes: [
        route({
          options: {loadbalancing: 'least-connection'},
          destinations: [destination(), destination({guid: 'd-2', appGuid: 'app-2'})],
        }),
      ],
    })
    expect(runRule(lbIneffectiveRule, s)).to.deep.equal([])
  })

  it('does not fire on round-robin or default, nor when a destination process is not visible', () => {
    const single = routedSnapshot({
      processes: [proc({instances: 1})],
      routes: [route({options: {loadbalancing: 'round-robin'}})],
    })
    expect(runRule(lbIneffectiveRule, single)).to.deep.equal([])
    const unknown = routedSnapshot({
      processes: [proc({instances: 1})],
      routes: [
        route({
          options: {loadbalancing: 'least-connection'},
          destinations: [destination(), destination({guid: 'd-2', appGuid: 'app-invisible'})],
        }),
      ],
    })
    expect(runRule(lbIneffectiveRule, unknown)).to.deep.equal([])
  })
})
