import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {routeRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {
  DEFAULT_ALGORITHM,
  algorithmOf,
  cfRouteArgs,
  isInternalRoute,
  isTcpRoute,
  destinationProcess,
} from '../../derive/routes.js'

/** Algorithms whose choice only matters with more than one endpoint to choose from. */
const NEEDS_A_CHOICE = new Set(['least-connection', 'hash'])

export const lbIneffectiveRule: Rule = {
  id: 'routes/lb-ineffective',
  family: 'routes',
  severity: 'info',
  title: 'Load-balancing option that cannot take effect',
  docs:
    '`least-connection` and `hash` choose between endpoints; a route whose destinations add up to ' +
    'one desired instance has nothing to choose from, so the option documents an intent the ' +
    'platform is not carrying out (usually the process was scaled down after the option was set, ' +
    'and scaling it up again will change behaviour). Options on internal-domain routes (resolved ' +
    'by DNS to container IPs) and on TCP routes are ignored by the platform altogether. Scale the ' +
    'process (`cf scale APP -i 2`) or remove the option with `cf update-route DOMAIN --hostname ' +
    'HOST --remove-option loadbalancing`. The count is the desired instances of the STARTED ' +
    'destination apps (old and new process together while a rolling deployment runs: both are ' +
    'behind the route); a destination whose process is not visible is not judged.',
  needs: [],
  soc2: ['CC8.1'],
  run(s: Snapshot): Finding[] {
    const ix = indexSnapshot(s)
    const findings: Finding[] = []
    for (const route of s.routes) {
      const algorithm = algorithmOf(route)
      if (algorithm === DEFAULT_ALGORITHM) continue
      const fix = `cf update-route ${cfRouteArgs(ix, route)} --remove-option loadbalancing`
      const ignoredBy = isInternalRoute(ix, route)
        ? 'internal domain'
        : isTcpRoute(ix, route)
          ? 'TCP route'
          : null
      if (ignoredBy) {
        findings.push(
          makeFinding(lbIneffectiveRule, {
            resource: routeRef(s, route),
            key: 'ignored',
            message: `route ${route.url} sets loadbalancing=${algorithm}, which the platform ignores on a ${ignoredBy}`,
            remediation: fix,
            evidence: {algorithm, ignoredBy},
          }),
        )
        continue
      }
      if (!NEEDS_A_CHOICE.has(algorithm) || route.destinations.length === 0) continue
      let pool = 0
      let known = true
      for (const key of new Set(route.destinations.map((d) => `${d.appGuid}/${d.processType}`))) {
        const [appGuid, type] = key.split('/') as [string, string]
        const app = ix.apps.get(appGuid)
        if (!app) known = false
        else if (app.state === 'STARTED') {
          const process = destinationProcess(ix, appGuid, type)
          if (process) pool += process.instances
          else known = false
        }
      }
      if (!known || pool !== 1) continue
      findings.push(
        makeFinding(lbIneffectiveRule, {
          resource: routeRef(s, route),
          key: 'single-instance',
          message: `route ${route.url} uses loadbalancing=${algorithm} but has a single instance behind it`,
          remediation: `cf scale APP -i 2   # or: ${fix}`,
          evidence: {algorithm, desiredInstances: pool},
        }),
      )
    }
    return findings
  },
}
