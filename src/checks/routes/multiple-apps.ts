import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {appRef, routeRef} from '../../derive/refs.js'
import {indexSnapshot, placeOf, type SnapshotIndex} from '../../derive/lookup.js'
import {appName, cfRouteArgs, destinationApps} from '../../derive/routes.js'

export const multipleAppsRule: Rule = {
  id: 'routes/multiple-apps',
  family: 'routes',
  severity: 'low',
  title: 'Route split between several apps',
  docs:
    "Gorouter spreads a route's requests over the instances of every app mapped to it. Outside a " +
    'deployment that is almost always a blue/green switch that was never finished: users get the ' +
    'old and the new version at random, and the old one keeps running with old code and old ' +
    'credentials. A route with an ACTIVE deployment of one of its apps is not reported, since a ' +
    'switch may be under way. Finish the switch with `cf unmap-route ' +
    'OLD_APP DOMAIN --hostname HOST` (then `cf stop` or `cf delete` the old app), or document an ' +
    'intended split with a suppression.',
  needs: [],
  soc2: ['CC8.1', 'A1.2'],
  run(s: Snapshot): Finding[] {
    const ix = indexSnapshot(s)
    const deploying = new Set(s.deployments.filter((d) => d.statusValue === 'ACTIVE').map((d) => d.appGuid))
    const findings: Finding[] = []
    for (const route of s.routes) {
      const apps = destinationApps(route)
      if (apps.length < 2 || apps.some((g) => deploying.has(g))) continue
      const names = apps.map((g) => appName(ix, g)).sort()
      const shown = labelled(ix, apps)
      const newest = apps
        .map((g) => ix.apps.get(g))
        .filter((a) => a !== undefined)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      const oldest = newest[0]
      findings.push(
        makeFinding(multipleAppsRule, {
          resource: routeRef(s, route),
          related: newest.map((a) => appRef(s, a)),
          message: `route ${route.url} sends traffic to ${apps.length} apps (${shown.join(', ')}) and no deployment is active`,
          remediation: `cf unmap-route ${oldest?.name ?? 'OLD_APP'} ${cfRouteArgs(ix, route)}   # keep the version that should serve`,
          evidence: {apps: names},
        }),
      )
    }
    return findings
  },
}

/**
 * App names for the message, sorted; with `org/space` after each when the apps live in several
 * spaces (two apps called `gateway` in two spaces would otherwise read as one name twice).
 */
function labelled(ix: SnapshotIndex, appGuids: string[]): string[] {
  const spaces = new Set(appGuids.map((g) => ix.apps.get(g)?.spaceGuid ?? null))
  return appGuids
    .map((g) => {
      const name = appName(ix, g)
      if (spaces.size < 2) return name
      const {org, space} = placeOf(ix, ix.apps.get(g)?.spaceGuid ?? null)
      return space ? `${name} in ${org ? `${org}/` : ''}${space}` : name
    })
    .sort()
}
