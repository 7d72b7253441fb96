/**
 * The simulator's entities, written from docs/platform-facts.md. Times are epoch milliseconds of the
 * simulated clock; presenters format them. Secrets are held as plain values: this is the
 * platform's own store, never printed by the simulator.
 */
import type {Row} from './table.js'

export type Labels = Record<string, string>
export interface Metadata {
  labels: Labels
  annotations: Labels
}

interface Timestamps {
  createdAt: number
  updatedAt: number
}

export interface Org extends Row, Timestamps {
  name: string
  metadata: Metadata
}

export interface Space extends Row, Timestamps {
  name: string
  orgGuid: string
  metadata: Metadata
}

export type RoleType =
  | 'organization_user'
  | 'organization_auditor'
  | 'organization_manager'
  | 'organization_billing_manager'
  | 'space_auditor'
  | 'space_developer'
  | 'space_manager'
  | 'space_supporter'

export interface Role extends Row, Timestamps {
  type: RoleType
  userGuid: string
  orgGuid: string | null
  spaceGuid: string | null
}

/** A CC user row (a UAA user, or a client acting as a user). */
export interface CcUser extends Row, Timestamps {
  username: string | null
  origin: string | null
  metadata: Metadata
}

export type AppFeature = 'ssh' | 'revisions' | 'service-binding-k8s' | 'file-based-vcap-services'

export interface App extends Row, Timestamps {
  name: string
  spaceGuid: string
  state: 'STARTED' | 'STOPPED'
  lifecycle: {type: 'buildpack' | 'cnb' | 'docker'; buildpacks: string[]; stack: string | null}
  dropletGuid: string | null
  environmentVariables: Record<string, string>
  features: Record<AppFeature, boolean>
  revision: number
  metadata: Metadata
}

export interface HealthCheck {
  type: 'port' | 'http' | 'process'
  endpoint: string | null
  timeout: number | null
  invocationTimeout: number | null
  interval: number | null
}

/** One service binding as the container sees it (frozen when the LRP is desired). */
export interface VcapEntry {
  bindingGuid: string
  bindingName: string | null
  instanceGuid: string
  instanceName: string
  label: string
  tags: string[]
  plan: string | null
  /** Reference to the credentials object current when the snapshot was taken (never mutated). */
  credentials: Record<string, unknown>
  syslogDrainUrl: string | null
  managed: boolean
}

/** The environment a desired LRP was created with: what its containers hold. */
export interface EnvSnapshot {
  takenAt: number
  vcap: VcapEntry[]
  environmentVariables: Record<string, string>
}

export type InstanceState = 'STARTING' | 'RUNNING' | 'CRASHED' | 'DOWN' | 'STOPPING'

export interface Instance {
  guid: string
  index: number
  processGuid: string
  state: InstanceState
  /** When it entered its current state. */
  since: number
  /** When the container was created. */
  startedAt: number
  /** When a STARTING instance becomes RUNNING. */
  readyAt: number | null
  routable: boolean | null
  env: EnvSnapshot
  host: string
  internalIp: string
  externalPort: number
  externalTlsPort: number
}

export interface Process extends Row, Timestamps {
  appGuid: string
  type: string
  command: string | null
  instances: number
  memoryInMb: number
  diskInMb: number
  logRateLimit: number
  healthCheck: HealthCheck
  readiness: HealthCheck
  version: string
  /** The env of the desired LRP (every new instance of this process gets it). */
  lrpEnv: EnvSnapshot
  actual: Instance[]
  /** Log Cache has no container metrics for it: stats carry empty usage and a warning. */
  metricsUnavailable: boolean
  /**
   * Indexes Diego reports no actual LRP for (a cell unreachable, placement pending): their
   * containers may still serve, but the embedded `process_instances` list and
   * `/process_instances` leave them out, and `/stats` fills them in as DOWN.
   */
  unreported?: number[]
  metadata: Metadata
}

export type DeploymentReason = 'DEPLOYING' | 'PAUSED' | 'CANCELING' | 'DEPLOYED' | 'CANCELED' | 'SUPERSEDED'

export interface Deployment extends Row, Timestamps {
  appGuid: string
  strategy: 'rolling' | 'canary'
  statusValue: 'ACTIVE' | 'FINALIZED'
  statusReason: DeploymentReason
  lastStatusChange: number
  lastHealthcheck: number
  maxInFlight: number
  webInstances: number | null
  /** Canary: the requested steps; `canaryPending` until the deployment is continued. */
  canarySteps: number[] | null
  canaryRequested: number[] | null
  dropletGuid: string | null
  previousDropletGuid: string | null
  newProcessGuid: string
  /** Web processes being replaced (the app's web process, plus superseded deployments' ones). */
  oldProcessGuids: string[]
  targetInstances: number
  nextIndex: number
  revision: {guid: string; version: number} | null
  metadata: Metadata
}

export interface Droplet extends Row, Timestamps {
  appGuid: string
}

export interface Domain extends Row, Timestamps {
  name: string
  internal: boolean
  routerGroupGuid: string | null
  orgGuid: string | null
  sharedOrgGuids: string[]
  enforceRoutePolicies: boolean
  routePoliciesScope: 'any' | 'org' | 'space' | null
  metadata: Metadata
}

export interface Destination {
  guid: string
  appGuid: string
  processType: string
  port: number | null
  protocol: 'http1' | 'http2' | 'tcp' | null
  weight: number | null
  createdAt: number
  updatedAt: number
}

export interface Route extends Row, Timestamps {
  host: string
  path: string
  port: number | null
  domainGuid: string
  spaceGuid: string
  sharedSpaceGuids: string[]
  destinations: Destination[]
  /** Stored options as the API returns them (`hash_balance` as a string). */
  options: Record<string, string>
  metadata: Metadata
}

export interface RoutePolicy extends Row, Timestamps {
  routeGuid: string
  source: string
  metadata: Metadata
}

export interface ServiceBroker extends Row, Timestamps {
  name: string
  url: string
}

export interface ServiceOffering extends Row, Timestamps {
  name: string
  description: string
  brokerGuid: string
  tags: string[]
  requires: string[]
  shareable: boolean
  bindingsRetrievable: boolean
  instancesRetrievable: boolean
  /** How the simulated broker fills binding credentials. */
  credentialStyle: 'sso' | 'credhub-ref' | 'static'
  /** The simulated broker fails binding creation (jobs end FAILED). */
  brokerFails: boolean
  metadata: Metadata
}

export interface ServicePlan extends Row, Timestamps {
  name: string
  offeringGuid: string
  free: boolean
  metadata: Metadata
}

export interface LastOperation {
  type: 'create' | 'update' | 'delete'
  state: 'initial' | 'in progress' | 'succeeded' | 'failed'
  description: string
  createdAt: number
  updatedAt: number
}

export interface ServiceInstance extends Row, Timestamps {
  name: string
  type: 'managed' | 'user-provided'
  spaceGuid: string
  planGuid: string | null
  tags: string[]
  /** UPS only. Replaced (never mutated) on PATCH. */
  credentials: Record<string, unknown>
  syslogDrainUrl: string | null
  routeServiceUrl: string | null
  dashboardUrl: string | null
  parameters: Record<string, unknown>
  sharedSpaceGuids: string[]
  lastOperation: LastOperation
  metadata: Metadata
}

export interface CredentialBinding extends Row, Timestamps {
  name: string | null
  type: 'app' | 'key'
  appGuid: string | null
  serviceInstanceGuid: string
  credentials: Record<string, unknown>
  syslogDrainUrl: string | null
  parameters: Record<string, unknown>
  lastOperation: LastOperation
  /** UAA client created by the simulated SSO broker for this binding (deleted on unbind). */
  brokerClientId: string | null
  metadata: Metadata
}

export interface RouteBinding extends Row, Timestamps {
  routeGuid: string
  serviceInstanceGuid: string
  routeServiceUrl: string | null
  lastOperation: LastOperation
  metadata: Metadata
}

export interface Job extends Row, Timestamps {
  operation: string
  state: 'PROCESSING' | 'POLLING' | 'COMPLETE' | 'FAILED'
  /** `POLLING` is used for broker operations. */
  brokered: boolean
  completeAt: number
  errors: {code: number; title: string; detail: string}[]
  warnings: {detail: string}[]
  resourceLink: {name: string; path: string} | null
  /** Runs when the job completes (at the simulated time it completes). */
  onComplete: ((at: number) => {ok: true} | {ok: false; detail: string}) | null
}

export interface AuditEvent extends Row, Timestamps {
  type: string
  actor: {guid: string; type: string; name: string}
  target: {guid: string; type: string; name: string}
  data: Record<string, unknown>
  spaceGuid: string | null
  orgGuid: string | null
}

export interface FeatureFlag {
  name: string
  enabled: boolean
  customErrorMessage: string | null
  updatedAt: number | null
}

export interface NetworkPolicy {
  sourceAppGuid: string
  destinationAppGuid: string
  protocol: 'tcp' | 'udp'
  portStart: number
  portEnd: number
}

export interface UaaClient {
  clientId: string
  /** At most two; the older first. */
  secrets: string[]
  name: string | null
  authorizedGrantTypes: string[]
  scope: string[]
  authorities: string[]
  resourceIds: string[]
  redirectUris: string[]
  autoapprove: string[] | boolean
  allowPublic: boolean
  accessTokenValidity: number | null
  refreshTokenValidity: number | null
  requiredUserGroups: string[]
  lastModified: number
  createdWith: string | null
}

export interface UaaUser {
  id: string
  userName: string
  password: string
  email: string
  origin: string
  groups: string[]
}
