import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {routeRef, serviceInstanceRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {cfRouteArgs, routeServiceChain} from '../../derive/routes.js'

export const routeServiceLoopRule: Rule = {
  id: 'routes/route-service-loop',
  family: 'routes',
  severity: 'high',
  title: 'Route-service chain that loops',
  docs:
    'Gorouter forwards each request on a bound route to the route-service URL first; when that URL ' +
    'is itself a route of this foundation with a route service, the request is forwarded again. ' +
    'If following the URLs (host, domain and longest path prefix, as Gorouter matches them) comes ' +
    'back to a route already on the path, every request circles until a timeout or a header-size ' +
    'limit and the route never reaches its app. Usually a route service was bound to its own ' +
    'route, or to a wildcard or parent path that also covers the service. Unbind the wrong binding ' +
    'with `cf unbind-route-service DOMAIN --hostname HOST SERVICE_INSTANCE`, or give the route ' +
    'service a route outside the bound host or path.',
  needs: [],
  soc2: ['A1.2', 'CC6.6'],
  run(s: Snapshot): Finding[] {
    const ix = indexSnapshot(s)
    const findings: Finding[] = []
    for (const route of s.routes) {
      const {hops, loop} = routeServiceChain(s, route)
      if (!loop) continue
      const first = hops[0]
      if (!first) continue
      const si = ix.serviceInstances.get(first.binding.serviceInstanceGuid)
      const chain = [route.url, ...hops.map((h) => h.target?.url ?? h.url ?? '?')]
      findings.push(
        makeFinding(routeServiceLoopRule, {
          resource: routeRef(s, route),
          related: si ? [serviceInstanceRef(s, si)] : [],
          message: `route ${route.url}: route-service chain loops (${chain.join(' → ')})`,
          remediation: `cf unbind-route-service ${cfRouteArgs(ix, route)} ${si?.name ?? 'SERVICE_INSTANCE'}   # or move the route service off the bound host/path`,
          evidence: {
            chain,
            routeServiceUrls: hops.map((h) => h.url ?? '-'),
            serviceInstance: si?.name ?? first.binding.serviceInstanceGuid,
          },
        }),
      )
    }
    return findings
  },
}
