import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {routeRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {algorithmOf, cfRouteArgs} from '../../derive/routes.js'

export const lbHashMissingHeaderRule: Rule = {
  id: 'routes/lb-hash-missing-header',
  family: 'routes',
  severity: 'high',
  title: 'Hash load balancing without a hash header',
  docs:
    'Hash-based load balancing (CC ≥ 3.210, feature flag `hash_based_routing`) picks the instance ' +
    'from the value of `hash_header`; the API refuses `loadbalancing: hash` without it, so a route ' +
    'that has one anyway was written around the API or by an older version, and Gorouter has no ' +
    'header to hash on, so the route does not balance the way its option says (no session ' +
    'affinity, possibly every request on one instance). Set the header with `cf ' +
    'update-route DOMAIN --hostname HOST --option hash_header=X-User-ID`, or switch the algorithm ' +
    'with `--option loadbalancing=round-robin`.',
  needs: [],
  soc2: ['A1.2', 'CC8.1'],
  run(s: Snapshot): Finding[] {
    const ix = indexSnapshot(s)
    return s.routes
      .filter((route) => algorithmOf(route) === 'hash' && !route.options.hashHeader?.trim())
      .map((route) =>
        makeFinding(lbHashMissingHeaderRule, {
          resource: routeRef(s, route),
          message: `route ${route.url} uses loadbalancing=hash without hash_header`,
          remediation: `cf update-route ${cfRouteArgs(ix, route)} --option hash_header=X-User-ID   # or --option loadbalancing=round-robin`,
          evidence: {
            loadbalancing: route.options.loadbalancing ?? null,
            hashBalance: route.options.hashBalance ?? null,
          },
        }),
      )
  },
}
