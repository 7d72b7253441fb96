import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Destination, Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {routeRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {appName, cfRouteArgs, isTcpRoute} from '../../derive/routes.js'
import {pushTo} from '../../util/multimap.js'

export const protocolMismatchRule: Rule = {
  id: 'routes/protocol-mismatch',
  family: 'routes',
  severity: 'medium',
  title: 'Destination protocol does not fit the route',
  docs:
    'Gorouter speaks to each destination in the protocol the destination names. When two ' +
    'destinations of one route for the same app process disagree (one `http1`, one `http2`), ' +
    'requests alternate between protocols and an app that only speaks one fails on every other ' +
    'request; `http1`/`http2` destinations on a TCP route, or a `tcp` destination on an HTTP route, ' +
    'cannot be served as declared. An unset protocol counts as the route default (`http1` on HTTP ' +
    'routes, `tcp` on TCP routes). Fix the destination with `cf update-destination APP DOMAIN ' +
    '--hostname HOST --app-protocol http1|http2`, or unmap and re-map it on a route of the right ' +
    'kind (`cf unmap-route`, `cf map-route`).',
  needs: [],
  soc2: ['A1.2', 'CC8.1'],
  run(s: Snapshot): Finding[] {
    const ix = indexSnapshot(s)
    const findings: Finding[] = []
    for (const route of s.routes) {
      const tcp = isTcpRoute(ix, route)
      const effective = (d: Destination) => d.protocol ?? (tcp ? 'tcp' : 'http1')
      const fix = (d: Destination, proto: string) =>
        `cf update-destination ${appName(ix, d.appGuid)} ${cfRouteArgs(ix, route)} --app-protocol ${proto}`
      const ref = routeRef(s, route)

      const groups = new Map<string, Destination[]>()
      for (const d of route.destinations) {
        const key = `${d.appGuid}/${d.processType}`
        pushTo(groups, key, d)
      }
      for (const [key, dests] of groups) {
        const protocols = [...new Set(dests.map(effective))].sort()
        if (protocols.length < 2) continue
        const first = dests[0] as Destination
        findings.push(
          makeFinding(protocolMismatchRule, {
            resource: ref,
            key: `disagree:${key}`,
            message: `route ${route.url}: destinations of ${appName(ix, first.appGuid)}/${first.processType} disagree on protocol (${protocols.join(' vs ')})`,
            remediation: fix(first, protocols.includes('http2') ? 'http2' : 'http1'),
            evidence: {app: appName(ix, first.appGuid), processType: first.processType, protocols},
          }),
        )
      }
      for (const d of route.destinations) {
        const proto = effective(d)
        const wrong = tcp ? proto === 'http1' || proto === 'http2' : proto === 'tcp'
        if (!wrong) continue
        findings.push(
          makeFinding(protocolMismatchRule, {
            resource: ref,
            key: `kind:${d.guid}`,
            message: tcp
              ? `TCP route ${route.url} has an ${proto} destination (${appName(ix, d.appGuid)}/${d.processType}); the TCP router cannot speak HTTP to it`
              : `HTTP route ${route.url} has a tcp destination (${appName(ix, d.appGuid)}/${d.processType})`,
            remediation: tcp
              ? `map ${appName(ix, d.appGuid)} to an HTTP route instead: cf unmap-route ${appName(ix, d.appGuid)} ${cfRouteArgs(ix, route)} && cf map-route ${appName(ix, d.appGuid)} DOMAIN --hostname HOST`
              : fix(d, 'http1'),
            evidence: {
              app: appName(ix, d.appGuid),
              processType: d.processType,
              destinationProtocol: proto,
              routeProtocol: tcp ? 'tcp' : 'http',
            },
          }),
        )
      }
    }
    return findings
  },
}
