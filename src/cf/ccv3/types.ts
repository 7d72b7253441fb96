/**
 * Flat shapes the CC client returns (decoded from wire.ts by decode.ts). Where the Snapshot model
 * already has the shape, the client returns a superset of it, so `collect/` can pass results
 * through without copying field by field.
 */
import type {CcErrorItem} from '../http/errors.js'
import type {
  App,
  AuditEvent,
  CredentialBinding,
  Deployment,
  Domain,
  InstanceState,
  Metadata,
  Org,
  Process,
  Route,
  RouteBinding,
  RoutePolicy,
  ServiceInstance,
  ServiceOffering,
  ServicePlan,
  Space,
} from '../../model/snapshot.js'

export type {Destination} from '../../model/snapshot.js'

export interface Timestamps {
  createdAt: string
  updatedAt: string
}

export interface LastOperation {
  /** `create` | `update` | `delete`; `""` when CC sent none. */
  type: string
  /** `initial` | `in progress` | `succeeded` | `failed`; `""` when CC sent none. */
  state: string
  description: string | null
  updatedAt: string | null
}

export type CcOrg = Org & Metadata & Timestamps & {suspended: boolean}
export type CcSpace = Space & Metadata & Timestamps

export type CcApp = App & {
  currentDropletGuid: string | null
  buildpacks: string[]
  stack: string | null
}

export type CcProcess = Process & {
  /** `"[PRIVATE DATA HIDDEN]"` for roles that cannot read secrets; null when absent. */
  command: string | null
  /** Changes whenever the LRP will be recreated. */
  version: string | null
  memoryInMb: number | null
  diskInMb: number | null
}

export interface CcInstancePort {
  external: number | null
  internal: number | null
  externalTlsProxy: number | null
  internalTlsProxy: number | null
}

/** One instance from `/v3/processes/:guid/stats`. */
export interface CcInstanceStats {
  type: string
  index: number
  instanceGuid: string | null
  state: InstanceState
  routable: boolean | null
  host: string | null
  internalIp: string | null
  ports: CcInstancePort[]
  uptimeSeconds: number | null
  /** now − uptime, ISO; null when CC sent no uptime. */
  since: string | null
  isolationSegment: string | null
  details: string | null
}

export type CcDeployment = Deployment &
  Metadata & {
    dropletGuid: string | null
    previousDropletGuid: string | null
    newProcesses: {guid: string; type: string}[]
    revision: {guid: string; version: number} | null
    /** `status.details.error`, cleared by CC when progress resumes. */
    error: string | null
    lastStatusChange: string | null
    maxInFlight: number | null
  }

export type CcRoute = Route
export type CcDomain = Domain & Metadata & {sharedOrgGuids: string[]}

export type CcServiceOffering = ServiceOffering &
  Metadata & {
    brokerGuid: string | null
    available: boolean
    requires: string[]
    shareable: boolean
  }

export type CcServicePlan = ServicePlan & Metadata & {description: string; free: boolean; available: boolean}

export type CcServiceInstance = Omit<ServiceInstance, 'credentials' | 'credentialsRead'> & {
  lastOperation: LastOperation | null
  dashboardUrl: string | null
}

export type CcCredentialBinding = Omit<
  CredentialBinding,
  'credentials' | 'credentialsRead' | 'lastOperation'
> & {
  lastOperation: LastOperation
}

export interface CcBindingDetails {
  credentials: Record<string, unknown>
  syslogDrainUrl: string | null
  volumeMounts: unknown[]
}

export type CcRouteBinding = RouteBinding &
  Metadata & {lastOperation: LastOperation | null; updatedAt: string}
export type CcRoutePolicy = RoutePolicy & Metadata & Timestamps

export type CcAuditEvent = AuditEvent & {
  organizationGuid: string | null
  /** Free-form event data; CC censors secret values (`[PRIVATE DATA HIDDEN]`). */
  data: Record<string, unknown>
}

export interface CcFeatureFlag {
  name: string
  enabled: boolean
  updatedAt: string | null
  customErrorMessage: string | null
}

export interface CcJob {
  guid: string
  operation: string
  state: 'PROCESSING' | 'POLLING' | 'COMPLETE' | 'FAILED'
  errors: CcErrorItem[]
  warnings: string[]
  createdAt: string | null
  updatedAt: string | null
}

/** A 202 Accepted: the work continues in a job (`Location: /v3/jobs/:guid`). */
export interface JobRef {
  jobGuid: string
  jobUrl: string
}

export interface CcAppPermissions {
  readBasicData: boolean
  readSensitiveData: boolean
}

export interface CcAppEnv {
  environmentVariables: Record<string, unknown>
  stagingEnv: Record<string, unknown>
  runningEnv: Record<string, unknown>
  systemEnv: Record<string, unknown>
  applicationEnv: Record<string, unknown>
}

export interface CcUser {
  guid: string
  username: string | null
  presentationName: string
  origin: string | null
}

/** `included` of a list response, decoded, one entry per guid. */
export interface Included {
  organizations: CcOrg[]
  spaces: CcSpace[]
  apps: CcApp[]
  domains: CcDomain[]
  routes: CcRoute[]
  serviceInstances: CcServiceInstance[]
  serviceOfferings: CcServiceOffering[]
  servicePlans: CcServicePlan[]
  routePolicies: CcRoutePolicy[]
  users: CcUser[]
}

export interface ListResult<T> {
  resources: T[]
  included: Included
}
