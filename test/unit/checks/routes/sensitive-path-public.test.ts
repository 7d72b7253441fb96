import {expect} from 'chai'

import {sensitivePathPublicRule} from '../../../../src/checks/routes/sensitive-path-public.js'
import {route, routeBinding} from '../../../helpers/snapshot.js'
import {
  enforcingDomain,
  internalDomain,
  routeOn,
  routedSnapshot,
  runRule,
  withRoutes,
} from '../../../helpers/route-fixtures.js'

describe('routes/sensitive-path-public', () => {
  it('fires on an operational path anywhere in a public route path, at a segment boundary', () => {
    const s = routedSnapshot({
      routes: [
        route({guid: 'r-1', path: '/actuator'}),
        route({guid: 'r-2', path: '/v1/admin/users'}),
        route({guid: 'r-3', path: '/administrator'}),
        route({guid: 'r-4', path: '/environment'}),
      ],
    })
    const findings = runRule(sensitivePathPublicRule, s)
    expect(findings.map((f) => [f.resource.guid, f.evidence.matchedPath])).to.deep.equal([
      ['r-1', '/actuator'],
      ['r-2', '/admin'],
    ])
    expect(findings[0]?.severity).to.equal('medium')
  })

  it('fires on hosts ending in -internal / -admin, case-insensitively', () => {
    const s = routedSnapshot({routes: [route({host: 'Billing-Internal'})]})
    expect(runRule(sensitivePathPublicRule, s).map((f) => f.evidence.matchedHost)).to.deep.equal([
      '-internal',
    ])
  })

  it('reports a route behind a route service or an identity-aware domain at low severity', () => {
    const gated = routedSnapshot({routes: [route({path: '/admin'})], routeBindings: [routeBinding()]})
    const [viaService] = runRule(sensitivePathPublicRule, gated)
    expect([viaService?.severity, viaService?.evidence.gatedBy]).to.deep.equal(['low', 'route-service'])
    const secure = enforcingDomain()
    const onSecure = routedSnapshot({domains: [secure], routes: [routeOn(secure, {path: '/metrics'})]})
    expect(runRule(sensitivePathPublicRule, onSecure)[0]?.evidence.gatedBy).to.equal('route-policy')
  })

  it('ignores internal domains, ordinary paths, and follows the policy lists', () => {
    const internal = internalDomain()
    const s = routedSnapshot({domains: [internal], routes: [routeOn(internal, {path: '/admin'})]})
    expect(runRule(sensitivePathPublicRule, s)).to.deep.equal([])
    expect(runRule(sensitivePathPublicRule, routedSnapshot({routes: [route({path: '/api'})]}))).to.deep.equal(
      [],
    )
    const custom = withRoutes({sensitivePaths: ['/api/'], sensitiveHostSuffixes: []})
    expect(
      runRule(sensitivePathPublicRule, routedSnapshot({routes: [route({path: '/api'})]}), custom),
    ).to.have.length(1)
  })

  it('does not judge a route on a domain it cannot see', () => {
    expect(
      runRule(sensitivePathPublicRule, routedSnapshot({domains: [], routes: [route({path: '/admin'})]})),
    ).to.deep.equal([])
  })
})
