import {expect} from 'chai'

import type {RouteMap} from '../../../src/model/route-map.js'
import {buildRouteMap} from '../../../src/derive/route-map.js'
import {renderRouteTable, wrap} from '../../../src/report/routes-table.js'
import {destination, domain, route, snapshot} from '../../helpers/snapshot.js'
import {routeMapSnapshot, webApp} from '../../helpers/route-fixtures.js'

/** Rule ids per route, as `attachFindings` would set them after an audit. */
function withFindings(map: RouteMap, byRoute: Record<string, string[]>): RouteMap {
  return {
    domains: map.domains.map((d) => ({
      ...d,
      routes: d.routes.map((r) => ({...r, findings: byRoute[r.guid] ?? []})),
    })),
  }
}

const EXPECTED_100 = `apps.example.com  http  5 routes
  api.apps.example.com  acme/prod  lb=hash(X-Tenant)  hash_balance=1.5
      ! health-check, shared-across-spaces, weights-ignored
    payments/web  :default  weight=10  2/2 running, 1 unroutable  health process  space=acme/dev
  auth-proxy.apps.example.com  acme/prod
    auth-proxy/web  :8080 http2  1/1 running  health port
  billing.apps.example.com  acme/prod  lb=least-connection
      rs=auth-proxy-svc https://auth-proxy.apps.example.com
      ! internal-exposed, lb-inconsistent, multiple-apps, stopped-app
    billing-api/web  :8080 http1  2/3 running, 1 crashed  health http /health  ready http /ready
    billing-old/web  :8080 http1  app stopped  health http /health
  billing.apps.example.com/admin  acme/prod
      ! internal-exposed, lb-inconsistent, sensitive-path-public
    billing-api/web  :8080 http1  2/3 running, 1 crashed  health http /health  ready http /ready
  old.apps.example.com  acme/prod  ! orphan
    (no destinations)

apps.internal  internal (c2c, bypasses Gorouter)  1 route
  billing.apps.internal  acme/prod  ! internal-unreachable
    billing-api/web  :8080 http1  2/3 running, 1 crashed  health http /health  ready http /ready

secure.example.com  http  enforces route policies  1 route
  ledger.secure.example.com  acme/prod  policy=cf:app:app-billing,cf:space:space-1
    ledger/web  :8080 http1  instances unknown (2 desired)  health http /health

tcp.example.com  tcp  1 route
  tcp.example.com:1024  acme/prod
    ledger/web  :7000 tcp  instances unknown (2 desired)  health http /health

8 routes on 4 domains, 5 with findings
`

describe('renderRouteTable', () => {
  it('renders the route report at 100 columns', () => {
    const map = withFindings(buildRouteMap(routeMapSnapshot()), {
      'r-api': ['routes/health-check', 'routes/shared-across-spaces', 'routes/weights-ignored'],
      'r-billing': [
        'routes/internal-exposed',
        'routes/lb-inconsistent',
        'routes/multiple-apps',
        'routes/stopped-app',
      ],
      'r-admin': ['routes/internal-exposed', 'routes/lb-inconsistent', 'routes/sensitive-path-public'],
      'r-old': ['routes/orphan'],
      'r-internal': ['routes/internal-unreachable'],
    })
    expect(renderRouteTable(map, {width: 100})).to.equal(EXPECTED_100)
  })

  it('no line exceeds the width, except a single word longer than a line, which is never cut', () => {
    const longHost = `very-long-hostname-${'x'.repeat(40)}`
    const a = webApp('app-1', `app-with-a-long-name-${'y'.repeat(30)}`)
    const s = routeMapSnapshot()
    s.apps.push(a.app)
    s.processes.push(a.process)
    s.routes.push(
      route({
        guid: 'r-long',
        host: longHost,
        path: `/${'segment/'.repeat(12)}end`,
        options: {loadbalancing: 'least-connection'},
        destinations: [destination({appGuid: 'app-1', weight: 5})],
      }),
    )
    const map = withFindings(buildRouteMap(s), {
      'r-long': ['routes/sensitive-path-public', 'identity/missing'],
    })
    for (const width of [40, 41, 60, 79, 80, 100, 132]) {
      const text = renderRouteTable(map, {width})
      // Issue 16: a URL or name wider than the line used to be cut mid-word; now it is alone on
      // its line, whole (copyable), and only such a line may be wider than the terminal.
      const over = text.split('\n').filter((l) => l.length > width && /\s/.test(l.trim()))
      expect(over, `width ${width}`).to.deep.equal([])
      for (const l of text.split('\n').filter((x) => x.length > width)) {
        expect(l.trim().length, `width ${width}: ${l}`).to.be.greaterThan(width - Math.floor(width / 2))
      }
      expect(text, 'nothing lost').to.contain('identity/missing')
      expect(text, 'the url is whole on one line').to.contain(
        `${longHost}.apps.example.com/${'segment/'.repeat(12)}end`,
      )
    }
  })

  it('prints no colour codes', () => {
    const text = renderRouteTable(buildRouteMap(routeMapSnapshot()), {width: 100})
    expect(/\u001b\[/.test(text)).to.equal(false)
  })

  it('says so when there is nothing to show, and shows an asked-for domain without routes', () => {
    expect(renderRouteTable({domains: []}, {width: 100})).to.equal('no routes\n')
    const s = snapshot({domains: [domain()]})
    expect(renderRouteTable(buildRouteMap(s, {domain: 'apps.example.com'}), {width: 100})).to.equal(
      'apps.example.com  http  0 routes\n  (no routes)\n\n0 routes on 1 domain, 0 with findings\n',
    )
  })
})

describe('wrap', () => {
  it('packs segments, continues indented, breaks long segments at a space', () => {
    expect(wrap(2, ['alpha', 'beta', 'gamma delta epsilon zeta'], 20)).to.deep.equal([
      '  alpha  beta',
      '      gamma delta',
      '      epsilon zeta',
    ])
  })
})
