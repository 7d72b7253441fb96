/**
 * The Snapshot: everything cfguard knows about a foundation after collection, joined in memory.
 * Produced by `collect/`, consumed by the pure `checks/`, `report/` and `rotate/plan`.
 *
 * It never holds a secret value. Credentials and env vars are classified at collection time
 * (`derive/classify`) into shapes, key names and keyed fingerprints (HMAC with the installation
 * salt), so a snapshot can be written to disk (`cfguard snapshot`), cached and diffed.
 *
 * Times are ISO 8601 UTC strings. Lists are sorted by guid so two snapshots of one foundation
 * compare equal.
 */

export type Labels = Record<string, string>

export interface Metadata {
  labels: Labels
  annotations: Labels
}

export interface Org {
  guid: string
  name: string
}

export interface Space {
  guid: string
  name: string
  orgGuid: string
}

export interface App extends Metadata {
  guid: string
  name: string
  state: 'STARTED' | 'STOPPED'
  spaceGuid: string
  lifecycleType: string
  createdAt: string
  updatedAt: string
}

export interface HealthCheck {
  /** `port` | `http` | `process` */
  type: string
  endpoint: string | null
  timeout: number | null
  invocationTimeout: number | null
}

export type InstanceState = 'RUNNING' | 'CRASHED' | 'STARTING' | 'STOPPING' | 'DOWN' | 'UNKNOWN'

export interface Instance {
  index: number
  /** Diego instance guid; null when only `embed=process_instances` was read. */
  instanceGuid: string | null
  state: InstanceState
  /** Readiness (stats `routable`, CC >= 3.151); null when unknown. */
  routable: boolean | null
  /** When the instance entered its current state (now − uptime / now − since). */
  since: string | null
}

export interface Process extends Metadata {
  guid: string
  appGuid: string
  type: string
  /** Desired instance count. */
  instances: number
  healthCheck: HealthCheck
  readinessCheck: HealthCheck | null
  /** Actual instances; null when they could not be read (see access.instances). */
  actual: Instance[] | null
  createdAt: string
  updatedAt: string
}

export interface Domain extends Metadata {
  guid: string
  name: string
  internal: boolean
  routerGroupGuid: string | null
  supportedProtocols: string[]
  /** null = shared domain */
  orgGuid: string | null
  /** CC >= 3.224 identity-aware domains. */
  enforceRoutePolicies: boolean
  routePoliciesScope: string | null
}

export interface RouteOptions {
  /** As stored: `round-robin`, `least-connection`, `least-connections` (CC < 3.187), `hash`, or anything newer. */
  loadbalancing?: string
  hashHeader?: string
  hashBalance?: string
}

export interface Destination {
  guid: string
  appGuid: string
  processType: string
  port: number | null
  /** `http1` | `http2` | `tcp` | null (default) */
  protocol: string | null
  weight: number | null
}

export interface Route extends Metadata {
  guid: string
  /** `http` | `tcp` */
  protocol: string
  host: string
  path: string
  port: number | null
  url: string
  domainGuid: string
  spaceGuid: string
  /** Spaces the route is shared into (experimental route sharing); empty when unknown. */
  sharedSpaceGuids: string[]
  destinations: Destination[]
  options: RouteOptions
  createdAt: string
  updatedAt: string
}

export interface RouteBinding {
  guid: string
  routeGuid: string
  serviceInstanceGuid: string
  routeServiceUrl: string | null
  createdAt: string
}

export interface RoutePolicy {
  guid: string
  routeGuid: string
  /** `cf:app:<guid>` | `cf:space:<guid>` | `cf:org:<guid>` | `cf:any` */
  source: string
}

/** Container-to-container policy (policy server). */
export interface NetworkPolicy {
  sourceAppGuid: string
  destinationAppGuid: string
  protocol: string
  portStart: number
  portEnd: number
}

export interface Deployment {
  guid: string
  appGuid: string
  /** `ACTIVE` | `FINALIZED` */
  statusValue: string
  statusReason: string
  strategy: string
  createdAt: string
  updatedAt: string
}

export interface ServiceOffering {
  guid: string
  name: string
  description: string
  tags: string[]
  brokerName: string | null
}

export interface ServicePlan {
  guid: string
  name: string
  offeringGuid: string
}

/**
 * Identity material found in one credentials object, without values.
 * `oidc-client`: client id (+ secret) with an issuer / token endpoint / auth domain, at the top
 * level or nested (XSUAA's `uaa.clientid`). `credhub-ref`: secret held in CredHub (fine).
 */
export type CredentialShape = 'oidc-client' | 'credhub-ref' | 'secret-bearing' | 'other' | 'empty'

export interface CredentialView {
  shape: CredentialShape
  /** Dotted path of the identity block inside the credentials (`""` = top level, `uaa` for XSUAA). */
  path: string
  clientId: string | null
  hasSecret: boolean
  /** `hmac:<hex>` of the secret with the installation salt; null when no secret. */
  secretFingerprint: string | null
  issuer: string | null
  tokenEndpoint: string | null
  authDomain: string | null
  /** Marked public (`token_endpoint_auth_method: none`, `public: true`): no secret needed. */
  isPublic: boolean
  /** Credentials switch TLS verification off (`skip_ssl_validation: true` and friends). */
  tlsVerifyDisabled: boolean
  /** Names (not values) of keys that carry secrets. */
  secretKeys: string[]
}

/** Why a secret-bearing read was not done or failed. */
export type ReadState = 'read' | 'denied' | 'skipped' | 'not-applicable' | 'failed'

export interface ServiceInstance extends Metadata {
  guid: string
  name: string
  type: 'managed' | 'user-provided'
  spaceGuid: string
  tags: string[]
  planGuid: string | null
  routeServiceUrl: string | null
  syslogDrainUrl: string | null
  createdAt: string
  updatedAt: string
  /** UPS credentials, classified (managed instances hold none). */
  credentials: CredentialView | null
  credentialsRead: ReadState
}

export interface CredentialBinding extends Metadata {
  guid: string
  name: string | null
  type: 'app' | 'key'
  /** null for service keys */
  appGuid: string | null
  serviceInstanceGuid: string
  /** `create` | `delete`, and `initial` | `in progress` | `succeeded` | `failed` */
  lastOperation: {type: string; state: string}
  createdAt: string
  updatedAt: string
  /** Binding details, classified (for UPS bindings these equal the instance's credentials). */
  credentials: CredentialView | null
  credentialsRead: ReadState
}

export type EnvValueClass =
  | 'secret-literal'
  | 'jwt'
  | 'pem-private-key'
  | 'bearer-token'
  | 'high-entropy'
  | 'reference'
  | 'empty'
  | 'plain'

export interface EnvVarView {
  name: string
  class: EnvValueClass
  /** Only for secret-looking values. */
  fingerprint: string | null
}

export interface AppEnv {
  appGuid: string
  read: ReadState
  /** The app's own environment variables (not VCAP_SERVICES), classified. */
  variables: EnvVarView[]
}

export interface AuditEvent {
  guid: string
  type: string
  createdAt: string
  actor: {guid: string; type: string; name: string}
  target: {guid: string; type: string; name: string}
  spaceGuid: string | null
  /** Keys of `data.request` (values are never kept): `credentials` here marks a credential change. */
  requestKeys: string[]
}

export interface UaaClient {
  clientId: string
  authorities: string[]
  scope: string[]
  grantTypes: string[]
  redirectUris: string[]
  lastModified: string | null
}

/** Opt-in `--check-issuers`: OIDC discovery of each distinct issuer. */
export interface IssuerProbe {
  issuer: string
  discoveryOk: boolean
  discoveredIssuer: string | null
  jwksKeys: number | null
  error: string | null
}

/** Opt-in `--verify-credentials`: one token grant per distinct (client id, secret fingerprint). */
export interface CredentialProbe {
  clientId: string
  secretFingerprint: string
  tokenEndpoint: string
  /** accepted: token issued, or "Unauthorized grant type" (secret right, grant not allowed). */
  outcome: 'accepted' | 'rejected' | 'error'
  detail: string
}

/** Opt-in `--traffic`: per route and app instance, from Gorouter access logs in Log Cache. */
export interface TrafficStat {
  /** The request Host, lower-case, without a port. */
  routeHost: string
  appGuid: string
  /** The line's `app_index`; -1 when no instance served the request (router error). */
  instanceIndex: number
  instanceGuid: string | null
  requests: number
  status5xx: number
  p95ResponseSeconds: number | null
  routerErrors: Record<string, number>
}

export interface Traffic {
  windowSeconds: number
  stats: TrafficStat[]
  linesRead: number
  linesSkipped: number
}

/**
 * `GET /v3/domains/:guid/route_reservations?host=&path=` for a host a UAA redirect URI names: it
 * answers for routes in every space, also those the token cannot list (identity/redirect-uri-takeover).
 */
export interface RouteReservation {
  domainGuid: string
  host: string
  path: string
  matchingRoute: boolean
}

/**
 * `--baseline`: the reviewed route map, from a snapshot file (`derive/baseline.ts`). Routes are
 * compared by url, destinations by app guid + process type + port. `spaceGuid` (optional, for
 * files written before it existed) lets an audit scoped to some spaces ignore baseline routes of
 * other spaces; `appName` only makes messages about removed destinations readable.
 */
export interface RouteBaseline {
  generatedAt: string
  routes: {
    guid: string
    url: string
    spaceGuid?: string
    destinations: {appGuid: string; processType: string; port: number | null; appName?: string}[]
  }[]
}

/**
 * What the token could read. A check whose needs are not `full` is reported as a coverage gap
 * (by the check runner), never as a silent pass.
 */
export type Need =
  | 'env'
  | 'upsCredentials'
  | 'bindingDetails'
  | 'instances'
  | 'auditEvents'
  | 'networkPolicies'
  | 'uaaClients'
  | 'routePolicies'
  | 'issuerProbes'
  | 'credentialProbes'
  | 'traffic'
  | 'baseline'

export interface Access {
  state: 'full' | 'partial' | 'none' | 'not-requested' | 'unsupported'
  /** Why not full, e.g. "403 CF-NotAuthorized (space auditor)" or "CC 3.200.0 < 3.224.0". */
  why?: string
}

export interface Snapshot {
  schemaVersion: 1
  target: {api: string; ccVersion: string; org: string | null; space: string | null}
  collectedAt: string
  orgs: Org[]
  spaces: Space[]
  apps: App[]
  processes: Process[]
  domains: Domain[]
  routes: Route[]
  routeBindings: RouteBinding[]
  routePolicies: RoutePolicy[]
  networkPolicies: NetworkPolicy[]
  deployments: Deployment[]
  serviceOfferings: ServiceOffering[]
  servicePlans: ServicePlan[]
  serviceInstances: ServiceInstance[]
  bindings: CredentialBinding[]
  env: AppEnv[]
  auditEvents: AuditEvent[]
  uaaClients: UaaClient[]
  issuerProbes: IssuerProbe[]
  credentialProbes: CredentialProbe[]
  traffic: Traffic | null
  baseline: RouteBaseline | null
  /** Optional: reservations checked for redirect-URI hosts; absent when not collected. */
  routeReservations?: RouteReservation[]
  access: Record<Need, Access>
}
