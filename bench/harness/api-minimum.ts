/**
 * The minimum number of requests for `audit --all`, written down from the API rather than from
 * cfguard's cost model (src/collect/cost.ts): what data the audit reports, which CC v3 / UAA /
 * policy-server endpoints list it, and which reads have no list endpoint. Fed with the
 * simulator's own counts. See bench/README.md, "Formulas".
 */
import type {FoundationCounts} from './protocol.js'

/** CC v3 lists: at most 5000 rows a page (`per_page=5000`). */
export const CC_PAGE = 5000
/** UAA `GET /oauth/clients`: at most 500 a page (`count=500`). */
export const UAA_PAGE = 500

export interface ApiMinimum {
  total: number
  /** Reads of one item each (no list endpoint exists for them). */
  perItem: number
  terms: Record<string, number>
}

const pages = (rows: number, size = CC_PAGE) => Math.max(1, Math.ceil(rows / size))

export function apiMinimum(c: FoundationCounts): ApiMinimum {
  const lists: Record<string, number> = {
    // session: GET / (names UAA, the policy server…) and one client-credentials token
    'GET /': 1,
    'POST uaa:/oauth/token': 1,
    // every list the report draws on, one page per 5000 rows (a list always costs one page)
    'GET /v3/apps': pages(c.apps),
    'GET /v3/spaces?include=organization': pages(c.spaces),
    'GET /v3/processes?embed=process_instances': pages(c.processes),
    'GET /v3/routes?include=route_policies': pages(c.routes),
    'GET /v3/domains': pages(c.domains),
    'GET /v3/deployments?status_values=ACTIVE': pages(c.activeDeployments),
    'GET /v3/service_instances': pages(c.serviceInstances),
    'GET /v3/service_credential_bindings': pages(c.credentialBindings),
    'GET /v3/service_route_bindings': pages(c.routeBindings),
    'GET /v3/audit_events (UPS create/update, 31 days)': pages(c.recentUpsAuditEvents),
    'GET uaa:/oauth/clients': pages(c.uaaClients, UAA_PAGE),
    'GET /networking/v1/external/policies': 1,
  }
  const perItem: Record<string, number> = {
    // No list endpoint returns environment variables or VCAP_SERVICES: one read per app.
    'GET /v3/apps/:guid/env': c.apps,
    // A user-provided service bound to no app shows in no app's env: its credentials alone.
    'GET /v3/service_instances/:guid/credentials': c.unboundUserProvided,
    // Service keys, and app bindings the env cannot show (file-based / superseded): details alone.
    'GET /v3/service_credential_bindings/:guid/details': c.serviceKeys + c.hiddenManagedBindings,
  }
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0)
  return {total: sum(lists) + sum(perItem), perItem: sum(perItem), terms: {...lists, ...perItem}}
}
