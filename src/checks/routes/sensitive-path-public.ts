import type {Finding} from '../../model/finding.js'
import type {Policy} from '../../model/policy.js'
import type {Rule} from '../../model/rule.js'
import type {Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {routeRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {cfRouteArgs, destinationApps, domainOf, isTcpRoute} from '../../derive/routes.js'

export const sensitivePathPublicRule: Rule = {
  id: 'routes/sensitive-path-public',
  family: 'routes',
  severity: 'medium',
  title: 'Operational surface on a public route',
  docs:
    'Paths such as `/admin`, `/actuator`, `/metrics`, `/internal`, `/debug` and `/env` (anywhere in ' +
    'the route path, at a segment boundary) and hosts ending in `-internal` or `-admin` are where ' +
    'apps put management endpoints that leak configuration, credentials or control; on a public ' +
    'domain they are one URL away from anyone. Both lists come from the policy file ' +
    '(`routes.sensitivePaths`, `routes.sensitiveHostSuffixes`). Move the surface to an internal ' +
    'domain (`cf map-route APP apps.internal --hostname HOST`, then `cf unmap-route` the public ' +
    'one) or put it behind an authenticating route service (`cf bind-route-service`) or an ' +
    'identity-aware domain; a route already behind one of those is reported at low severity.',
  needs: [],
  soc2: ['CC6.6', 'CC6.1'],
  run(s: Snapshot, policy: Policy): Finding[] {
    const ix = indexSnapshot(s)
    const boundRoutes = new Set(s.routeBindings.map((b) => b.routeGuid))
    const paths = policy.routes.sensitivePaths
      .map(
        (p) =>
          `/${p
            .trim()
            .toLowerCase()
            .replace(/^\/+|\/+$/g, '')}`,
      )
      .filter((p) => p !== '/')
    const suffixes = policy.routes.sensitiveHostSuffixes.map((h) => h.trim().toLowerCase()).filter(Boolean)
    const findings: Finding[] = []
    for (const route of s.routes) {
      const domain = domainOf(ix, route)
      if (!domain || domain.internal || isTcpRoute(ix, route)) continue
      const path = `${route.path.toLowerCase()}/`
      const host = route.host.toLowerCase()
      const matchedPath = paths.find((p) => path.includes(`${p}/`)) ?? null
      const matchedHost = suffixes.find((suffix) => host.endsWith(suffix)) ?? null
      if (!matchedPath && !matchedHost) continue
      const gatedBy = boundRoutes.has(route.guid)
        ? 'route-service'
        : domain.enforceRoutePolicies
          ? 'route-policy'
          : null
      const apps = destinationApps(route).map((g) => ix.apps.get(g)?.name ?? g)
      const what = matchedPath ? `path ${route.path}` : `host ${route.host}`
      findings.push(
        makeFinding(sensitivePathPublicRule, {
          resource: routeRef(s, route),
          severity: gatedBy ? 'low' : undefined,
          message:
            `public route ${route.url} exposes an operational ${what}` +
            (gatedBy ? ` (behind a ${gatedBy})` : ''),
          remediation: `move it to an internal domain or gate it: cf bind-route-service ${cfRouteArgs(ix, route)} AUTH_SERVICE`,
          evidence: {matchedPath, matchedHost, gatedBy, apps},
        }),
      )
    }
    return findings
  },
}
