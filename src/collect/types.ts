import type {Scope} from '../cf/session.js'
import type {
  CcApp,
  CcAuditEvent,
  CcCredentialBinding,
  CcDeployment,
  CcDomain,
  CcProcess,
  CcRoute,
  CcRouteBinding,
  CcRoutePolicy,
  CcServiceInstance,
  CcSpace,
} from '../cf/ccv3/types.js'
import type {CoverageGap} from '../model/finding.js'
import type {
  Access,
  Need,
  NetworkPolicy,
  Org,
  RouteBaseline,
  ServiceOffering,
  ServicePlan,
  UaaClient,
} from '../model/snapshot.js'

/** What collecting cost and missed, beside the snapshot. */
export interface CollectionStats {
  /** Gaps found while collecting (what could not be read and why). */
  gaps: CoverageGap[]
  auditEventsCreated: number
  requests: number
}

export type CollectFamily = 'identity' | 'routes'

export interface CollectOptions {
  /** From `session.resolveScope()`. */
  scope: Scope
  families: CollectFamily[]
  /** false with --no-secrets: no secret is read (no `*.show` audit event at all). */
  secrets: boolean
  /** false with --no-cache: every secret-bearing read is made afresh. */
  cache: boolean
  /** Requests in flight at most (default 16); lower while the rate-limit budget runs low. */
  concurrency: number
  checkIssuers: boolean
  verifyCredentials: boolean
  /** --traffic: Gorouter access logs over this window; null when not asked. */
  traffic: {windowSeconds: number} | null
  /** --baseline: the reviewed route map routes/drift compares with. */
  routeBaseline: RouteBaseline | null
  /** The installation salt (config/salt.ts): key of every fingerprint. */
  salt: Buffer
  /** TLS verification off for the opt-in issuer and credential probes (--skip-ssl-validation). */
  skipSslValidation?: boolean
}

/** What the bulk lists returned, decoded, before joining. */
export interface Gathered {
  orgs: Org[]
  spaces: CcSpace[]
  apps: CcApp[]
  processes: CcProcess[]
  routes: CcRoute[]
  routePolicies: CcRoutePolicy[]
  domains: CcDomain[]
  serviceInstances: CcServiceInstance[]
  servicePlans: ServicePlan[]
  serviceOfferings: ServiceOffering[]
  bindings: CcCredentialBinding[]
  routeBindings: CcRouteBinding[]
  /** ACTIVE deployments of apps in scope. */
  deployments: CcDeployment[]
  auditEvents: CcAuditEvent[]
  networkPolicies: NetworkPolicy[]
  uaaClients: UaaClient[]
  access: Partial<Record<Need, Access>>
  gaps: CoverageGap[]
}
