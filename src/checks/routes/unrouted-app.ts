import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {appRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {describeCheck, destinationProcess} from '../../derive/routes.js'

export const unroutedAppRule: Rule = {
  id: 'routes/unrouted-app',
  family: 'routes',
  severity: 'info',
  title: 'Running web app without a route',
  docs:
    'A STARTED app whose web process has running instances but no route receives no traffic: fine ' +
    'for a worker (pushed with `--no-route`), but often the leftover of a blue/green switch or a ' +
    'route deleted by mistake, burning memory and holding credentials. Listed so it is a choice: ' +
    'map a route (`cf map-route APP DOMAIN --hostname HOST`), stop it (`cf stop APP`), or mark a ' +
    'worker with a `process` health check (`cf set-health-check APP process`) and suppress the ' +
    'finding. Running instances of every web process count (two during a rolling deployment). Apps ' +
    'whose instances could not be read are not judged.',
  needs: ['instances'],
  soc2: ['CC7.1'],
  run(s: Snapshot): Finding[] {
    const ix = indexSnapshot(s)
    const findings: Finding[] = []
    for (const app of s.apps) {
      if (app.state !== 'STARTED' || ix.routesByApp.has(app.guid)) continue
      // Every web process: two while a rolling deployment runs.
      const web = destinationProcess(ix, app.guid, 'web')
      if (!web?.actual) continue
      const running = web.actual.filter((i) => i.state === 'RUNNING').length
      if (running === 0) continue
      findings.push(
        makeFinding(unroutedAppRule, {
          resource: appRef(s, app),
          message: `app ${app.name} runs ${running} web instance(s) but has no route`,
          remediation: `cf map-route ${app.name} DOMAIN --hostname HOST   # or: cf stop ${app.name}`,
          evidence: {runningWebInstances: running, healthCheck: describeCheck(web.healthCheck)},
        }),
      )
    }
    return findings
  },
}
