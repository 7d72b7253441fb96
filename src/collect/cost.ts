/**
 * The request minimum of a collection (pure): how many HTTP requests `collectSnapshot` needs at
 * least for a foundation of a given size, so runs and benchmarks can compare what they did with
 * what was necessary (`requests / minimum`, target ≤ 1.05).
 *
 *   minimum = session + lists + per-item reads
 *
 *   session      = 1 (`GET /`) + 1 (token grant) + 1 per scope name looked up (`--org`, `--space`)
 *   lists        = for every bulk list the run needs, max(1, ceil(results / 5000)) pages
 *                  (`per_page=5000`); lists filtered by GUIDs are sent in batches of ≤ 200 GUIDs,
 *                  each batch at least one page and none at all when the GUID list is empty:
 *                    always: spaces (include=organization), apps, processes
 *                            (embed=process_instances on CC ≥ 3.211), routes (include=route_policies
 *                            on CC ≥ 3.224), domains, service instances (plans, offerings and
 *                            brokers through fields[…], no separate lists), credential bindings
 *                            (apps and keys), route bindings, ACTIVE deployments
 *                            (bindings and route bindings: one list with --all, else filtered by
 *                            the scope's service instance GUIDs)
 *                    identity: audit events (UPS create/update, last 31 days), UAA clients
 *                            (SCIM pages of 500, only when the token may read clients)
 *                    routes: network policies (one call, when the policy server is linked)
 *   per-item     = reads that have no list endpoint:
 *                    identity + secrets: 1 `/env` per app in scope, 1 UPS `/credentials` per
 *                            user-provided service bound to no app in scope, 1 `/details` per
 *                            service key (+ per managed app binding the app's env does not show:
 *                            file-based / k8s bindings, supporter redaction, superseded bindings)
 *                    identity, scoped runs: 1 route reservation per redirect-URI host+path prefix
 *                            that no visible route serves
 *                    CC < 3.211: 1 `/stats` per routed process of a started app with instances
 *                    --traffic: 1 Log Cache read per started routed app (more pages past 1000 lines)
 *                    --check-issuers: 2 per distinct issuer (discovery + JWKS)
 *                    --verify-credentials: 1 token grant per distinct (client id, secret)
 *
 * Denied roles make runs cheaper than this (one probe per space, then no more asking); retries,
 * token renewals and 429 waits make them dearer.
 */
import type {RuleFamily} from '../model/rule.js'

export const PAGE_SIZE = 5000
export const GUID_BATCH = 200
export const UAA_PAGE_SIZE = 500

/** What a foundation (in the run's scope) holds, as counted by the lists the collection reads. */
export interface FoundationCounts {
  spaces: number
  apps: number
  processes: number
  routes: number
  domains: number
  serviceInstances: number
  /** App bindings and service keys the bindings list returns. */
  credentialBindings: number
  routeBindings: number
  /** ACTIVE deployments visible to the token (the list is not scoped; filtered in memory). */
  activeDeployments: number
  /** UPS create/update audit events of the last 31 days in scope. */
  auditEvents: number
  uaaClients: number
  /** User-provided services in scope bound to no app in scope. */
  unboundUserProvided: number
  serviceKeys: number
  /** Managed app bindings the app's env cannot show (hidden VCAP_SERVICES, superseded bindings). */
  detailsFallbacks?: number
  /** Processes that are route destinations, of STARTED apps, with instances > 0 (CC < 3.211 only). */
  routedProcesses?: number
  /** STARTED apps with a route (--traffic). */
  routedStartedApps?: number
  routeReservationQueries?: number
  distinctIssuers?: number
  distinctClientSecrets?: number
}

export interface CostOptions {
  ccVersion: string
  families: readonly RuleFamily[]
  /** false with --no-secrets. */
  secrets: boolean
  /** `all` (no filter), `org` or `space`. */
  scope: 'all' | 'org' | 'space'
  /** Names looked up to resolve the scope (0–2). */
  scopeLookups?: number
  /** Include `GET /` and the token grant (a run that opens its own session). */
  session?: boolean
  uaaClientsReadable?: boolean
  networkPolicyServer?: boolean
  traffic?: boolean
  checkIssuers?: boolean
  verifyCredentials?: boolean
}

export type RequestBreakdown = Record<string, number>

export function pages(results: number): number {
  return Math.max(1, Math.ceil(results / PAGE_SIZE))
}

/** Pages of a list filtered by `guids` GUIDs in batches of 200 (none when there is no GUID). */
export function batchedPages(guids: number, results: number): number {
  if (guids === 0) return 0
  return Math.max(Math.ceil(guids / GUID_BATCH), Math.ceil(results / PAGE_SIZE))
}

export function versionAtLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map((n) => parseInt(n, 10) || 0)
  const b = minimum.split('.').map((n) => parseInt(n, 10) || 0)
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d > 0
  }
  return true
}

/** Every term of the minimum, by name (zero terms included, so a breakdown reads the same each run). */
export function requestBreakdown(c: FoundationCounts, o: CostOptions): RequestBreakdown {
  const identity = o.families.includes('identity')
  const routes = o.families.includes('routes')
  const scoped = o.scope !== 'all'
  const secrets = identity && o.secrets
  const bindingLists = (results: number) =>
    scoped ? batchedPages(c.serviceInstances, results) : pages(results)
  return {
    session: o.session ? 2 : 0,
    scopeLookups: o.scopeLookups ?? 0,
    spaces: pages(c.spaces),
    apps: pages(c.apps),
    processes: pages(c.processes),
    routes: pages(c.routes),
    domains: pages(c.domains),
    serviceInstances: pages(c.serviceInstances),
    credentialBindings: bindingLists(c.credentialBindings),
    routeBindings: bindingLists(c.routeBindings),
    deployments: pages(c.activeDeployments),
    auditEvents: identity ? pages(c.auditEvents) : 0,
    uaaClients: identity && o.uaaClientsReadable ? Math.max(1, Math.ceil(c.uaaClients / UAA_PAGE_SIZE)) : 0,
    networkPolicies: routes && o.networkPolicyServer ? 1 : 0,
    env: secrets ? c.apps : 0,
    upsCredentials: secrets ? c.unboundUserProvided : 0,
    bindingDetails: secrets ? c.serviceKeys + (c.detailsFallbacks ?? 0) : 0,
    routeReservations: identity && scoped && o.uaaClientsReadable ? (c.routeReservationQueries ?? 0) : 0,
    processStats: versionAtLeast(o.ccVersion, '3.211.0') ? 0 : (c.routedProcesses ?? 0),
    traffic: o.traffic ? (c.routedStartedApps ?? 0) : 0,
    issuerProbes: identity && o.checkIssuers ? 2 * (c.distinctIssuers ?? 0) : 0,
    credentialProbes: secrets && o.verifyCredentials ? (c.distinctClientSecrets ?? 0) : 0,
  }
}

/** The fewest requests a collection of this foundation can make (see the file comment). */
export function minimumRequests(counts: FoundationCounts, options: CostOptions): number {
  return Object.values(requestBreakdown(counts, options)).reduce((sum, n) => sum + n, 0)
}
