import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {routeRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {destinationApps, domainOf} from '../../derive/routes.js'

export const policyMissingRule: Rule = {
  id: 'routes/policy-missing',
  family: 'routes',
  severity: 'high',
  title: 'Route on an identity-aware domain with no route policy',
  docs:
    'On a domain created with `enforce_route_policies: true` (CC ≥ 3.224, RFC-0055) Gorouter ' +
    'denies every caller a route policy does not allow; a route there without any policy rejects ' +
    'all traffic, usually right after a migration to the domain or after its last policy was ' +
    'deleted. Allow the intended callers with `cf add-route-policy` (cf CLI main) or `cf curl -X ' +
    'POST /v3/route_policies -d \'{"source":"cf:app:CALLER_GUID","relationships":{"route":{"data":' +
    '{"guid":"ROUTE_GUID"}}}}\'`, or delete the route. Below CC 3.224 there are no route policies ' +
    'and this rule has nothing to say; when the policies could not be read completely it reports ' +
    'a coverage gap and no findings.',
  needs: ['routePolicies'],
  soc2: ['A1.2', 'CC6.1'],
  run(s: Snapshot): Finding[] {
    // `unsupported` (CC < 3.224): nothing can enforce; `partial`/`none`: an absence proves nothing.
    if (s.access.routePolicies.state !== 'full') return []
    const ix = indexSnapshot(s)
    const withPolicy = new Set(s.routePolicies.map((p) => p.routeGuid))
    const findings: Finding[] = []
    for (const route of s.routes) {
      const domain = domainOf(ix, route)
      if (!domain?.enforceRoutePolicies || withPolicy.has(route.guid)) continue
      findings.push(
        makeFinding(policyMissingRule, {
          resource: routeRef(s, route),
          message: `route ${route.url} is on identity-aware domain ${domain.name} but has no route policy: every caller is denied`,
          remediation: `cf curl -X POST /v3/route_policies -d '{"source":"cf:app:CALLER_GUID","relationships":{"route":{"data":{"guid":"${route.guid}"}}}}'`,
          evidence: {
            domain: domain.name,
            scope: domain.routePoliciesScope,
            destinationApps: destinationApps(route).length,
          },
        }),
      )
    }
    return findings
  },
}
