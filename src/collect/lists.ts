/**
 * Gather: every bulk list the collection needs, issued at once (the dependent chain stays at
 * "page 1, then the other pages"; in scoped runs the binding lists wait for the service instance
 * list, whose GUIDs they filter by). Nothing here is one request per item.
 */
import type {Session} from '../cf/session.js'
import {
  decodeApp,
  decodeAuditEvent,
  decodeCredentialBinding,
  decodeDeployment,
  decodeDomain,
  decodeIncluded,
  decodeProcess,
  decodeRoute,
  decodeRouteBinding,
  decodeServiceInstance,
  decodeSpace,
} from '../cf/ccv3/decode.js'
import type {
  CcApp,
  CcAuditEvent,
  CcCredentialBinding,
  CcDeployment,
  CcDomain,
  CcProcess,
  CcRoute,
  CcRouteBinding,
  CcServiceInstance,
  CcSpace,
} from '../cf/ccv3/types.js'
import type {
  WireApp,
  WireAuditEvent,
  WireCredentialBinding,
  WireDeployment,
  WireDomain,
  WireProcess,
  WireRoute,
  WireRouteBinding,
  WireServiceInstance,
  WireSpace,
} from '../cf/ccv3/wire.js'
import {scopesOf} from '../cf/http/tokens.js'
import {isApiError} from '../cf/http/errors.js'
import {isCfguardError} from '../errors.js'
import type {Access, NetworkPolicy, ServiceOffering, UaaClient} from '../model/snapshot.js'
import type {Limiter} from './limiter.js'
import {createPageLimit, listPaged, type PagedList} from './paging.js'
import type {CollectOptions, Gathered} from './types.js'
import {DAY_MS} from '../model/duration.js'

/**
 * Audit events are pruned after 31 days by default (docs/platform-facts.md §7): older ones are not asked for.
 */
export const AUDIT_WINDOW_DAYS = 31

/** Audit event types the identity rules read: UPS creates/updates carrying `credentials`. */
export const AUDIT_EVENT_TYPES: readonly string[] = [
  'audit.user_provided_service_instance.create',
  'audit.user_provided_service_instance.update',
]

const CLIENT_READ_SCOPES = ['clients.read', 'clients.admin', 'uaa.admin']

/** Service instance fields that bring plans, offerings and brokers along (no separate lists). */
export const SERVICE_INSTANCE_FIELDS = {
  service_plan: ['guid', 'name', 'relationships.service_offering'],
  'service_plan.service_offering': ['guid', 'name', 'description', 'tags', 'relationships.service_broker'],
  'service_plan.service_offering.service_broker': ['guid', 'name'],
}

/** The token's scopes (user tokens: scopes; client tokens: authorities), for capability checks. */
export function tokenScopes(session: Session): string[] | null {
  return scopesOf(session.tokens.current())
}

/** `space_guids` / `organization_guids` for the scope; nothing for `--all`. */
export function scopeFilter(options: CollectOptions): {spaceGuids?: string[]; organizationGuids?: string[]} {
  const {scope} = options
  if (scope.space) return {spaceGuids: [scope.space.guid]}
  if (scope.org) return {organizationGuids: [scope.org.guid]}
  return {}
}

/** What the secret-bearing reads need: they start as soon as these three lists are in. */
export interface SecretInputs {
  apps: CcApp[]
  serviceInstances: CcServiceInstance[]
  bindings: CcCredentialBinding[]
}

export interface Gathering {
  secretInputs: Promise<SecretInputs>
  all: Promise<Gathered>
}

/**
 * Starts every list at once. `secretInputs` settles as soon as apps, service instances and
 * bindings are in (the per-item reads start then, while the other lists are still arriving);
 * `all` when everything is.
 */
export function startGathering(
  session: Session,
  options: CollectOptions,
  limiter: Limiter,
  now: Date,
): Gathering {
  const cc = session.cc
  const core = cc.core
  const identity = options.families.includes('identity')
  const routesFamily = options.families.includes('routes')
  const filter = scopeFilter(options)
  const scoped = !options.scope.all && (options.scope.org !== null || options.scope.space !== null)
  const embed = cc.versionAtLeast('3.211.0')
  const policies = cc.versionAtLeast('3.224.0')

  const spacesQuery = options.scope.space
    ? {guids: [options.scope.space.guid]}
    : options.scope.org
      ? {organizationGuids: [options.scope.org.guid]}
      : {}
  const pages = createPageLimit()
  const list = <W extends {guid: string}, T>(
    path: string,
    query: object,
    decode: (wire: W, now: Date) => T,
  ): Promise<PagedList<T>> => listPaged(core, limiter, pages, path, query, decode)
  // Issued in this order (pages are limited): what the secret reads need comes first.
  const spaces = list('/v3/spaces', {...spacesQuery, include: 'organization'}, (w: WireSpace) =>
    decodeSpace(w),
  )
  const apps = list('/v3/apps', filter, (w: WireApp) => decodeApp(w))
  const instances = list(
    '/v3/service_instances',
    {...filter, fields: SERVICE_INSTANCE_FIELDS},
    (w: WireServiceInstance) => decodeServiceInstance(w),
  )
  // Bindings have no space filter: with a scope they are asked for by the scope's service
  // instances (an app binds only instances of its space or shared into it, which that list has).
  const bySi = <T>(read: (filter: object) => Promise<T>): Promise<T> =>
    scoped ? instances.then((si) => read({serviceInstanceGuids: si.items.map((x) => x.guid)})) : read({})
  const bindings = bySi((f) =>
    list('/v3/service_credential_bindings', f, (w: WireCredentialBinding) => decodeCredentialBinding(w)),
  )
  const routeBindings = bySi((f) =>
    list('/v3/service_route_bindings', f, (w: WireRouteBinding) => decodeRouteBinding(w)),
  )
  const processes = list(
    '/v3/processes',
    {...filter, ...(embed ? {embed: 'process_instances'} : {})},
    (w: WireProcess, at) => decodeProcess(w, at),
  )
  const routes = list(
    '/v3/routes',
    {...filter, ...(policies ? {include: 'route_policies'} : {})},
    (w: WireRoute) => decodeRoute(w),
  )
  const domains = list('/v3/domains', {}, (w: WireDomain) => decodeDomain(w))
  // ACTIVE deployments are few: one unfiltered list, filtered in memory by the apps in scope.
  const deployments = list('/v3/deployments', {statusValues: ['ACTIVE']}, (w: WireDeployment) =>
    decodeDeployment(w),
  )
  const auditEvents = identity
    ? list(
        '/v3/audit_events',
        {
          types: AUDIT_EVENT_TYPES,
          createdAts: {gt: new Date(now.getTime() - AUDIT_WINDOW_DAYS * DAY_MS)},
          ...filter,
        },
        (w: WireAuditEvent) => decodeAuditEvent(w),
      )
    : Promise.resolve(null)
  const network = routesFamily ? readNetworkPolicies(session, limiter) : Promise.resolve(null)
  const uaa = identity ? readUaaClients(session, limiter) : Promise.resolve(null)

  const secretInputs = Promise.all([apps, instances, bindings]).then(([a, si, b]) => ({
    apps: a.items,
    serviceInstances: si.items,
    bindings: b.items,
  }))
  // Whoever does not consume it must not turn its failure into an unhandled rejection.
  secretInputs.catch(() => undefined)
  return {
    secretInputs,
    all: joinLists(cc.version, policies, [
      spaces,
      apps,
      processes,
      routes,
      domains,
      instances,
      bindings,
      routeBindings,
      deployments,
      auditEvents,
      network,
      uaa,
    ] as const),
  }
}

async function joinLists(
  version: string,
  policies: boolean,
  lists: readonly [
    Promise<PagedList<CcSpace>>,
    Promise<PagedList<CcApp>>,
    Promise<PagedList<CcProcess>>,
    Promise<PagedList<CcRoute>>,
    Promise<PagedList<CcDomain>>,
    Promise<PagedList<CcServiceInstance>>,
    Promise<PagedList<CcCredentialBinding>>,
    Promise<PagedList<CcRouteBinding>>,
    Promise<PagedList<CcDeployment>>,
    Promise<PagedList<CcAuditEvent> | null>,
    Promise<{policies: NetworkPolicy[]; access: Access} | null>,
    Promise<{clients: UaaClient[]; access: Access} | null>,
  ],
): Promise<Gathered> {
  const access: Gathered['access'] = {}
  // One await over everything: a failing list must not leave the others' rejections unhandled.
  const [s, a, p, r, d, si, b, rb, dep, events, net, clients] = await Promise.all(lists)

  const spaceIncluded = decodeIncluded(s.included)
  const routeIncluded = decodeIncluded(r.included)
  const siIncluded = decodeIncluded(si.included)
  const brokers = new Map<string, string>()
  for (const raw of si.included.service_brokers ?? []) {
    const broker = raw as {guid?: unknown; name?: unknown}
    if (typeof broker.guid === 'string' && typeof broker.name === 'string')
      brokers.set(broker.guid, broker.name)
  }
  const offerings: ServiceOffering[] = siIncluded.serviceOfferings.map((o) => ({
    guid: o.guid,
    name: o.name,
    description: o.description,
    tags: o.tags,
    brokerName: o.brokerGuid ? (brokers.get(o.brokerGuid) ?? null) : null,
  }))

  access.routePolicies = policies
    ? {state: 'full'}
    : {state: 'unsupported', why: `CC ${version} < 3.224.0 (no route policies)`}
  if (events) access.auditEvents = {state: 'full'}
  if (net) access.networkPolicies = net.access
  if (clients) access.uaaClients = clients.access

  const appGuids = new Set(a.items.map((x) => x.guid))
  return {
    orgs: spaceIncluded.organizations.map((o) => ({guid: o.guid, name: o.name})),
    spaces: s.items,
    apps: a.items,
    processes: p.items,
    routes: r.items,
    routePolicies: routeIncluded.routePolicies,
    domains: d.items,
    serviceInstances: si.items as CcServiceInstance[],
    servicePlans: siIncluded.servicePlans.map((pl) => ({
      guid: pl.guid,
      name: pl.name,
      offeringGuid: pl.offeringGuid,
    })),
    serviceOfferings: offerings,
    bindings: b.items,
    routeBindings: rb.items,
    deployments: dep.items.filter((x) => appGuids.has(x.appGuid)),
    auditEvents: events?.items ?? [],
    networkPolicies: (net?.policies ?? []).filter(
      (x) => appGuids.has(x.sourceAppGuid) || appGuids.has(x.destinationAppGuid),
    ),
    uaaClients: clients?.clients ?? [],
    access,
    gaps: [],
  }
}

async function readNetworkPolicies(
  session: Session,
  limiter: Limiter,
): Promise<{policies: NetworkPolicy[]; access: Access}> {
  const network = session.network
  if (!network) {
    return {
      policies: [],
      access: {state: 'none', why: 'no network_policy_v1 link in GET / (no policy server)'},
    }
  }
  try {
    return {policies: await limiter.run(() => network.listPolicies()), access: {state: 'full'}}
  } catch (err) {
    if (isApiError(err) && (err.status === 403 || err.status === 401)) {
      return {
        policies: [],
        access: {
          state: 'none',
          why: `${err.status} from the policy server (listing needs network.admin or network.write)`,
        },
      }
    }
    throw err
  }
}

async function readUaaClients(
  session: Session,
  limiter: Limiter,
): Promise<{clients: UaaClient[]; access: Access}> {
  // Unknown scopes (an opaque token nobody described): ask, and let UAA's 403 answer.
  const scopes = tokenScopes(session)
  if (scopes !== null && !CLIENT_READ_SCOPES.some((s) => scopes.includes(s))) {
    return {clients: [], access: {state: 'none', why: 'the token has no clients.read scope'}}
  }
  try {
    const clients = await session.uaa.listClients({schedule: (request) => limiter.run(request)})
    return {clients, access: {state: 'full'}}
  } catch (err) {
    if (isCfguardError(err) && (err.code === 'FORBIDDEN' || (isApiError(err) && err.status === 403))) {
      return {clients: [], access: {state: 'none', why: `UAA refused to list clients (${err.message})`}}
    }
    throw err
  }
}
