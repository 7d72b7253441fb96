import type {Finding} from '../../model/finding.js'
import type {Policy} from '../../model/policy.js'
import type {Rule} from '../../model/rule.js'
import type {Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {appRef, routeRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {cfRouteArgs, destinationApps, domainOf, internalApps} from '../../derive/routes.js'

export const internalExposedRule: Rule = {
  id: 'routes/internal-exposed',
  family: 'routes',
  severity: 'critical',
  title: 'Internal app reachable through a public route',
  docs:
    'An app is internal when the policy file says so (`routes.internalApps`: label selector, name ' +
    'glob, org/space) or when it has a route on an internal domain (`apps.internal`), which is how ' +
    'teams publish APIs meant only for container-to-container calls. A route on any other domain ' +
    'puts that app on the Gorouter, reachable by anyone who can reach the foundation, usually ' +
    'without the authentication its callers were trusted to do. Remove the public route with ' +
    '`cf unmap-route APP DOMAIN --hostname HOST` (and `cf delete-route`), or, if the exposure is ' +
    'intended, put it behind a route service or route policy and record the decision as a ' +
    'suppression with a reason and an expiry. Routes on domains that are not visible are not judged.',
  needs: [],
  soc2: ['CC6.6', 'CC6.1'],
  run(s: Snapshot, policy: Policy): Finding[] {
    const ix = indexSnapshot(s)
    const internal = internalApps(s, policy)
    const findings: Finding[] = []
    for (const route of s.routes) {
      const domain = domainOf(ix, route)
      if (!domain || domain.internal) continue
      for (const appGuid of destinationApps(route)) {
        const why = internal.get(appGuid)
        const app = ix.apps.get(appGuid)
        if (!why || !app) continue
        findings.push(
          makeFinding(internalExposedRule, {
            resource: routeRef(s, route),
            related: [appRef(s, app)],
            key: appGuid,
            message: `internal app ${app.name} (${why}) is reachable on public route ${route.url}`,
            remediation: `cf unmap-route ${app.name} ${cfRouteArgs(ix, route)}`,
            evidence: {app: app.name, internalBecause: why, publicDomain: domain.name},
          }),
        )
      }
    }
    return findings
  },
}
