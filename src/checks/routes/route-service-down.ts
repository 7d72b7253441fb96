import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Route, Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {routeRef, serviceInstanceRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {
  appName,
  cfRouteArgs,
  routeServiceUrlOf,
  resolveUrlToRoute,
  servingStateOf,
} from '../../derive/routes.js'

export const routeServiceDownRule: Rule = {
  id: 'routes/route-service-down',
  family: 'routes',
  severity: 'high',
  title: 'Route service with nothing running behind it',
  docs:
    'Every request to a route with a route service goes through the service first. When the ' +
    'route-service URL is a route of this foundation (matched by host, domain and longest path ' +
    'prefix) and that route has no destination, or every destination app is stopped, scaled to 0 ' +
    'or has no routable running instance, the bound route fails with 502/404 for every request ' +
    'even though its own app is healthy. Start or fix the route-service app (`cf start APP`, `cf ' +
    'logs APP --recent`), or unbind it with `cf unbind-route-service DOMAIN --hostname HOST ' +
    'SERVICE_INSTANCE` if it is retired. Only certainty counts: when instances could not be read, ' +
    'or an app is not visible, the route is not judged (coverage gap).',
  needs: ['instances'],
  soc2: ['A1.2', 'CC6.6'],
  run(s: Snapshot): Finding[] {
    const ix = indexSnapshot(s)
    const findings: Finding[] = []
    for (const binding of [...s.routeBindings].sort((a, b) => a.guid.localeCompare(b.guid))) {
      const bound = ix.routes.get(binding.routeGuid)
      const url = routeServiceUrlOf(ix, binding)
      if (!bound || !url) continue
      const target = resolveUrlToRoute(s, url)
      if (!target || target.guid === bound.guid) continue // external, or a loop (routes/route-service-loop)
      const down = whyDown(s, target)
      if (!down) continue
      const si = ix.serviceInstances.get(binding.serviceInstanceGuid)
      findings.push(
        makeFinding(routeServiceDownRule, {
          resource: routeRef(s, bound),
          related: [routeRef(s, target), ...(si ? [serviceInstanceRef(s, si)] : [])],
          key: binding.guid,
          message: `route ${bound.url} goes through route service ${url}, whose route ${target.url} has nothing running (${down.join('; ')})`,
          remediation:
            (target.destinations.length
              ? `start or fix ${[...new Set(target.destinations.map((d) => appName(ix, d.appGuid)))].join(', ')}`
              : `map the route-service app to ${target.url} (cf map-route)`) +
            `, or unbind it: cf unbind-route-service ${cfRouteArgs(ix, bound)} ${si?.name ?? 'SERVICE_INSTANCE'}`,
          evidence: {
            routeServiceUrl: url,
            resolvedRoute: target.url,
            serviceInstance: si?.name ?? binding.serviceInstanceGuid,
            reasons: down,
          },
        }),
      )
    }
    return findings
  },
}

/** Why nothing behind a route can serve, or null when something can (or it is not certain). */
function whyDown(s: Snapshot, target: Route): string[] | null {
  const ix = indexSnapshot(s)
  if (target.destinations.length === 0) return ['no destinations']
  const reasons: string[] = []
  for (const key of new Set(target.destinations.map((d) => `${d.appGuid}/${d.processType}`))) {
    const [appGuid, type] = key.split('/') as [string, string]
    const state = servingStateOf(ix, appGuid, type)
    if (state.state !== 'not-serving') return null
    reasons.push(`${appName(ix, appGuid)}/${type}: ${state.reason}`)
  }
  return reasons
}
