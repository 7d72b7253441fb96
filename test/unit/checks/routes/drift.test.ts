import {expect} from 'chai'

import {compareRouteBaseline, routeBaselineOf} from '../../../../src/derive/baseline.js'
import {driftRule} from '../../../../src/checks/routes/drift.js'
import type {RouteBaseline} from '../../../../src/model/snapshot.js'
import {access, destination, route, space} from '../../../helpers/snapshot.js'
import {routedSnapshot, runRule, runWithRunner} from '../../../helpers/route-fixtures.js'

const reviewed: RouteBaseline = {
  generatedAt: '2026-11-01T00:00:00Z',
  routes: [
    {
      guid: 'route-1',
      url: 'billing.apps.example.com',
      spaceGuid: 'space-1',
      destinations: [{appGuid: 'app-1', processType: 'web', port: 8080, appName: 'billing-api'}],
    },
    {
      guid: 'route-old',
      url: 'legacy.apps.example.com',
      spaceGuid: 'space-1',
      destinations: [{appGuid: 'app-9', processType: 'web', port: 8080, appName: 'legacy'}],
    },
  ],
}

const withBaseline = (o: Parameters<typeof routedSnapshot>[0] = {}) =>
  routedSnapshot({baseline: reviewed, access: access({baseline: {state: 'full'}}), ...o})

describe('route baseline', () => {
  it('routeBaselineOf keeps url, space and destinations (with app names), sorted, without duplicates', () => {
    const s = routedSnapshot({
      routes: [
        route({
          guid: 'r-b',
          host: 'zeta',
          destinations: [destination({port: 9090}), destination(), destination({guid: 'x'})],
        }),
        route({guid: 'r-a', host: 'alpha', destinations: []}),
      ],
    })
    expect(routeBaselineOf(s)).to.deep.equal({
      generatedAt: s.collectedAt,
      routes: [
        {guid: 'r-a', url: 'alpha.apps.example.com', spaceGuid: 'space-1', destinations: []},
        {
          guid: 'r-b',
          url: 'zeta.apps.example.com',
          spaceGuid: 'space-1',
          destinations: [
            {appGuid: 'app-1', processType: 'web', port: 8080, appName: 'billing-api'},
            {appGuid: 'app-1', processType: 'web', port: 9090, appName: 'billing-api'},
          ],
        },
      ],
    })
  })

  it('a snapshot compared with its own baseline has no drift', () => {
    const s = routedSnapshot()
    expect(compareRouteBaseline(routeBaselineOf(s), routeBaselineOf(s))).to.deep.equal({
      addedRoutes: [],
      removedRoutes: [],
      addedDestinations: [],
      removedDestinations: [],
    })
  })
})

describe('routes/drift', () => {
  it('reports one finding per added and removed route and destination', () => {
    const s = withBaseline({
      routes: [
        route({destinations: [destination({port: 9090})]}),
        route({guid: 'route-new', host: 'billing-admin', destinations: [destination()]}),
      ],
    })
    const findings = runRule(driftRule, s)
    expect(
      findings.map((f) => [f.evidence.change, f.resource.name, f.evidence.destination ?? null]),
    ).to.deep.equal([
      ['route-added', 'billing-admin.apps.example.com', null],
      ['route-removed', 'legacy.apps.example.com', null],
      ['destination-added', 'billing.apps.example.com', 'billing-api/web:9090'],
      ['destination-removed', 'billing.apps.example.com', 'billing-api/web:8080'],
    ])
    expect(findings[1]?.message).to.equal(
      'route legacy.apps.example.com from the baseline of 2026-11-01T00:00:00Z is gone',
    )
    expect(findings[1]?.resource).to.deep.equal({
      kind: 'route',
      guid: 'route-old',
      name: 'legacy.apps.example.com',
    })
  })

  it('matches routes by url: a re-created route with the same destinations is no drift', () => {
    const s = withBaseline({
      routes: [
        route({guid: 'route-recreated'}),
        route({guid: 'route-old2', host: 'legacy', destinations: [destination({appGuid: 'app-9'})]}),
      ],
    })
    expect(runRule(driftRule, s)).to.deep.equal([])
  })

  it('ignores baseline routes of spaces outside the current scope', () => {
    const scoped: RouteBaseline = {
      ...reviewed,
      routes: [
        ...reviewed.routes.slice(0, 1),
        {...(reviewed.routes[1] as RouteBaseline['routes'][number]), spaceGuid: 'space-other'},
      ],
    }
    expect(runRule(driftRule, withBaseline({baseline: scoped}))).to.deep.equal([])
    const visible = withBaseline({
      baseline: scoped,
      spaces: [space(), space({guid: 'space-other', name: 'other'})],
    })
    expect(runRule(driftRule, visible).map((f) => f.evidence.change)).to.deep.equal(['route-removed'])
  })

  it('is opt-in: without --baseline it does not run; an unreadable baseline is a gap', () => {
    expect(runWithRunner(driftRule, routedSnapshot()).evaluated).to.deep.equal([])
    const broken = routedSnapshot({
      baseline: null,
      access: access({baseline: {state: 'none', why: 'file is not a cfguard snapshot'}}),
    })
    const run = runWithRunner(driftRule, broken)
    expect(run.findings).to.deep.equal([])
    expect(run.gaps.map((g) => g.why)).to.deep.equal(['file is not a cfguard snapshot'])
  })
})
