import {expect} from 'chai'

import {resolveUrlToRoute} from '../../../../src/derive/routes.js'
import {routeServiceLoopRule} from '../../../../src/checks/routes/route-service-loop.js'
import {destination, route, routeBinding, ups} from '../../../helpers/snapshot.js'
import {routedSnapshot, runRule} from '../../../helpers/route-fixtures.js'

const proxyRoute = route({
  guid: 'route-proxy',
  host: 'auth-proxy',
  destinations: [destination({appGuid: 'app-2'})],
})

describe('routes/route-service-loop', () => {
  it('fires when a route service is bound to its own route', () => {
    const s = routedSnapshot({
      routeBindings: [routeBinding({routeServiceUrl: 'https://billing.apps.example.com/'})],
      serviceInstances: [ups({name: 'auth', credentials: null})],
    })
    const findings = runRule(routeServiceLoopRule, s)
    expect(findings).to.have.length(1)
    expect(findings[0]?.message).to.equal(
      'route billing.apps.example.com: route-service chain loops (billing.apps.example.com → billing.apps.example.com)',
    )
    expect(findings[0]?.remediation).to.contain(
      'cf unbind-route-service apps.example.com --hostname billing auth',
    )
  })

  it('follows a chain through another route and back, reporting every route on it', () => {
    const s = routedSnapshot({
      routes: [route(), proxyRoute],
      routeBindings: [
        routeBinding({
          guid: 'rb-1',
          routeGuid: 'route-1',
          routeServiceUrl: 'https://auth-proxy.apps.example.com',
        }),
        routeBinding({
          guid: 'rb-2',
          routeGuid: 'route-proxy',
          routeServiceUrl: 'https://billing.apps.example.com/x',
        }),
      ],
    })
    const findings = runRule(routeServiceLoopRule, s)
    expect(findings.map((f) => f.evidence.chain)).to.deep.equal([
      ['billing.apps.example.com', 'auth-proxy.apps.example.com', 'billing.apps.example.com'],
      ['auth-proxy.apps.example.com', 'billing.apps.example.com', 'auth-proxy.apps.example.com'],
    ])
  })

  it('takes the URL from the user-provided instance when the binding has none', () => {
    const s = routedSnapshot({
      routeBindings: [routeBinding({routeServiceUrl: null})],
      serviceInstances: [ups({routeServiceUrl: 'https://billing.apps.example.com', credentials: null})],
    })
    expect(runRule(routeServiceLoopRule, s)).to.have.length(1)
  })

  it('a wildcard route covers the route-service host when no exact route does', () => {
    const wildcard = route({guid: 'route-wild', host: '*', url: '*.apps.example.com'})
    const s = routedSnapshot({
      routes: [wildcard],
      routeBindings: [
        routeBinding({routeGuid: 'route-wild', routeServiceUrl: 'https://proxy.apps.example.com'}),
      ],
    })
    expect(runRule(routeServiceLoopRule, s)).to.have.length(1)
  })

  it('does not fire for a chain that leaves the foundation or ends at an unbound route', () => {
    const external = routedSnapshot({
      routeBindings: [routeBinding({routeServiceUrl: 'https://sso.example.org/proxy'})],
    })
    expect(runRule(routeServiceLoopRule, external)).to.deep.equal([])
    const toProxy = routedSnapshot({
      routes: [route(), proxyRoute],
      routeBindings: [routeBinding({routeServiceUrl: 'https://auth-proxy.apps.example.com'})],
    })
    expect(runRule(routeServiceLoopRule, toProxy)).to.deep.equal([])
  })

  it('resolves URLs the way Gorouter matches: exact host over wildcard, longest path at a segment boundary', () => {
    const s = routedSnapshot({
      routes: [
        route({guid: 'r-root'}),
        route({guid: 'r-api', path: '/api', url: 'billing.apps.example.com/api'}),
        route({guid: 'r-wild', host: '*', url: '*.apps.example.com'}),
      ],
    })
    const at = (url: string) => resolveUrlToRoute(s, url)?.guid ?? null
    expect(at('https://billing.apps.example.com/api/v1')).to.equal('r-api')
    expect(at('https://billing.apps.example.com/apix')).to.equal('r-root')
    expect(at('https://BILLING.apps.example.com:443/')).to.equal('r-root')
    expect(at('https://other.apps.example.com/')).to.equal('r-wild')
    expect(at('https://a.b.apps.example.com/')).to.equal(null)
    expect(at('https://billing.apps.example.com:8443/')).to.equal(null)
    expect(at('not a url')).to.equal(null)
  })

  it('a binding whose URL cannot be read (managed instance, no URL) ends the chain: no finding', () => {
    const s = routedSnapshot({
      routeBindings: [routeBinding({routeServiceUrl: null, serviceInstanceGuid: 'si-hidden'})],
    })
    expect(runRule(routeServiceLoopRule, s)).to.deep.equal([])
  })
})
