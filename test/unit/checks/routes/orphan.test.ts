import {expect} from 'chai'

import {orphanRule} from '../../../../src/checks/routes/orphan.js'
import {routeBinding, route} from '../../../helpers/snapshot.js'
import {routedSnapshot, runRule} from '../../../helpers/route-fixtures.js'

describe('routes/orphan', () => {
  it('fires on a route with no destination and no route service, naming the delete command', () => {
    const s = routedSnapshot({routes: [route({destinations: [], path: '/old'})]})
    const findings = runRule(orphanRule, s)
    expect(findings).to.have.length(1)
    expect(findings[0]?.message).to.equal(
      'route billing.apps.example.com/old has no destination and no route service',
    )
    expect(findings[0]?.remediation).to.equal(
      'cf delete-route apps.example.com --hostname billing --path /old',
    )
    expect(findings[0]?.resource).to.include({kind: 'route', guid: 'route-1', space: 'prod', org: 'acme'})
  })

  it('does not fire on a mapped route, nor on an unmapped one bound to a route service', () => {
    expect(runRule(orphanRule, routedSnapshot())).to.deep.equal([])
    const bound = routedSnapshot({routes: [route({destinations: []})], routeBindings: [routeBinding()]})
    expect(runRule(orphanRule, bound)).to.deep.equal([])
  })

  it('counts destinations to apps the token cannot see as destinations (not orphan)', () => {
    const s = routedSnapshot({apps: [], processes: []})
    expect(runRule(orphanRule, s)).to.deep.equal([])
  })
})
