import {compareRouteBaseline, destinationKey, routeBaselineOf} from '../../derive/baseline.js'
import type {BaselineDestination, BaselineRoute} from '../../derive/baseline.js'
import type {Finding, ResourceRef} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {routeRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'

export const driftRule: Rule = {
  id: 'routes/drift',
  family: 'routes',
  severity: 'medium',
  title: 'Route changed since the reviewed baseline',
  docs:
    'With `--baseline FILE` (a snapshot written by `cfguard snapshot --output FILE` after a ' +
    'review), every route that exists now but not in the baseline, every baseline route that is ' +
    'gone, and every destination added to or removed from a route is reported — one finding ' +
    'each — so an app that quietly became reachable on a new hostname, or traffic moved to ' +
    'another app, shows up in the next audit instead of in an incident. Routes compare by url, ' +
    'destinations by app, process type and port; baseline routes of spaces outside the current ' +
    'scope are ignored. Review each change; undo an unwanted one (`cf unmap-route`, `cf ' +
    'delete-route`, `cf map-route`) or accept them all by writing a new baseline with `cfguard ' +
    'snapshot --output FILE`.',
  needs: ['baseline'],
  soc2: ['CC8.1', 'CC7.1'],
  optIn: 'baseline',
  run(s: Snapshot): Finding[] {
    if (!s.baseline) return []
    const ix = indexSnapshot(s)
    const visibleSpaces = new Set(s.spaces.map((sp) => sp.guid))
    const drift = compareRouteBaseline(s.baseline, routeBaselineOf(s), (g) => visibleSpaces.has(g))
    const since = s.baseline.generatedAt
    const refOf = (r: BaselineRoute): ResourceRef => {
      const route = ix.routes.get(r.guid)
      return route ? routeRef(s, route) : {kind: 'route', guid: r.guid, name: r.url}
    }
    const label = (d: BaselineDestination) =>
      `${ix.apps.get(d.appGuid)?.name ?? d.appName ?? d.appGuid}/${d.processType}${d.port === null ? '' : `:${d.port}`}`
    const findings: Finding[] = []
    for (const r of drift.addedRoutes) {
      findings.push(
        makeFinding(driftRule, {
          resource: refOf(r),
          key: 'added',
          message: `route ${r.url} is new since the baseline of ${since} (→ ${r.destinations.map(label).join(', ') || 'no destination'})`,
          remediation:
            'review it; if unwanted: cf delete-route DOMAIN --hostname HOST; if accepted: cfguard snapshot --output FILE',
          evidence: {
            change: 'route-added',
            url: r.url,
            destinations: r.destinations.map(label),
            baselineAt: since,
          },
        }),
      )
    }
    for (const r of drift.removedRoutes) {
      findings.push(
        makeFinding(driftRule, {
          resource: refOf(r),
          key: 'removed',
          message: `route ${r.url} from the baseline of ${since} is gone`,
          remediation:
            'if it should exist: cf create-route DOMAIN --hostname HOST && cf map-route APP DOMAIN --hostname HOST; else refresh the baseline',
          evidence: {
            change: 'route-removed',
            url: r.url,
            destinations: r.destinations.map(label),
            baselineAt: since,
          },
        }),
      )
    }
    for (const {route, destination} of drift.addedDestinations) {
      findings.push(
        makeFinding(driftRule, {
          resource: refOf(route),
          key: `added:${destinationKey(destination)}`,
          message: `route ${route.url} now also sends traffic to ${label(destination)} (not in the baseline of ${since})`,
          remediation: `review it; if unwanted: cf unmap-route ${ix.apps.get(destination.appGuid)?.name ?? 'APP'} DOMAIN --hostname HOST`,
          evidence: {
            change: 'destination-added',
            url: route.url,
            destination: label(destination),
            baselineAt: since,
          },
        }),
      )
    }
    for (const {route, destination} of drift.removedDestinations) {
      findings.push(
        makeFinding(driftRule, {
          resource: refOf(route),
          key: `removed:${destinationKey(destination)}`,
          message: `route ${route.url} no longer sends traffic to ${label(destination)} (in the baseline of ${since})`,
          remediation: 'if it should: cf map-route APP DOMAIN --hostname HOST; else refresh the baseline',
          evidence: {
            change: 'destination-removed',
            url: route.url,
            destination: label(destination),
            baselineAt: since,
          },
        }),
      )
    }
    return findings
  },
}
