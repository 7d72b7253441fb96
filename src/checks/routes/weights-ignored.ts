import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {routeRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {appName, cfRouteArgs} from '../../derive/routes.js'

export const weightsIgnoredRule: Rule = {
  id: 'routes/weights-ignored',
  family: 'routes',
  severity: 'low',
  title: 'Destination weight that Gorouter ignores',
  docs:
    'Destination `weight` is a deprecated field from the Istio routing experiment; Gorouter ' +
    'ignores it and spreads requests by instance, not by weight. A weighted destination usually ' +
    'means someone believes a canary gets 10 % of the traffic while it really gets its share of ' +
    'instances. Weights cannot be changed in place: unmap and re-map the app (`cf unmap-route APP ' +
    'DOMAIN --hostname HOST`, `cf map-route APP DOMAIN --hostname HOST`), and steer canaries with ' +
    'instance counts or `cf restart APP --strategy canary`.',
  needs: [],
  soc2: ['CC8.1'],
  run(s: Snapshot): Finding[] {
    const ix = indexSnapshot(s)
    const findings: Finding[] = []
    for (const route of s.routes) {
      const total = route.destinations.reduce((sum, d) => sum + (d.weight ?? 0), 0)
      for (const d of route.destinations) {
        if (d.weight === null) continue
        const name = appName(ix, d.appGuid)
        findings.push(
          makeFinding(weightsIgnoredRule, {
            resource: routeRef(s, route),
            key: d.guid,
            message: `route ${route.url}: destination ${name}/${d.processType} has weight ${d.weight}${total > 0 ? ` of ${total}` : ''}, which Gorouter ignores`,
            remediation: `cf unmap-route ${name} ${cfRouteArgs(ix, route)} && cf map-route ${name} ${cfRouteArgs(ix, route)}`,
            evidence: {app: name, processType: d.processType, weight: d.weight, totalWeight: total},
          }),
        )
      }
    }
    return findings
  },
}
