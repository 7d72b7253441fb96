import {expect} from 'chai'

import {makeFinding} from '../../../src/checks/finding.js'
import {buildRouteMap} from '../../../src/derive/route-map.js'
import {attachFindings} from '../../../src/report/route-map.js'
import {routeMapSnapshot} from '../../helpers/route-fixtures.js'

const head = {id: 'routes/x', severity: 'low' as const, title: 'x'}

describe('buildRouteMap', () => {
  const map = buildRouteMap(routeMapSnapshot())

  it('groups domain → route, sorted by domain name, then host, path, port', () => {
    expect(map.domains.map((d) => [d.name, d.internal, d.tcp, d.enforceRoutePolicies])).to.deep.equal([
      ['apps.example.com', false, false, false],
      ['apps.internal', true, false, false],
      ['secure.example.com', false, false, true],
      ['tcp.example.com', false, true, false],
    ])
    expect(map.domains[0]?.routes.map((r) => r.url)).to.deep.equal([
      'api.apps.example.com',
      'auth-proxy.apps.example.com',
      'billing.apps.example.com',
      'billing.apps.example.com/admin',
      'old.apps.example.com',
    ])
  })

  it('carries options, route service (URL from the user-provided instance), destinations and instance counts', () => {
    const billing = map.domains[0]?.routes.find((r) => r.guid === 'r-billing')
    expect(billing).to.deep.equal({
      guid: 'r-billing',
      url: 'billing.apps.example.com',
      host: 'billing',
      path: '',
      port: null,
      protocol: 'http',
      options: {loadbalancing: 'least-connection'},
      space: 'prod',
      org: 'acme',
      routeService: {url: 'https://auth-proxy.apps.example.com', serviceInstance: 'auth-proxy-svc'},
      policies: [],
      findings: [],
      destinations: [
        {
          appGuid: 'app-billing',
          appName: 'billing-api',
          appState: 'STARTED',
          space: 'prod',
          org: 'acme',
          processType: 'web',
          port: 8080,
          protocol: 'http1',
          weight: null,
          instances: {desired: 3, running: 2, crashed: 1, starting: 0, down: 0, unroutable: 0, known: true},
          healthCheck: 'http /health',
          readinessCheck: 'http /ready',
        },
        {
          appGuid: 'app-old',
          appName: 'billing-old',
          appState: 'STOPPED',
          space: 'prod',
          org: 'acme',
          processType: 'web',
          port: 8080,
          protocol: 'http1',
          weight: null,
          instances: {desired: 2, running: 0, crashed: 0, starting: 0, down: 0, unroutable: 0, known: true},
          healthCheck: 'http /health',
          readinessCheck: null,
        },
      ],
    })
  })

  it('sorts route policies, counts unroutable instances, and marks unknown instance state', () => {
    const ledger = map.domains[2]?.routes[0]
    expect(ledger?.policies).to.deep.equal(['cf:app:app-billing', 'cf:space:space-1'])
    expect(ledger?.destinations[0]?.instances).to.deep.include({desired: 2, known: false})
    const api = map.domains[0]?.routes[0]
    expect(api?.destinations[0]?.instances).to.deep.include({running: 2, unroutable: 1})
    expect(api?.destinations[0]?.space).to.equal('dev')
  })

  it('filters by app (its routes, with their other destinations) and by domain', () => {
    const byApp = buildRouteMap(routeMapSnapshot(), {app: 'billing-old'})
    expect(byApp.domains.map((d) => d.routes.map((r) => r.url))).to.deep.equal([['billing.apps.example.com']])
    expect(byApp.domains[0]?.routes[0]?.destinations.map((d) => d.appName)).to.deep.equal([
      'billing-api',
      'billing-old',
    ])
    const byDomain = buildRouteMap(routeMapSnapshot(), {domain: 'APPS.INTERNAL'})
    expect(byDomain.domains.map((d) => [d.name, d.routes.length])).to.deep.equal([['apps.internal', 1]])
    expect(buildRouteMap(routeMapSnapshot(), {domain: 'nope.example.com'})).to.deep.equal({domains: []})
  })

  it('is deterministic: the same snapshot in another order gives the same map', () => {
    const shuffled = routeMapSnapshot()
    shuffled.routes.reverse()
    shuffled.domains.reverse()
    shuffled.routePolicies.reverse()
    expect(buildRouteMap(shuffled)).to.deep.equal(map)
  })
})

describe('attachFindings', () => {
  it('marks routes named as resource, and routes related to process findings, without mutating the map', () => {
    const map = buildRouteMap(routeMapSnapshot())
    const billing = {kind: 'route' as const, guid: 'r-billing', name: 'billing.apps.example.com'}
    const proxy = {kind: 'route' as const, guid: 'r-proxy', name: 'auth-proxy.apps.example.com'}
    const findings = [
      makeFinding({...head, id: 'routes/stopped-app'}, {resource: billing, message: '', remediation: ''}),
      makeFinding({...head, id: 'routes/multiple-apps'}, {resource: billing, message: '', remediation: ''}),
      makeFinding(
        {...head, id: 'routes/stopped-app'},
        {resource: billing, key: 'other', message: '', remediation: ''},
      ),
      makeFinding(
        {...head, id: 'routes/health-check'},
        {
          resource: {kind: 'process', guid: 'p-proxy', name: 'auth-proxy/web'},
          related: [proxy],
          message: '',
          remediation: '',
        },
      ),
      // a route finding's related route (the route service's own route) is not marked
      makeFinding(
        {...head, id: 'routes/route-service-down'},
        {resource: billing, related: [proxy], message: '', remediation: ''},
      ),
    ]
    const marked = attachFindings(map, findings)
    const rules = (guid: string) =>
      marked.domains.flatMap((d) => d.routes).find((r) => r.guid === guid)?.findings
    expect(rules('r-billing')).to.deep.equal([
      'routes/multiple-apps',
      'routes/route-service-down',
      'routes/stopped-app',
    ])
    expect(rules('r-proxy')).to.deep.equal(['routes/health-check'])
    expect(rules('r-old')).to.deep.equal([])
    expect(map.domains[0]?.routes.every((r) => r.findings.length === 0)).to.equal(true)
  })
})
