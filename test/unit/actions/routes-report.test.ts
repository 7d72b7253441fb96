import {expect} from 'chai'

import {buildTrafficReport} from '../../../src/actions/routes-report.js'
import {renderTrafficTable} from '../../../src/cli/views/routes.js'
import type {TrafficStat} from '../../../src/model/snapshot.js'
import {app, domain, proc, route, snapshot} from '../../helpers/snapshot.js'

const stat = (o: Partial<TrafficStat>): TrafficStat => ({
  routeHost: 'billing.apps.example.com',
  appGuid: 'app-1',
  instanceIndex: 0,
  instanceGuid: 'inst-0',
  requests: 0,
  status5xx: 0,
  p95ResponseSeconds: 0.05,
  routerErrors: {},
  ...o,
})

const withTraffic = (stats: TrafficStat[]) =>
  snapshot({
    apps: [app()],
    processes: [proc()],
    domains: [domain()],
    routes: [route(), route({guid: 'route-2', path: '/v2'})],
    traffic: {windowSeconds: 900, stats, linesRead: 130, linesSkipped: 2},
  })

describe('routes report traffic view (actions/routes-report)', () => {
  it('is absent when traffic was not collected', () => {
    expect(buildTrafficReport(snapshot())).to.equal(null)
  })

  it('gives each instance its share of the host, its 5xx rate and p95, and lists the routes of the host', () => {
    const report = buildTrafficReport(
      withTraffic([
        stat({
          instanceIndex: 1,
          instanceGuid: 'inst-1',
          requests: 75,
          status5xx: 15,
          p95ResponseSeconds: 0.4,
        }),
        stat({requests: 25, status5xx: 0, routerErrors: {endpoint_failure: 1}}),
        stat({
          instanceIndex: -1,
          instanceGuid: null,
          requests: 3,
          p95ResponseSeconds: null,
          routerErrors: {no_endpoints: 3},
        }),
      ]),
    )!
    expect(report).to.include({windowSeconds: 900, linesRead: 130, linesSkipped: 2})
    expect(report.hosts).to.have.length(1)
    const host = report.hosts[0]!
    expect(host).to.include({host: 'billing.apps.example.com', requests: 100, status5xx: 15})
    expect(host.routes).to.deep.equal(['billing.apps.example.com', 'billing.apps.example.com/v2'])
    expect(host.routerErrors).to.deep.equal({endpoint_failure: 1, no_endpoints: 3})
    expect(
      host.instances.map((i) => [i.appName, i.index, i.share, i.errorRate, i.p95ResponseSeconds]),
    ).to.deep.equal([
      ['billing-api', 0, 0.25, 0, 0.05],
      ['billing-api', 1, 0.75, 0.2, 0.4],
    ])
  })

  it('keeps traffic to a host with no route now, and names an app it cannot see by guid', () => {
    const report = buildTrafficReport(
      withTraffic([stat({routeHost: 'gone.apps.example.com', appGuid: 'app-9', requests: 4})]),
    )!
    expect(report.hosts[0]).to.include({host: 'gone.apps.example.com', requests: 4})
    expect(report.hosts[0]!.routes).to.deep.equal([])
    expect(report.hosts[0]!.instances[0]!.appName).to.equal('app-9')
  })

  it('renders a host line and an instance line each, within the width, with skipped lines counted', () => {
    const report = buildTrafficReport(
      withTraffic([
        stat({requests: 25}),
        stat({
          instanceIndex: 1,
          instanceGuid: 'inst-1',
          requests: 75,
          status5xx: 15,
          p95ResponseSeconds: 0.4,
        }),
      ]),
    )!
    const text = renderTrafficTable(report, 100)
    expect(text).to.equal(
      [
        'Traffic over 15m  Gorouter access logs: 130 lines read, 2 skipped (malformed or truncated)',
        '  billing.apps.example.com  100 requests  5xx 15%',
        '    billing-api/0  25 (25%)  5xx 0%  p95 0.050s',
        '    billing-api/1  75 (75%)  5xx 20%  p95 0.400s',
        '',
      ].join('\n'),
    )
    for (const line of renderTrafficTable(report, 40).split('\n')) expect(line.length).to.be.at.most(40)
  })
})
