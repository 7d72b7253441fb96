/**
 * The route map (pure): how traffic reaches each app, grouped domain → route → destinations →
 * instances → health checks, plus route service and route policies per route.
 */
import {bindingOfRoute, describeCheck, destinationProcess, domainNameOf, routeServiceUrlOf} from './routes.js'
import {indexSnapshot, placeOf} from './lookup.js'
import type {
  InstanceCounts,
  RouteMap,
  RouteMapDestination,
  RouteMapDomain,
  RouteMapRoute,
} from '../model/route-map.js'
import type {Destination, Process, Route, Snapshot} from '../model/snapshot.js'
import {pushTo} from '../util/multimap.js'

export interface RouteMapOptions {
  /** Only this domain (name, case-insensitive, or guid). */
  domain?: string
  /** Only routes with a destination to this app (name or guid); their other destinations stay. */
  app?: string
}

export function buildRouteMap(s: Snapshot, options: RouteMapOptions = {}): RouteMap {
  const ix = indexSnapshot(s)
  const wantedDomain = options.domain?.toLowerCase()
  const appGuids = options.app
    ? new Set(s.apps.filter((a) => a.name === options.app || a.guid === options.app).map((a) => a.guid))
    : null

  const domains = new Map<string, RouteMapDomain>()
  const domainFor = (route: Route): RouteMapDomain => {
    const existing = domains.get(route.domainGuid)
    if (existing) return existing
    const d = ix.domains.get(route.domainGuid)
    const entry: RouteMapDomain = {
      guid: route.domainGuid,
      name: d?.name ?? domainNameOf(ix, route),
      internal: d?.internal ?? false,
      tcp: d ? d.routerGroupGuid !== null || d.supportedProtocols.includes('tcp') : route.protocol === 'tcp',
      enforceRoutePolicies: d?.enforceRoutePolicies ?? false,
      routes: [],
    }
    domains.set(route.domainGuid, entry)
    return entry
  }
  const domainMatches = (route: Route) =>
    !wantedDomain ||
    route.domainGuid === options.domain ||
    domainNameOf(ix, route).toLowerCase() === wantedDomain

  // An explicitly asked-for domain is shown even without routes.
  if (options.domain) {
    const d = s.domains.find((x) => x.guid === options.domain || x.name.toLowerCase() === wantedDomain)
    if (d) {
      domains.set(d.guid, {
        guid: d.guid,
        name: d.name,
        internal: d.internal,
        tcp: d.routerGroupGuid !== null || d.supportedProtocols.includes('tcp'),
        enforceRoutePolicies: d.enforceRoutePolicies,
        routes: [],
      })
    }
  }

  const policiesByRoute = new Map<string, string[]>()
  for (const p of s.routePolicies) pushTo(policiesByRoute, p.routeGuid, p.source)

  for (const route of s.routes) {
    if (!domainMatches(route)) continue
    if (appGuids && !route.destinations.some((d) => appGuids.has(d.appGuid))) continue
    const binding = bindingOfRoute(s, route.guid)
    const place = placeOf(ix, route.spaceGuid)
    const entry: RouteMapRoute = {
      guid: route.guid,
      url: route.url,
      host: route.host,
      path: route.path,
      port: route.port,
      protocol: route.protocol,
      options: {...route.options},
      space: place.space,
      org: place.org,
      routeService: binding
        ? {
            url: routeServiceUrlOf(ix, binding),
            serviceInstance:
              ix.serviceInstances.get(binding.serviceInstanceGuid)?.name ?? binding.serviceInstanceGuid,
          }
        : null,
      policies: [...new Set(policiesByRoute.get(route.guid) ?? [])].sort(),
      destinations: route.destinations.map((d) => destinationOf(s, d)).sort(compareDestinations),
      findings: [],
    }
    domainFor(route).routes.push(entry)
  }

  const list = [...domains.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.guid.localeCompare(b.guid),
  )
  for (const d of list) {
    d.routes.sort(
      (a, b) =>
        a.host.localeCompare(b.host) ||
        a.path.localeCompare(b.path) ||
        (a.port ?? 0) - (b.port ?? 0) ||
        a.guid.localeCompare(b.guid),
    )
  }
  return {domains: list}
}

function destinationOf(s: Snapshot, d: Destination): RouteMapDestination {
  const ix = indexSnapshot(s)
  const app = ix.apps.get(d.appGuid)
  const place = app ? placeOf(ix, app.spaceGuid) : {space: null, org: null}
  // All processes of the type (old and new during a rolling deployment): both are routed.
  const process = destinationProcess(ix, d.appGuid, d.processType)
  return {
    appGuid: d.appGuid,
    appName: app?.name ?? d.appGuid,
    appState: app?.state ?? 'UNKNOWN',
    space: place.space,
    org: place.org,
    processType: d.processType,
    port: d.port,
    protocol: d.protocol,
    weight: d.weight,
    instances: countsOf(process),
    healthCheck: process ? describeCheck(process.healthCheck) : 'unknown',
    readinessCheck: process?.readinessCheck ? describeCheck(process.readinessCheck) : null,
  }
}

/** Instance counts from `process.actual`; STOPPING counts as down, UNKNOWN as unknown. */
export function countsOf(process: Process | undefined): InstanceCounts {
  const counts: InstanceCounts = {
    desired: process?.instances ?? 0,
    running: 0,
    crashed: 0,
    starting: 0,
    down: 0,
    unroutable: 0,
    known: process?.actual != null,
  }
  for (const i of process?.actual ?? []) {
    if (i.state === 'RUNNING') {
      counts.running++
      if (i.routable === false) counts.unroutable++
    } else if (i.state === 'CRASHED') counts.crashed++
    else if (i.state === 'STARTING') counts.starting++
    else if (i.state === 'UNKNOWN') counts.unknown = (counts.unknown ?? 0) + 1
    else counts.down++
  }
  return counts
}

function compareDestinations(a: RouteMapDestination, b: RouteMapDestination): number {
  return (
    a.appName.localeCompare(b.appName) ||
    a.processType.localeCompare(b.processType) ||
    (a.port ?? 0) - (b.port ?? 0) ||
    (a.protocol ?? '').localeCompare(b.protocol ?? '') ||
    a.appGuid.localeCompare(b.appGuid)
  )
}
