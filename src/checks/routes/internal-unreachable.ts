import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {appRef, routeRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {isInternalRoute} from '../../derive/routes.js'

/** CC's default destination port for buildpack apps (docs/platform-facts.md §4.3). */
const DEFAULT_PORT = 8080

export const internalUnreachableRule: Rule = {
  id: 'routes/internal-unreachable',
  family: 'routes',
  severity: 'medium',
  title: 'Internal route that no app may call',
  docs:
    'Internal-domain routes resolve to container IPs and bypass Gorouter; the overlay network ' +
    'drops every packet unless a container-to-container policy allows a source app to reach the ' +
    'destination app on that port. An internal route whose app has no TCP policy covering its ' +
    'destination port is unreachable: callers time out. Add one with `cf add-network-policy ' +
    'SOURCE_APP DESTINATION_APP --protocol tcp --port 8080`, or delete the unused route. The policy ' +
    'list needs `network.admin`/`network.write` (a space auditor cannot read it); when it could not ' +
    'be read completely this rule reports a coverage gap and no findings.',
  needs: ['networkPolicies'],
  soc2: ['A1.2', 'CC6.6'],
  run(s: Snapshot): Finding[] {
    // Partly read policies cannot prove an absence: only a full read judges.
    if (s.access.networkPolicies.state !== 'full') return []
    const ix = indexSnapshot(s)
    const findings: Finding[] = []
    for (const route of s.routes) {
      if (!isInternalRoute(ix, route)) continue
      const seen = new Set<string>()
      for (const d of route.destinations) {
        const port = d.port ?? DEFAULT_PORT
        const key = `${d.appGuid}:${port}`
        if (seen.has(key)) continue
        seen.add(key)
        const allowed = s.networkPolicies.some(
          (p) =>
            p.destinationAppGuid === d.appGuid &&
            p.protocol.toLowerCase() === 'tcp' &&
            p.portStart <= port &&
            port <= p.portEnd,
        )
        if (allowed) continue
        const app = ix.apps.get(d.appGuid)
        const name = app?.name ?? d.appGuid
        const otherPorts = s.networkPolicies
          .filter((p) => p.destinationAppGuid === d.appGuid)
          .map(
            (p) => `${p.protocol}:${p.portStart === p.portEnd ? p.portStart : `${p.portStart}-${p.portEnd}`}`,
          )
        findings.push(
          makeFinding(internalUnreachableRule, {
            resource: routeRef(s, route),
            related: app ? [appRef(s, app)] : [],
            key,
            message: `internal route ${route.url} → ${name}:${port}: no network policy lets any app reach it`,
            remediation: `cf add-network-policy SOURCE_APP ${name} --protocol tcp --port ${port}`,
            evidence: {app: name, port, policiesToOtherPorts: [...new Set(otherPorts)].sort()},
          }),
        )
      }
    }
    return findings
  },
}
