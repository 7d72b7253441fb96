import type {Finding} from '../../model/finding.js'
import type {Rule} from '../../model/rule.js'
import type {Snapshot} from '../../model/snapshot.js'
import {makeFinding} from '../finding.js'
import {routeRef} from '../../derive/refs.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {domainOf} from '../../derive/routes.js'

export const policyAnyRule: Rule = {
  id: 'routes/policy-any',
  family: 'routes',
  severity: 'medium',
  title: 'Route policy that allows any app',
  docs:
    "A `cf:any` route policy lets every app with an instance identity (within the domain's " +
    '`route_policies_scope`: the whole foundation, the org or the space) call the route, which ' +
    'undoes the point of an identity-aware domain: a compromised app anywhere in that scope ' +
    'reaches the route as if it were a trusted caller. Replace it with policies for the callers ' +
    'that need it (`cf:app:GUID`, `cf:space:GUID`, `cf:org:GUID`) — `cf:any` cannot coexist with ' +
    'other sources, so delete it first (`cf curl -X DELETE /v3/route_policies/POLICY_GUID`), ' +
    'then add the narrow ones (`cf add-route-policy`, or `cf curl -X POST /v3/route_policies`).',
  needs: ['routePolicies'],
  soc2: ['CC6.1', 'CC6.6'],
  run(s: Snapshot): Finding[] {
    // A cf:any policy that was read is a fact even when the read was partial.
    const ix = indexSnapshot(s)
    const findings: Finding[] = []
    for (const policy of [...s.routePolicies].sort((a, b) => a.guid.localeCompare(b.guid))) {
      if (policy.source !== 'cf:any') continue
      const route = ix.routes.get(policy.routeGuid)
      if (!route) continue
      const domain = domainOf(ix, route)
      if (domain && !domain.enforceRoutePolicies) continue
      findings.push(
        makeFinding(policyAnyRule, {
          resource: routeRef(s, route),
          related: [{kind: 'route_policy', guid: policy.guid, name: policy.source}],
          key: policy.guid,
          message: `route ${route.url} allows any app (cf:any${domain?.routePoliciesScope ? `, scope ${domain.routePoliciesScope}` : ''})`,
          remediation: `cf curl -X DELETE /v3/route_policies/${policy.guid}   # then add cf:app:/cf:space: policies for the real callers`,
          evidence: {domain: domain?.name ?? null, scope: domain?.routePoliciesScope ?? null},
        }),
      )
    }
    return findings
  },
}
