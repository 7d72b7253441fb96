import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {routeRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {cfRouteArgs} from '../../derive/routes.js'

export const orphanRule: Rule = {
  id: 'routes/orphan',
  family: 'routes',
  severity: 'low',
  title: 'Route with no destination',
  docs:
    'A route with no destination and no route service answers every request with a Gorouter 404 ' +
    '(`unknown_route`), still counts against the route quota, and keeps a hostname reserved that ' +
    'nobody reviews; a later `cf map-route` by anyone with write access to its space silently ' +
    'publishes whatever app they map. Delete it with `cf delete-route DOMAIN --hostname HOST ' +
    '[--path PATH]` (or every unmapped route of a space with `cf delete-orphaned-routes`), or map ' +
    'the app it was meant for with `cf map-route APP DOMAIN --hostname HOST`.',
  needs: [],
  soc2: ['CC6.6', 'CC8.1'],
  run(s: Snapshot): Finding[] {
    const ix = indexSnapshot(s)
    const bound = new Set(s.routeBindings.map((b) => b.routeGuid))
    return s.routes
      .filter((route) => route.destinations.length === 0 && !bound.has(route.guid))
      .map((route) =>
        makeFinding(orphanRule, {
          resource: routeRef(s, route),
          message: `route ${route.url} has no destination and no route service`,
          remediation: `cf delete-route ${cfRouteArgs(ix, route)}`,
          evidence: {createdAt: route.createdAt, updatedAt: route.updatedAt},
        }),
      )
  },
}
