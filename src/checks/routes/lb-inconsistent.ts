import type {Finding, ResourceRef} from '../../model/finding.js'
import type {Policy} from '../../model/policy.js'
import type {Rule} from '../../model/rule.js'
import type {Route, Snapshot} from '../../model/snapshot.js'
import {matchesSelector} from '../../model/selector.js'
import {makeFinding} from '../finding.js'
import {routeRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {
  DEFAULT_ALGORITHM,
  algorithmOf,
  cfRouteArgs,
  destinationProcess,
  destinationApps,
  isInternalRoute,
  isTcpRoute,
  normalizeAlgorithm,
  processRef,
  selectableApp,
} from '../../derive/routes.js'
import {pushTo} from '../../util/multimap.js'

export const lbInconsistentRule: Rule = {
  id: 'routes/lb-inconsistent',
  family: 'routes',
  severity: 'low',
  title: 'Routes to one process balance differently',
  docs:
    'Gorouter balances each route on its own: when two routes to the same app process use ' +
    'different algorithms (say `least-connection` on the API host, round-robin on the vanity ' +
    'host), the instances see uneven load that no single route setting explains, and a change ' +
    'reviewed on one route silently does not apply to the other. `least-connections` (CC < 3.187) ' +
    'and `least-connection` count as one algorithm. A route without a `loadbalancing` option uses ' +
    "the operator's default, which no API reports, so it counts as its own value `default` and " +
    'differs from any explicit algorithm — set the option on every route to the process to make ' +
    'them comparable. Routes on internal and TCP domains ignore the option and are left out. The ' +
    'policy file may also name the expected algorithm per app selector ' +
    '(`routes.loadBalancing`); a route that differs is reported with evidence `expected`. Align ' +
    'them with `cf update-route DOMAIN --hostname HOST --option loadbalancing=least-connection`.',
  needs: [],
  soc2: ['CC8.1', 'A1.2'],
  run(s: Snapshot, policy: Policy): Finding[] {
    const ix = indexSnapshot(s)
    const balanced = s.routes.filter((r) => !isInternalRoute(ix, r) && !isTcpRoute(ix, r))
    const findings: Finding[] = []

    // 1. Different algorithms among the routes to one app process.
    const routesByProcess = new Map<string, Route[]>()
    for (const route of balanced) {
      for (const key of new Set(route.destinations.map((d) => `${d.appGuid}/${d.processType}`))) {
        pushTo(routesByProcess, key, route)
      }
    }
    // Only processes whose routes disagree are sorted (by key, as before): most agree.
    const disagreeing: [string, Route[], string[]][] = []
    for (const [key, routes] of routesByProcess) {
      const algorithms = [...new Set(routes.map(algorithmOf))].sort()
      if (algorithms.length >= 2) disagreeing.push([key, routes, algorithms])
    }
    for (const [key, routes, algorithms] of disagreeing.sort(([a], [b]) => a.localeCompare(b))) {
      const [appGuid, type] = key.split('/') as [string, string]
      const app = ix.apps.get(appGuid)
      const process = destinationProcess(ix, appGuid, type)
      const resource: ResourceRef =
        app && process
          ? processRef(s, app, process)
          : {kind: 'process', guid: key, name: `${app?.name ?? appGuid}/${type}`}
      const byAlgorithm = routes.map((r) => `${r.url}=${algorithmOf(r)}`).sort((a, b) => a.localeCompare(b))
      const explicit = algorithms.filter((a) => a !== DEFAULT_ALGORITHM)
      findings.push(
        makeFinding(lbInconsistentRule, {
          resource,
          related: routes.map((r) => routeRef(s, r)),
          key: 'routes',
          message: `${resource.name} is reached by ${routes.length} routes with different load balancing (${algorithms.join(', ')})`,
          remediation: `set one algorithm on every route, e.g. cf update-route DOMAIN --hostname HOST --option loadbalancing=${explicit[0] ?? 'round-robin'}`,
          evidence: {algorithms, routes: byAlgorithm},
        }),
      )
    }

    // 2. Routes that differ from what the policy expects for their apps.
    if (policy.routes.loadBalancing.length === 0) return findings
    for (const route of balanced) {
      for (const appGuid of destinationApps(route)) {
        const app = ix.apps.get(appGuid)
        if (!app) continue
        const rule = policy.routes.loadBalancing.find((e) =>
          matchesSelector(selectableApp(ix, app), e.selector),
        )
        if (!rule) continue
        const expected = normalizeAlgorithm(rule.algorithm)
        const actual = algorithmOf(route)
        if (actual === expected) continue
        findings.push(
          makeFinding(lbInconsistentRule, {
            resource: routeRef(s, route),
            key: `expected:${appGuid}`,
            message:
              `route ${route.url} to ${app.name} uses ${actual === DEFAULT_ALGORITHM ? "the operator's default algorithm" : actual}` +
              `, the policy expects ${expected}`,
            remediation: `cf update-route ${cfRouteArgs(ix, route)} --option loadbalancing=${expected}`,
            evidence: {app: app.name, expected, actual},
          }),
        )
      }
    }
    return findings
  },
}
