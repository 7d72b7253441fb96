/**
 * The route baseline (pure): what `cfguard snapshot --output FILE` stores for routes, and the
 * comparison `routes/drift` reports.
 */
import type {RouteBaseline, Snapshot} from '../model/snapshot.js'

export type BaselineRoute = RouteBaseline['routes'][number]
export type BaselineDestination = BaselineRoute['destinations'][number]

export function routeBaselineOf(snapshot: Snapshot): RouteBaseline {
  const appNames = new Map(snapshot.apps.map((a) => [a.guid, a.name]))
  const routes = snapshot.routes
    .map((route): BaselineRoute => ({
      guid: route.guid,
      url: route.url,
      spaceGuid: route.spaceGuid,
      destinations: uniqueDestinations(
        route.destinations.map((d) => {
          const name = appNames.get(d.appGuid)
          return {
            appGuid: d.appGuid,
            processType: d.processType,
            port: d.port,
            ...(name === undefined ? {} : {appName: name}),
          }
        }),
      ),
    }))
    .sort((a, b) => a.url.localeCompare(b.url) || a.guid.localeCompare(b.guid))
  return {generatedAt: snapshot.collectedAt, routes}
}

export function destinationKey(d: BaselineDestination): string {
  return `${d.appGuid}/${d.processType}:${d.port ?? 'default'}`
}

export interface RouteDrift {
  addedRoutes: BaselineRoute[]
  removedRoutes: BaselineRoute[]
  /** Destinations added to or removed from a route present in both. */
  addedDestinations: {route: BaselineRoute; destination: BaselineDestination}[]
  removedDestinations: {route: BaselineRoute; destination: BaselineDestination}[]
}

/**
 * Compares a reviewed baseline with the current routes. Routes match by url (a route deleted and
 * re-created with the same url and destinations is no drift); destinations by app, process type
 * and port. A new or removed route is one entry (its destinations are not listed again). With
 * `inScope`, baseline routes whose space is known and out of scope are not called removed.
 */
export function compareRouteBaseline(
  baseline: RouteBaseline,
  current: RouteBaseline,
  inScope: (spaceGuid: string) => boolean = () => true,
): RouteDrift {
  const before = new Map(baseline.routes.map((r) => [r.url, r]))
  const after = new Map(current.routes.map((r) => [r.url, r]))
  const drift: RouteDrift = {
    addedRoutes: [],
    removedRoutes: [],
    addedDestinations: [],
    removedDestinations: [],
  }
  for (const [url, route] of after) {
    const old = before.get(url)
    if (!old) {
      drift.addedRoutes.push(route)
      continue
    }
    const oldKeys = new Set(old.destinations.map(destinationKey))
    const newKeys = new Set(route.destinations.map(destinationKey))
    for (const d of route.destinations) {
      if (!oldKeys.has(destinationKey(d))) drift.addedDestinations.push({route, destination: d})
    }
    for (const d of old.destinations) {
      if (!newKeys.has(destinationKey(d))) drift.removedDestinations.push({route, destination: d})
    }
  }
  for (const [url, route] of before) {
    if (after.has(url)) continue
    if (route.spaceGuid !== undefined && !inScope(route.spaceGuid)) continue
    drift.removedRoutes.push(route)
  }
  const byUrl = (a: BaselineRoute, b: BaselineRoute) => a.url.localeCompare(b.url)
  const byPair = (
    a: {route: BaselineRoute; destination: BaselineDestination},
    b: {route: BaselineRoute; destination: BaselineDestination},
  ) => byUrl(a.route, b.route) || destinationKey(a.destination).localeCompare(destinationKey(b.destination))
  drift.addedRoutes.sort(byUrl)
  drift.removedRoutes.sort(byUrl)
  drift.addedDestinations.sort(byPair)
  drift.removedDestinations.sort(byPair)
  return drift
}

function uniqueDestinations(list: BaselineDestination[]): BaselineDestination[] {
  const seen = new Map<string, BaselineDestination>()
  for (const d of list) if (!seen.has(destinationKey(d))) seen.set(destinationKey(d), d)
  return [...seen.values()].sort((a, b) => destinationKey(a).localeCompare(destinationKey(b)))
}

/**
 * The route baseline a `--baseline FILE` carries, if any (pure): a `cfguard snapshot` file (its
 * routes, the reviewed state itself), or an audit result whose `routeMap` is present (`cfguard
 * audit --json` / `routes report --json`, bare or in the `{status, result}` envelope). Null for a
 * result without a route map (then the file only filters known findings). Route-map routes name
 * their space by name only, so such a baseline has no `spaceGuid`s and a scoped run reports
 * baseline routes outside its scope as removed only if they were in the file at all.
 */
export function routeBaselineOfDocument(doc: unknown): RouteBaseline | null {
  const body = isObject(doc) && 'result' in doc && isObject(doc.result) ? doc.result : doc
  if (!isObject(body)) return null
  if (Array.isArray(body.routes) && Array.isArray(body.apps) && typeof body.collectedAt === 'string') {
    return routeBaselineOf(body as unknown as Snapshot)
  }
  const map = body.routeMap
  if (!isObject(map) || !Array.isArray(map.domains)) return null
  const routes: BaselineRoute[] = []
  for (const domain of map.domains as unknown[]) {
    if (!isObject(domain) || !Array.isArray(domain.routes)) continue
    for (const r of domain.routes as unknown[]) {
      if (!isObject(r) || typeof r.guid !== 'string' || typeof r.url !== 'string') continue
      const destinations = (Array.isArray(r.destinations) ? r.destinations : [])
        .filter(isObject)
        .map((d): BaselineDestination => ({
          appGuid: String(d.appGuid ?? ''),
          processType: typeof d.processType === 'string' ? d.processType : 'web',
          port: typeof d.port === 'number' ? d.port : null,
          ...(typeof d.appName === 'string' ? {appName: d.appName} : {}),
        }))
      routes.push({guid: r.guid, url: r.url, destinations: uniqueDestinations(destinations)})
    }
  }
  routes.sort((a, b) => a.url.localeCompare(b.url) || a.guid.localeCompare(b.guid))
  const generatedAt = typeof body.generatedAt === 'string' ? body.generatedAt : ''
  return {generatedAt, routes}
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
