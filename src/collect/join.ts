/**
 * Join (pure): the gathered lists and the classified reads become one Snapshot — flat model
 * shapes (the client's extra fields, e.g. a process's start command, are left behind), every
 * list sorted by guid, no secret value anywhere.
 */
import type {
  CcApp,
  CcAuditEvent,
  CcCredentialBinding,
  CcDeployment,
  CcDomain,
  CcProcess,
  CcRouteBinding,
  CcServiceInstance,
} from '../cf/ccv3/types.js'
import type {
  Access,
  App,
  AppEnv,
  AuditEvent,
  CredentialBinding,
  CredentialProbe,
  Deployment,
  Domain,
  Instance,
  IssuerProbe,
  Need,
  Process,
  ReadState,
  RouteBaseline,
  RouteReservation,
  ServiceInstance,
  Snapshot,
  Traffic,
} from '../model/snapshot.js'
import {sanitizeEndpoint} from '../derive/classify/index.js'
import type {ItemRead, SecretReadResult} from './secrets.js'
import type {Gathered} from './types.js'

export interface JoinInput {
  target: Snapshot['target']
  collectedAt: string
  gathered: Gathered
  /**
   * The secret-bearing reads (with --no-secrets: every item `skipped`); null when the identity
   * family was not collected (then every item is `skipped`). Items the reads do not mention
   * (e.g. bindings of apps outside the scope) are `not-applicable`.
   */
  secrets: SecretReadResult | null
  /** CC < 3.211: instances per process guid from `/stats` (null = could not be read). */
  stats: Map<string, Instance[] | null> | null
  traffic: Traffic | null
  routeReservations: RouteReservation[] | null
  issuerProbes: IssuerProbe[]
  credentialProbes: CredentialProbe[]
  baseline: RouteBaseline | null
  access: Record<Need, Access>
}

const byGuid = <T extends {guid: string}>(a: T, b: T) => (a.guid < b.guid ? -1 : a.guid > b.guid ? 1 : 0)

export function toApp(a: CcApp): App {
  return {
    guid: a.guid,
    name: a.name,
    state: a.state,
    spaceGuid: a.spaceGuid,
    lifecycleType: a.lifecycleType,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    labels: a.labels,
    annotations: a.annotations,
  }
}

export function toProcess(p: CcProcess, actual: Instance[] | null): Process {
  return {
    guid: p.guid,
    appGuid: p.appGuid,
    type: p.type,
    instances: p.instances,
    healthCheck: p.healthCheck,
    readinessCheck: p.readinessCheck,
    actual,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    labels: p.labels,
    annotations: p.annotations,
  }
}

function toDomain(d: CcDomain): Domain {
  return {
    guid: d.guid,
    name: d.name,
    internal: d.internal,
    routerGroupGuid: d.routerGroupGuid,
    supportedProtocols: d.supportedProtocols,
    orgGuid: d.orgGuid,
    enforceRoutePolicies: d.enforceRoutePolicies,
    routePoliciesScope: d.routePoliciesScope,
    labels: d.labels,
    annotations: d.annotations,
  }
}

/** URLs kept without userinfo, query or fragment (a route service or drain URL can carry a token). */
function safeUrl(url: string | null): string | null {
  return url === null ? null : sanitizeEndpoint(url)
}

function toDeployment(d: CcDeployment): Deployment {
  return {
    guid: d.guid,
    appGuid: d.appGuid,
    statusValue: d.statusValue,
    statusReason: d.statusReason,
    strategy: d.strategy,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  }
}

function toAuditEvent(e: CcAuditEvent): AuditEvent {
  return {
    guid: e.guid,
    type: e.type,
    createdAt: e.createdAt,
    actor: e.actor,
    target: e.target,
    spaceGuid: e.spaceGuid,
    requestKeys: e.requestKeys,
  }
}

function toRouteBinding(rb: CcRouteBinding) {
  return {
    guid: rb.guid,
    routeGuid: rb.routeGuid,
    serviceInstanceGuid: rb.serviceInstanceGuid,
    routeServiceUrl: safeUrl(rb.routeServiceUrl),
    createdAt: rb.createdAt,
  }
}

function credentialsOf<V>(
  read: ItemRead<V> | undefined,
  collected: boolean,
): {credentials: V | null; credentialsRead: ReadState} {
  if (!read) return {credentials: null, credentialsRead: collected ? 'not-applicable' : 'skipped'}
  return {credentials: read.read === 'read' ? read.value : null, credentialsRead: read.read}
}

function toServiceInstance(si: CcServiceInstance, input: JoinInput): ServiceInstance {
  const ups = si.type === 'user-provided'
  const cred = ups
    ? credentialsOf(input.secrets?.ups.get(si.guid), input.secrets !== null)
    : {credentials: null, credentialsRead: 'not-applicable' as ReadState}
  return {
    guid: si.guid,
    name: si.name,
    type: si.type,
    spaceGuid: si.spaceGuid,
    tags: si.tags,
    planGuid: si.planGuid,
    routeServiceUrl: safeUrl(si.routeServiceUrl),
    syslogDrainUrl: safeUrl(si.syslogDrainUrl),
    createdAt: si.createdAt,
    updatedAt: si.updatedAt,
    labels: si.labels,
    annotations: si.annotations,
    ...cred,
  }
}

function toBinding(
  b: CcCredentialBinding,
  instances: Map<string, ServiceInstance>,
  input: JoinInput,
): CredentialBinding {
  const si = instances.get(b.serviceInstanceGuid)
  let cred: {credentials: CredentialBinding['credentials']; credentialsRead: ReadState}
  if (si?.type === 'user-provided') {
    // A UPS's bindings carry copies of its credentials (docs/platform-facts.md §5.3).
    cred = {credentials: si.credentials, credentialsRead: si.credentialsRead}
  } else {
    cred = credentialsOf(input.secrets?.bindings.get(b.guid), input.secrets !== null)
  }
  return {
    guid: b.guid,
    name: b.name,
    type: b.type,
    appGuid: b.appGuid,
    serviceInstanceGuid: b.serviceInstanceGuid,
    lastOperation: {type: b.lastOperation.type, state: b.lastOperation.state},
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
    labels: b.labels,
    annotations: b.annotations,
    ...cred,
  }
}

function toEnv(app: CcApp, input: JoinInput): AppEnv {
  const read = input.secrets?.env.get(app.guid)
  if (!read) return {appGuid: app.guid, read: input.secrets ? 'not-applicable' : 'skipped', variables: []}
  return {appGuid: app.guid, read: read.read, variables: read.read === 'read' ? (read.value ?? []) : []}
}

export function joinSnapshot(input: JoinInput): Snapshot {
  const g = input.gathered
  const serviceInstances = g.serviceInstances.map((si) => toServiceInstance(si, input)).sort(byGuid)
  const instancesByGuid = new Map(serviceInstances.map((si) => [si.guid, si]))
  const processActual = (p: CcProcess): Instance[] | null =>
    input.stats ? (input.stats.get(p.guid) ?? null) : p.actual
  return {
    schemaVersion: 1,
    target: input.target,
    collectedAt: input.collectedAt,
    orgs: [...g.orgs].sort(byGuid),
    spaces: g.spaces.map((s) => ({guid: s.guid, name: s.name, orgGuid: s.orgGuid})).sort(byGuid),
    apps: g.apps.map(toApp).sort(byGuid),
    processes: g.processes.map((p) => toProcess(p, processActual(p))).sort(byGuid),
    domains: g.domains.map(toDomain).sort(byGuid),
    routes: [...g.routes].sort(byGuid),
    routeBindings: g.routeBindings.map(toRouteBinding).sort(byGuid),
    routePolicies: g.routePolicies
      .map((p) => ({guid: p.guid, routeGuid: p.routeGuid, source: p.source}))
      .sort(byGuid),
    networkPolicies: [...g.networkPolicies].sort(
      (a, b) =>
        a.sourceAppGuid.localeCompare(b.sourceAppGuid) ||
        a.destinationAppGuid.localeCompare(b.destinationAppGuid) ||
        a.portStart - b.portStart,
    ),
    deployments: g.deployments.map(toDeployment).sort(byGuid),
    serviceOfferings: [...g.serviceOfferings].sort(byGuid),
    servicePlans: [...g.servicePlans].sort(byGuid),
    serviceInstances,
    bindings: g.bindings.map((b) => toBinding(b, instancesByGuid, input)).sort(byGuid),
    env: input.secrets
      ? g.apps.map((a) => toEnv(a, input)).sort((a, b) => (a.appGuid < b.appGuid ? -1 : 1))
      : [],
    auditEvents: g.auditEvents.map(toAuditEvent).sort(byGuid),
    uaaClients: [...g.uaaClients].sort((a, b) => a.clientId.localeCompare(b.clientId)),
    issuerProbes: [...input.issuerProbes].sort((a, b) => a.issuer.localeCompare(b.issuer)),
    credentialProbes: [...input.credentialProbes].sort(
      (a, b) =>
        a.clientId.localeCompare(b.clientId) || a.secretFingerprint.localeCompare(b.secretFingerprint),
    ),
    traffic: input.traffic,
    baseline: input.baseline,
    ...(input.routeReservations ? {routeReservations: input.routeReservations} : {}),
    access: input.access,
  }
}
