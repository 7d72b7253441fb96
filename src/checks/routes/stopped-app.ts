import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {appRef, routeRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {cfRouteArgs, destinationApps, servingStateOf} from '../../derive/routes.js'

export const stoppedAppRule: Rule = {
  id: 'routes/stopped-app',
  family: 'routes',
  severity: 'medium',
  title: 'Route to a stopped app',
  docs:
    'Gorouter has no backend for a stopped app, so a route whose only destination is stopped answers ' +
    '404 (`unknown_route`) or 502, and a route shared with running apps keeps a dead member that ' +
    'will take traffic again the moment someone starts an old version. Start the app if it should ' +
    'serve (`cf start APP`), or remove the mapping with `cf unmap-route APP DOMAIN --hostname HOST ' +
    '[--path PATH]`. Apps not visible to the token are not judged.',
  needs: [],
  soc2: ['A1.2', 'CC7.1'],
  run(s: Snapshot): Finding[] {
    const ix = indexSnapshot(s)
    const findings: Finding[] = []
    for (const route of s.routes) {
      const apps = destinationApps(route)
      for (const appGuid of apps) {
        const app = ix.apps.get(appGuid)
        if (!app || app.state !== 'STOPPED') continue
        const others = apps.filter((g) => g !== appGuid)
        const serving = others.filter((g) =>
          route.destinations.some(
            (d) => d.appGuid === g && servingStateOf(ix, g, d.processType).state === 'serving',
          ),
        )
        findings.push(
          makeFinding(stoppedAppRule, {
            resource: routeRef(s, route),
            related: [appRef(s, app)],
            key: appGuid,
            message:
              `route ${route.url} sends traffic to app ${app.name}, which is STOPPED` +
              (others.length === 0
                ? ' (its only destination: requests fail)'
                : ` (${serving.length} of ${others.length} other destination app(s) serving)`),
            remediation: `cf start ${app.name}   # or: cf unmap-route ${app.name} ${cfRouteArgs(ix, route)}`,
            evidence: {app: app.name, otherApps: others.length, otherAppsServing: serving.length},
          }),
        )
      }
    }
    return findings
  },
}
