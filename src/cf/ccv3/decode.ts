/**
 * Wire → flat shapes. Pure functions; relationships are flattened (`relationships.space.data.guid`
 * → `spaceGuid`), missing optional fields become null, metadata values that CC sends as null are
 * dropped.
 */
import type {HealthCheck, Instance, InstanceState, Labels, Metadata} from '../../model/snapshot.js'
import type {
  CcApp,
  CcAppEnv,
  CcAuditEvent,
  CcBindingDetails,
  CcCredentialBinding,
  CcDeployment,
  CcDomain,
  CcFeatureFlag,
  CcInstanceStats,
  CcJob,
  CcOrg,
  CcProcess,
  CcRoute,
  CcRouteBinding,
  CcRoutePolicy,
  CcServiceInstance,
  CcServiceOffering,
  CcServicePlan,
  CcSpace,
  CcUser,
  Included,
  LastOperation,
} from './types.js'
import type {
  WireApp,
  WireAppEnv,
  WireAuditEvent,
  WireBindingDetails,
  WireCredentialBinding,
  WireDeployment,
  WireDestination,
  WireDomain,
  WireFeatureFlag,
  WireHealthCheck,
  WireJob,
  WireLastOperation,
  WireMetadata,
  WireOrg,
  WireProcess,
  WireProcessStat,
  WireRoute,
  WireRouteBinding,
  WireRoutePolicy,
  WireServiceInstance,
  WireServiceOffering,
  WireServicePlan,
  WireSpace,
  WireToOne,
  WireUser,
} from './wire.js'

const INSTANCE_STATES = new Set(['RUNNING', 'CRASHED', 'STARTING', 'STOPPING', 'DOWN'])

function guidOf(rel: WireToOne | undefined): string | null {
  return rel?.data?.guid ?? null
}

function labels(map: Record<string, string | null> | undefined): Labels {
  const out: Labels = {}
  for (const [k, v] of Object.entries(map ?? {})) if (typeof v === 'string') out[k] = v
  return out
}

export function decodeMetadata(m: WireMetadata | undefined): Metadata {
  return {labels: labels(m?.labels), annotations: labels(m?.annotations)}
}

function instanceState(state: string): InstanceState {
  return INSTANCE_STATES.has(state) ? (state as InstanceState) : 'UNKNOWN'
}

export function decodeLastOperation(op: WireLastOperation | null | undefined): LastOperation | null {
  if (!op) return null
  return {
    type: op.type ?? '',
    state: op.state ?? '',
    description: op.description ?? null,
    updatedAt: op.updated_at ?? null,
  }
}

export function decodeOrg(w: WireOrg): CcOrg {
  return {
    guid: w.guid,
    name: w.name,
    suspended: w.suspended === true,
    createdAt: w.created_at,
    updatedAt: w.updated_at,
    ...decodeMetadata(w.metadata),
  }
}

export function decodeSpace(w: WireSpace): CcSpace {
  return {
    guid: w.guid,
    name: w.name,
    orgGuid: guidOf(w.relationships?.organization) ?? '',
    createdAt: w.created_at,
    updatedAt: w.updated_at,
    ...decodeMetadata(w.metadata),
  }
}

export function decodeApp(w: WireApp): CcApp {
  const data = w.lifecycle?.data ?? {}
  const buildpacks = Array.isArray(data.buildpacks)
    ? data.buildpacks.filter((b): b is string => typeof b === 'string')
    : []
  return {
    guid: w.guid,
    name: w.name,
    state: w.state,
    spaceGuid: guidOf(w.relationships?.space) ?? '',
    lifecycleType: w.lifecycle?.type ?? 'buildpack',
    createdAt: w.created_at,
    updatedAt: w.updated_at,
    currentDropletGuid: guidOf(w.relationships?.current_droplet),
    buildpacks,
    stack: typeof data.stack === 'string' ? data.stack : null,
    ...decodeMetadata(w.metadata),
  }
}

export function decodeAppEnv(w: WireAppEnv): CcAppEnv {
  return {
    environmentVariables: w.environment_variables ?? {},
    stagingEnv: w.staging_env_json ?? {},
    runningEnv: w.running_env_json ?? {},
    systemEnv: w.system_env_json ?? {},
    applicationEnv: w.application_env_json ?? {},
  }
}

export function decodeHealthCheck(w: WireHealthCheck | null | undefined): HealthCheck | null {
  if (!w) return null
  return {
    type: w.type,
    endpoint: w.data?.endpoint ?? null,
    timeout: w.data?.timeout ?? null,
    invocationTimeout: w.data?.invocation_timeout ?? null,
  }
}

/** `process_instances` (embed) carry seconds in the current state; `now` turns them into times. */
export function decodeProcess(w: WireProcess, now: Date): CcProcess {
  const actual: Instance[] | null = Array.isArray(w.process_instances)
    ? w.process_instances.map((i) => ({
        index: i.index,
        instanceGuid: null,
        state: instanceState(i.state),
        routable: null,
        since: typeof i.since === 'number' ? new Date(now.getTime() - i.since * 1000).toISOString() : null,
      }))
    : null
  return {
    guid: w.guid,
    appGuid: guidOf(w.relationships?.app) ?? '',
    type: w.type,
    instances: w.instances,
    healthCheck: decodeHealthCheck(w.health_check) ?? {
      type: 'port',
      endpoint: null,
      timeout: null,
      invocationTimeout: null,
    },
    readinessCheck: decodeHealthCheck(w.readiness_health_check),
    actual,
    command: w.command ?? null,
    version: w.version ?? null,
    memoryInMb: w.memory_in_mb ?? null,
    diskInMb: w.disk_in_mb ?? null,
    createdAt: w.created_at,
    updatedAt: w.updated_at,
    ...decodeMetadata(w.metadata),
  }
}

export function decodeInstanceStats(w: WireProcessStat, now: Date): CcInstanceStats {
  return {
    type: w.type,
    index: w.index,
    instanceGuid: w.instance_guid ?? null,
    state: instanceState(w.state),
    routable: typeof w.routable === 'boolean' ? w.routable : null,
    host: w.host || null,
    internalIp: w.instance_internal_ip || null,
    ports: (w.instance_ports ?? []).map((p) => ({
      external: p.external ?? null,
      internal: p.internal ?? null,
      externalTlsProxy: p.external_tls_proxy_port ?? null,
      internalTlsProxy: p.internal_tls_proxy_port ?? null,
    })),
    uptimeSeconds: typeof w.uptime === 'number' ? w.uptime : null,
    since: typeof w.uptime === 'number' ? new Date(now.getTime() - w.uptime * 1000).toISOString() : null,
    isolationSegment: w.isolation_segment ?? null,
    details: w.details ?? null,
  }
}

export function decodeDeployment(w: WireDeployment): CcDeployment {
  return {
    guid: w.guid,
    appGuid: guidOf(w.relationships?.app) ?? '',
    statusValue: w.status?.value ?? '',
    statusReason: w.status?.reason ?? '',
    strategy: w.strategy,
    createdAt: w.created_at,
    updatedAt: w.updated_at,
    dropletGuid: w.droplet?.guid ?? null,
    previousDropletGuid: w.previous_droplet?.guid ?? null,
    newProcesses: (w.new_processes ?? []).map((p) => ({guid: p.guid, type: p.type})),
    revision: w.revision ? {guid: w.revision.guid, version: w.revision.version} : null,
    error: w.status?.details?.error ?? null,
    lastStatusChange: w.status?.details?.last_status_change ?? null,
    maxInFlight: w.options?.max_in_flight ?? null,
    ...decodeMetadata(w.metadata),
  }
}

export function decodeDestination(w: WireDestination) {
  return {
    guid: w.guid,
    appGuid: w.app.guid,
    processType: w.app.process?.type ?? 'web',
    port: w.port ?? null,
    protocol: w.protocol ?? null,
    weight: w.weight ?? null,
  }
}

export function decodeRoute(w: WireRoute): CcRoute {
  const o = w.options ?? {}
  return {
    guid: w.guid,
    protocol: w.protocol,
    host: w.host,
    path: w.path,
    port: w.port ?? null,
    url: w.url,
    domainGuid: guidOf(w.relationships?.domain) ?? '',
    spaceGuid: guidOf(w.relationships?.space) ?? '',
    sharedSpaceGuids: [],
    destinations: (w.destinations ?? []).map(decodeDestination),
    options: {
      ...(o.loadbalancing !== undefined ? {loadbalancing: o.loadbalancing} : {}),
      ...(o.hash_header !== undefined ? {hashHeader: o.hash_header} : {}),
      ...(o.hash_balance !== undefined ? {hashBalance: String(o.hash_balance)} : {}),
    },
    createdAt: w.created_at,
    updatedAt: w.updated_at,
    ...decodeMetadata(w.metadata),
  }
}

export function decodeDomain(w: WireDomain): CcDomain {
  return {
    guid: w.guid,
    name: w.name,
    internal: w.internal === true,
    routerGroupGuid: w.router_group?.guid ?? null,
    supportedProtocols: w.supported_protocols ?? ['http'],
    orgGuid: guidOf(w.relationships?.organization),
    sharedOrgGuids: (w.relationships?.shared_organizations?.data ?? []).map((d) => d.guid),
    enforceRoutePolicies: w.enforce_route_policies === true,
    routePoliciesScope: w.route_policies_scope ?? null,
    ...decodeMetadata(w.metadata),
  }
}

export function decodeServiceOffering(w: WireServiceOffering): CcServiceOffering {
  return {
    guid: w.guid,
    name: w.name,
    description: w.description ?? '',
    tags: w.tags ?? [],
    brokerName: null,
    brokerGuid: guidOf(w.relationships?.service_broker),
    available: w.available !== false,
    requires: w.requires ?? [],
    shareable: w.shareable === true,
    ...decodeMetadata(w.metadata),
  }
}

export function decodeServicePlan(w: WireServicePlan): CcServicePlan {
  return {
    guid: w.guid,
    name: w.name,
    offeringGuid: guidOf(w.relationships?.service_offering) ?? '',
    description: w.description ?? '',
    free: w.free === true,
    available: w.available !== false,
    ...decodeMetadata(w.metadata),
  }
}

export function decodeServiceInstance(w: WireServiceInstance): CcServiceInstance {
  return {
    guid: w.guid,
    name: w.name,
    type: w.type,
    spaceGuid: guidOf(w.relationships?.space) ?? '',
    tags: w.tags ?? [],
    planGuid: guidOf(w.relationships?.service_plan),
    routeServiceUrl: w.route_service_url ?? null,
    syslogDrainUrl: w.syslog_drain_url ?? null,
    dashboardUrl: w.dashboard_url ?? null,
    lastOperation: decodeLastOperation(w.last_operation),
    createdAt: w.created_at,
    updatedAt: w.updated_at,
    ...decodeMetadata(w.metadata),
  }
}

export function decodeCredentialBinding(w: WireCredentialBinding): CcCredentialBinding {
  return {
    guid: w.guid,
    name: w.name ?? null,
    type: w.type,
    appGuid: guidOf(w.relationships?.app),
    serviceInstanceGuid: guidOf(w.relationships?.service_instance) ?? '',
    lastOperation: decodeLastOperation(w.last_operation) ?? {
      type: '',
      state: '',
      description: null,
      updatedAt: null,
    },
    createdAt: w.created_at,
    updatedAt: w.updated_at,
    ...decodeMetadata(w.metadata),
  }
}

export function decodeBindingDetails(w: WireBindingDetails): CcBindingDetails {
  return {
    credentials: w.credentials ?? {},
    syslogDrainUrl: w.syslog_drain_url ?? null,
    volumeMounts: w.volume_mounts ?? [],
  }
}

export function decodeRouteBinding(w: WireRouteBinding): CcRouteBinding {
  return {
    guid: w.guid,
    routeGuid: guidOf(w.relationships?.route) ?? '',
    serviceInstanceGuid: guidOf(w.relationships?.service_instance) ?? '',
    routeServiceUrl: w.route_service_url ?? null,
    lastOperation: decodeLastOperation(w.last_operation),
    createdAt: w.created_at,
    updatedAt: w.updated_at,
    ...decodeMetadata(w.metadata),
  }
}

export function decodeRoutePolicy(w: WireRoutePolicy): CcRoutePolicy {
  return {
    guid: w.guid,
    routeGuid: guidOf(w.relationships?.route) ?? '',
    source: w.source,
    createdAt: w.created_at,
    updatedAt: w.updated_at,
    ...decodeMetadata(w.metadata),
  }
}

export function decodeAuditEvent(w: WireAuditEvent): CcAuditEvent {
  const data = w.data ?? {}
  const request = data.request
  return {
    guid: w.guid,
    type: w.type,
    createdAt: w.created_at,
    actor: {guid: w.actor?.guid ?? '', type: w.actor?.type ?? '', name: w.actor?.name ?? ''},
    target: {guid: w.target?.guid ?? '', type: w.target?.type ?? '', name: w.target?.name ?? ''},
    spaceGuid: w.space?.guid ?? null,
    organizationGuid: w.organization?.guid ?? null,
    requestKeys:
      request !== null && typeof request === 'object' && !Array.isArray(request)
        ? Object.keys(request).sort()
        : [],
    data,
  }
}

export function decodeFeatureFlag(w: WireFeatureFlag): CcFeatureFlag {
  return {
    name: w.name,
    enabled: w.enabled === true,
    updatedAt: w.updated_at ?? null,
    customErrorMessage: w.custom_error_message ?? null,
  }
}

export function decodeJob(w: WireJob): CcJob {
  return {
    guid: w.guid,
    operation: w.operation,
    state: w.state,
    errors: (w.errors ?? []).map((e) => ({code: e.code, title: e.title, detail: e.detail})),
    warnings: (w.warnings ?? []).map((x) => x.detail).filter((d): d is string => typeof d === 'string'),
    createdAt: w.created_at ?? null,
    updatedAt: w.updated_at ?? null,
  }
}

export function decodeUser(w: WireUser): CcUser {
  return {
    guid: w.guid,
    username: w.username ?? null,
    presentationName: w.presentation_name ?? w.username ?? w.guid,
    origin: w.origin ?? null,
  }
}

/** Decodes a merged `included` block; unknown keys are ignored. */
export function decodeIncluded(raw: Record<string, unknown[]>): Included {
  const list = <W, T>(key: string, decode: (w: W) => T): T[] => ((raw[key] ?? []) as W[]).map(decode)
  return {
    organizations: list('organizations', decodeOrg),
    spaces: list('spaces', decodeSpace),
    apps: list('apps', decodeApp),
    domains: list('domains', decodeDomain),
    routes: list('routes', decodeRoute),
    serviceInstances: list('service_instances', decodeServiceInstance),
    serviceOfferings: list('service_offerings', decodeServiceOffering),
    servicePlans: list('service_plans', decodeServicePlan),
    routePolicies: list('route_policies', decodeRoutePolicy),
    users: list('users', decodeUser),
  }
}
