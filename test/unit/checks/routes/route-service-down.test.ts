import {expect} from 'chai'

import {routeServiceDownRule} from '../../../../src/checks/routes/route-service-down.js'
import {access, destination, route, routeBinding, ups} from '../../../helpers/snapshot.js'
import {instancesIn, routedSnapshot, runRule, runWithRunner, webApp} from '../../../helpers/route-fixtures.js'

const billing = webApp('app-1', 'billing-api')
const proxyRoute = route({
  guid: 'route-proxy',
  host: 'auth-proxy',
  destinations: [destination({appGuid: 'app-2'})],
})
const binding = routeBinding({routeServiceUrl: 'https://auth-proxy.apps.example.com/check'})

function withProxy(proxy: ReturnType<typeof webApp>) {
  return routedSnapshot({
    apps: [billing.app, proxy.app],
    processes: [billing.process, proxy.process],
    routes: [route(), proxyRoute],
    routeBindings: [binding],
    serviceInstances: [ups({name: 'auth-proxy-svc', credentials: null})],
  })
}

describe('routes/route-service-down', () => {
  it('fires when the route-service app behind the URL is stopped', () => {
    const findings = runRule(
      routeServiceDownRule,
      withProxy(webApp('app-2', 'auth-proxy', {state: 'STOPPED', actual: []})),
    )
    expect(findings).to.have.length(1)
    expect(findings[0]?.resource.guid).to.equal('route-1')
    expect(findings[0]?.evidence).to.deep.equal({
      routeServiceUrl: 'https://auth-proxy.apps.example.com/check',
      resolvedRoute: 'auth-proxy.apps.example.com',
      serviceInstance: 'auth-proxy-svc',
      reasons: ['auth-proxy/web: app stopped'],
    })
    expect(findings[0]?.remediation).to.contain(
      'cf unbind-route-service apps.example.com --hostname billing auth-proxy-svc',
    )
  })

  it('fires when every route-service instance has crashed, or the URL route has no destination', () => {
    const crashed = withProxy(webApp('app-2', 'auth-proxy', {actual: instancesIn('CRASHED', 'CRASHED')}))
    expect(runRule(routeServiceDownRule, crashed)[0]?.evidence.reasons).to.deep.equal([
      'auth-proxy/web: no routable running instance',
    ])
    const empty = withProxy(webApp('app-2', 'auth-proxy'))
    empty.routes = [route(), {...proxyRoute, destinations: []}]
    expect(runRule(routeServiceDownRule, empty)[0]?.evidence.reasons).to.deep.equal(['no destinations'])
  })

  it('does not fire while one route-service instance runs, nor for external URLs', () => {
    expect(
      runRule(
        routeServiceDownRule,
        withProxy(webApp('app-2', 'auth-proxy', {actual: instancesIn('RUNNING', 'CRASHED')})),
      ),
    ).to.deep.equal([])
    const external = withProxy(webApp('app-2', 'auth-proxy', {state: 'STOPPED'}))
    external.routeBindings = [routeBinding({routeServiceUrl: 'https://sso.example.org'})]
    expect(runRule(routeServiceDownRule, external)).to.deep.equal([])
  })

  it('unknown instances behind the URL: a coverage gap, no finding', () => {
    const s = withProxy(webApp('app-2', 'auth-proxy', {actual: null}))
    s.access = access({instances: {state: 'partial', why: 'stats failed for 1 process'}})
    const run = runWithRunner(routeServiceDownRule, s)
    expect(run.findings).to.deep.equal([])
    expect(run.gaps.map((g) => g.rules)).to.deep.equal([['routes/route-service-down']])
  })
})
