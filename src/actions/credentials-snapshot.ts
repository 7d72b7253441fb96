/**
 * The part of a Snapshot the credential commands need, from bulk lists only and without reading a
 * secret (no `*.show` audit event): spaces, apps, processes with embedded instances, service
 * instances, credential bindings, the service catalogue, UPS credential-change audit events and
 * (with clients.read) the UAA clients. Credentials stay unread (`credentialsRead: 'skipped'`):
 * identity is recognised from names, tags, catalogue and cfguard's own marks.
 *
 * Used until the collector's `collectSnapshot` (src/collect) is on main; same Snapshot model.
 */
import type {Scope, Session} from './session.js'
import {isCfguardError} from '../errors.js'
import type {Access, Need, Snapshot} from '../model/snapshot.js'

const DAY_MS = 86_400_000
/** CC prunes audit events after 31 days by default. */
const AUDIT_WINDOW_MS = 31 * DAY_MS

export async function collectCredentialSnapshot(session: Session, now: Date): Promise<Snapshot> {
  const {cc} = session
  const scope: Scope = await session.resolveScope()
  const where = scope.space
    ? {spaceGuids: [scope.space.guid]}
    : scope.org
      ? {organizationGuids: [scope.org.guid]}
      : {}
  const [spaces, instances, plans, offerings] = await Promise.all([
    scope.space
      ? cc.spaces.listAll({guids: [scope.space.guid]})
      : cc.spaces.listAll(scope.org ? {organizationGuids: [scope.org.guid]} : {}),
    cc.serviceInstances.listAll(where),
    cc.servicePlans.listAll(),
    cc.serviceOfferings.listAll(),
  ])
  const orgs = await cc.orgs.listAll({guids: [...new Set(spaces.map((s) => s.orgGuid))]})
  const siGuids = instances.map((s) => s.guid)
  const bindings = await cc.serviceCredentialBindings.listAll({serviceInstanceGuids: siGuids})
  const appGuids = [...new Set(bindings.flatMap((b) => (b.appGuid ? [b.appGuid] : [])))]
  const embed = cc.supports('embeddedProcessInstances')
  const [apps, processes, auditEvents, uaa] = await Promise.all([
    cc.apps.listAll({guids: appGuids}),
    cc.processes.listAll({appGuids, ...(embed ? {embed: 'process_instances' as const} : {})}),
    cc.auditEvents
      .listAll({
        types: ['audit.user_provided_service_instance.create', 'audit.user_provided_service_instance.update'],
        targetGuids: instances.filter((s) => s.type === 'user-provided').map((s) => s.guid),
        createdAts: {gte: new Date(now.getTime() - AUDIT_WINDOW_MS)},
      })
      .then((events) => ({events, access: full()}))
      .catch((err: unknown) => ({events: [], access: denied(err)})),
    session.uaa
      .listClients()
      .then((clients) => ({clients, access: full()}))
      .catch((err: unknown) => ({clients: [], access: denied(err)})),
  ])
  const access = {} as Record<Need, Access>
  for (const need of [
    'env',
    'upsCredentials',
    'bindingDetails',
    'networkPolicies',
    'routePolicies',
    'issuerProbes',
    'credentialProbes',
    'traffic',
    'baseline',
  ] as Need[])
    access[need] = {state: 'not-requested'}
  access.instances = embed
    ? full()
    : {state: 'partial', why: `CC ${cc.version} has no embedded process instances`}
  access.auditEvents = auditEvents.access
  access.uaaClients = uaa.access

  const byGuid = <T extends {guid: string}>(a: T, b: T) => a.guid.localeCompare(b.guid)
  return {
    schemaVersion: 1,
    target: {
      api: session.target.api,
      ccVersion: session.target.ccVersion,
      org: scope.org?.name ?? null,
      space: scope.space?.name ?? null,
    },
    collectedAt: now.toISOString(),
    orgs: orgs.map((o) => ({guid: o.guid, name: o.name})).sort(byGuid),
    spaces: spaces.map((s) => ({guid: s.guid, name: s.name, orgGuid: s.orgGuid})).sort(byGuid),
    apps: apps.map(({currentDropletGuid: _d, buildpacks: _b, stack: _s, ...app}) => app).sort(byGuid),
    processes: processes
      .map(({command: _c, version: _v, memoryInMb: _m, diskInMb: _d, ...p}) => p)
      .sort(byGuid),
    domains: [],
    routes: [],
    routeBindings: [],
    routePolicies: [],
    networkPolicies: [],
    deployments: [],
    serviceOfferings: offerings
      .map((o) => ({
        guid: o.guid,
        name: o.name,
        description: o.description,
        tags: o.tags,
        brokerName: o.brokerName,
      }))
      .sort(byGuid),
    servicePlans: plans.map((p) => ({guid: p.guid, name: p.name, offeringGuid: p.offeringGuid})).sort(byGuid),
    serviceInstances: instances
      .map((si) => ({
        guid: si.guid,
        name: si.name,
        type: si.type,
        spaceGuid: si.spaceGuid,
        tags: si.tags,
        planGuid: si.planGuid,
        routeServiceUrl: si.routeServiceUrl,
        syslogDrainUrl: si.syslogDrainUrl,
        createdAt: si.createdAt,
        updatedAt: si.updatedAt,
        labels: si.labels,
        annotations: si.annotations,
        credentials: null,
        credentialsRead: si.type === 'user-provided' ? ('skipped' as const) : ('not-applicable' as const),
      }))
      .sort(byGuid),
    bindings: bindings
      .map((b) => ({
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
        credentials: null,
        credentialsRead: 'skipped' as const,
      }))
      .sort(byGuid),
    env: [],
    auditEvents: auditEvents.events
      .map(({organizationGuid: _o, data: _d, ...e}) => e)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.guid.localeCompare(b.guid)),
    uaaClients: uaa.clients,
    issuerProbes: [],
    credentialProbes: [],
    traffic: null,
    baseline: null,
    access,
  }
}

function full(): Access {
  return {state: 'full'}
}

function denied(err: unknown): Access {
  if (isCfguardError(err) && (err.code === 'FORBIDDEN' || err.status === 403 || err.status === 401))
    return {state: 'none', why: err.message}
  throw err
}
