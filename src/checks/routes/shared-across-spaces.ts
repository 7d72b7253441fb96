import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {routeRef} from '../../derive/refs.js'
import {indexSnapshot, placeOf} from '../../derive/lookup.js'
import {destinationApps} from '../../derive/routes.js'

export const sharedAcrossSpacesRule: Rule = {
  id: 'routes/shared-across-spaces',
  family: 'routes',
  severity: 'info',
  title: 'Route shared across spaces',
  docs:
    'A route whose destinations live in another space than the route (experimental route sharing, ' +
    '`cf share-route`), or in several spaces, lets teams with different access send traffic for ' +
    'one hostname: a developer in any of those spaces can map an app and receive a share of the ' +
    "requests meant for another team's app, and cross-space mistakes on generic hostnames cause " +
    'intermittent misrouting only an admin can diagnose. Listed so it is a deliberate choice; undo ' +
    'it with `cf unshare-route DOMAIN --hostname HOST -s SPACE` or `cf unmap-route`.',
  needs: [],
  soc2: ['CC6.1', 'CC6.6'],
  run(s: Snapshot): Finding[] {
    const ix = indexSnapshot(s)
    const findings: Finding[] = []
    for (const route of s.routes) {
      const spaces = new Set([route.spaceGuid, ...route.sharedSpaceGuids])
      let invisible = 0
      for (const appGuid of destinationApps(route)) {
        const app = ix.apps.get(appGuid)
        if (app) spaces.add(app.spaceGuid)
        else invisible++
      }
      if (spaces.size < 2) continue
      const names = [...spaces]
        .map((g) => {
          const place = placeOf(ix, g)
          return place.space ? `${place.org ?? '?'}/${place.space}` : g
        })
        .sort()
      findings.push(
        makeFinding(sharedAcrossSpacesRule, {
          resource: routeRef(s, route),
          message: `route ${route.url} spans ${spaces.size} spaces (${names.join(', ')})`,
          remediation:
            'cf unshare-route DOMAIN --hostname HOST -s SPACE   # or cf unmap-route the foreign app',
          evidence: {spaces: names, sharedWith: route.sharedSpaceGuids.length, invisibleApps: invisible},
        }),
      )
    }
    return findings
  },
}
