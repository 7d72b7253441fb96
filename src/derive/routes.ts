/**
 * Cloud Foundry route facts shared by the route rules and the route map (all pure).
 */
import type {ResourceRef} from '../model/finding.js'
import type {Policy} from '../model/policy.js'
import {matchesSelector} from '../model/selector.js'
import type {App, Domain, HealthCheck, Process, Route, RouteBinding, Snapshot} from '../model/snapshot.js'
import {type SnapshotIndex, indexSnapshot, placeOf} from './lookup.js'

/** What a route without an explicit `loadbalancing` option uses: Gorouter's operator default. */
export const DEFAULT_ALGORITHM = 'default'

/**
 * The load-balancing algorithm a route asks for, normalised: `least-connections` (CC 3.183–3.186)
 * and `least-connection` (CC ≥ 3.187) are one algorithm; no option is `default`, because the
 * operator's default (`router.balancing_algorithm`) is not exposed by any API.
 */
export function algorithmOf(route: Route): string {
  const raw = route.options.loadbalancing?.trim().toLowerCase()
  if (!raw) return DEFAULT_ALGORITHM
  return raw === 'least-connections' ? 'least-connection' : raw
}

export function normalizeAlgorithm(name: string): string {
  const raw = name.trim().toLowerCase()
  return raw === 'least-connections' ? 'least-connection' : raw
}

/** The domain of a route, when visible. */
export function domainOf(ix: SnapshotIndex, route: Route): Domain | undefined {
  return ix.domains.get(route.domainGuid)
}

/** The domain name, falling back to what the route's url says when the domain is not visible. */
export function domainNameOf(ix: SnapshotIndex, route: Route): string {
  const domain = domainOf(ix, route)
  if (domain) return domain.name
  let rest = route.url
  if (route.path && rest.endsWith(route.path)) rest = rest.slice(0, -route.path.length)
  if (route.port !== null) rest = rest.replace(/:\d+$/, '')
  if (route.host && rest.startsWith(`${route.host}.`)) rest = rest.slice(route.host.length + 1)
  return rest
}

/** The request Host a route answers to (`billing.apps.example.com`, or the domain for an empty host). */
export function hostnameOf(ix: SnapshotIndex, route: Route): string {
  const domain = domainNameOf(ix, route)
  return (route.host ? `${route.host}.${domain}` : domain).toLowerCase()
}

export function isInternalRoute(ix: SnapshotIndex, route: Route): boolean {
  return domainOf(ix, route)?.internal === true
}

/** TCP route: protocol tcp or a router-group (TCP-only) domain. */
export function isTcpRoute(ix: SnapshotIndex, route: Route): boolean {
  const domain = domainOf(ix, route)
  return (
    route.protocol === 'tcp' ||
    (domain !== undefined && (domain.routerGroupGuid !== null || domain.supportedProtocols.includes('tcp')))
  )
}

/** The arguments that name a route to the cf CLI: `DOMAIN [--hostname H] [--path P] [--port N]`. */
export function cfRouteArgs(ix: SnapshotIndex, route: Route): string {
  const parts = [domainNameOf(ix, route)]
  if (route.host) parts.push('--hostname', route.host === '*' ? "'*'" : route.host)
  if (route.path) parts.push('--path', route.path)
  if (route.port !== null) parts.push('--port', String(route.port))
  return parts.join(' ')
}

export function appName(ix: SnapshotIndex, appGuid: string): string {
  return ix.apps.get(appGuid)?.name ?? appGuid
}

/**
 * Every process of one type of an app, oldest first (created_at, then guid). Usually one; during a
 * rolling deployment CC runs two `web` processes, the old one and its clone (docs/platform-facts.md §3.7).
 */
export function processesOf(ix: SnapshotIndex, appGuid: string, type: string): readonly Process[] {
  return memoEntry(ix, appGuid, type).processes
}

/**
 * Per-index memo of `processesOf` and `destinationProcess`, by app guid then process type (no
 * key string built per call): a dozen rules and the route map ask for the same destinations, and
 * each answer was a filter, a sort and a copy. Snapshots (and so their indexes) are not changed
 * after collection, and callers only read what they get.
 */
interface ProcessMemoEntry {
  processes: Process[]
  /** Filled on the first `destinationProcess` call. */
  destination?: {value: DestinationProcess | undefined}
}

const processMemo = new WeakMap<SnapshotIndex, Map<string, Map<string, ProcessMemoEntry>>>()

function memoEntry(ix: SnapshotIndex, appGuid: string, type: string): ProcessMemoEntry {
  let byApp = processMemo.get(ix)
  if (!byApp) {
    byApp = new Map()
    processMemo.set(ix, byApp)
  }
  let byType = byApp.get(appGuid)
  if (!byType) {
    byType = new Map()
    byApp.set(appGuid, byType)
  }
  let entry = byType.get(type)
  if (!entry) {
    const processes = (ix.processesByApp.get(appGuid) ?? [])
      .filter((p) => p.type === type)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.guid.localeCompare(b.guid))
    entry = {processes}
    byType.set(type, entry)
  }
  return entry
}

/**
 * What a route destination (app + process type) reaches, seen as one process. Destinations name a
 * type, not a process, so during a rolling deployment Gorouter sends traffic to the old and the new
 * `web` process alike: desired and actual instances add up (as rotation counts them), and judging
 * either process alone is wrong (the new one's single STARTING instance is not an outage). Its
 * identity (guid, health checks) is the oldest process's: the one that served before the
 * deployment, so a finding keeps its resource while the deployment rolls. `actual` is null when
 * any of the processes' instances were not read. Undefined when the app has no such process.
 */
export interface DestinationProcess extends Process {
  /** The processes behind it, oldest first (two during a rolling deployment). */
  processes: readonly Process[]
}

export function destinationProcess(
  ix: SnapshotIndex,
  appGuid: string,
  type: string,
): DestinationProcess | undefined {
  const entry = memoEntry(ix, appGuid, type)
  entry.destination ??= {value: combineProcesses(entry.processes)}
  return entry.destination.value
}

function combineProcesses(processes: readonly Process[]): DestinationProcess | undefined {
  const [primary] = processes
  if (!primary) return undefined
  if (processes.length === 1) return {...primary, processes}
  const actuals = processes.map((p) => p.actual)
  return {
    ...primary,
    instances: processes.reduce((n, p) => n + p.instances, 0),
    actual: actuals.some((a) => a === null) ? null : actuals.flatMap((a) => a ?? []),
    processes,
  }
}

/**
 * Whether the processes of an app were read at all: a destination process type missing from an
 * app whose other processes are listed really does not exist; with none listed we know nothing.
 */
export function processesKnown(ix: SnapshotIndex, appGuid: string): boolean {
  return (ix.processesByApp.get(appGuid)?.length ?? 0) > 0
}

export function processRef(s: Snapshot, app: App, process: Process): ResourceRef {
  return {
    kind: 'process',
    guid: process.guid,
    name: `${app.name}/${process.type}`,
    ...placeOf(indexSnapshot(s), app.spaceGuid),
  }
}

/** RUNNING instances that Gorouter may route to (readiness not false); null when not read. */
export function routableRunning(process: Process): number | null {
  if (!process.actual) return null
  return process.actual.filter((i) => i.state === 'RUNNING' && i.routable !== false).length
}

export type ServingState = 'serving' | 'not-serving' | 'unknown'

/**
 * Whether a destination (app + process type) has at least one instance that can take a request.
 * `not-serving` only when that is certain: app stopped, process without desired instances,
 * process missing from an app whose processes were read, or instances read and none routable.
 */
export function servingStateOf(
  ix: SnapshotIndex,
  appGuid: string,
  type: string,
): {state: ServingState; reason: string} {
  const app = ix.apps.get(appGuid)
  if (!app) return {state: 'unknown', reason: 'app not visible'}
  if (app.state === 'STOPPED') return {state: 'not-serving', reason: 'app stopped'}
  const process = destinationProcess(ix, appGuid, type)
  if (!process) {
    return processesKnown(ix, appGuid)
      ? {state: 'not-serving', reason: `no ${type} process`}
      : {state: 'unknown', reason: 'processes not read'}
  }
  if (process.instances === 0) return {state: 'not-serving', reason: 'scaled to 0 instances'}
  const running = routableRunning(process)
  if (running === null) return {state: 'unknown', reason: 'instances not read'}
  return running > 0
    ? {state: 'serving', reason: `${running} routable running`}
    : {state: 'not-serving', reason: 'no routable running instance'}
}

/** `http /health`, `http (no endpoint)`, `port`, `process`. */
export function describeCheck(check: HealthCheck): string {
  if (check.type === 'http') return check.endpoint ? `http ${check.endpoint}` : 'http (no endpoint)'
  return check.type
}

/** Apps internal by policy selector, or because they have a route on an internal domain. */
export function internalApps(s: Snapshot, policy: Policy): Map<string, string> {
  const ix = indexSnapshot(s)
  const reasons = new Map<string, string>()
  // No selectors (the default): nothing to match, so no app's place is looked up.
  const selectors = policy.routes.internalApps
  for (const app of selectors.length > 0 ? s.apps : []) {
    const selectable = selectableApp(ix, app)
    if (selectors.some((sel) => matchesSelector(selectable, sel))) {
      reasons.set(app.guid, 'policy routes.internalApps')
    }
  }
  for (const route of s.routes) {
    if (!isInternalRoute(ix, route)) continue
    for (const d of route.destinations) {
      if (!reasons.has(d.appGuid)) reasons.set(d.appGuid, `internal route ${route.url}`)
    }
  }
  return reasons
}

export function selectableApp(ix: SnapshotIndex, app: App) {
  const place = placeOf(ix, app.spaceGuid)
  return {name: app.name, labels: app.labels, spaceName: place.space, orgName: place.org}
}

/** Distinct app guids among a route's destinations, in first-seen order. */
export function destinationApps(route: Route): string[] {
  return [...new Set(route.destinations.map((d) => d.appGuid))]
}

/** The route-service URL of a binding: the binding's own, else the user-provided instance's. */
export function routeServiceUrlOf(ix: SnapshotIndex, binding: RouteBinding): string | null {
  return (
    binding.routeServiceUrl ?? ix.serviceInstances.get(binding.serviceInstanceGuid)?.routeServiceUrl ?? null
  )
}

const bindingCache = new WeakMap<Snapshot, Map<string, RouteBinding>>()

/** The route-service binding of a route (a route has at most one; the lowest guid wins otherwise). */
export function bindingOfRoute(s: Snapshot, routeGuid: string): RouteBinding | undefined {
  let byRoute = bindingCache.get(s)
  if (!byRoute) {
    byRoute = new Map()
    for (const b of [...s.routeBindings].sort((x, y) => x.guid.localeCompare(y.guid))) {
      if (!byRoute.has(b.routeGuid)) byRoute.set(b.routeGuid, b)
    }
    bindingCache.set(s, byRoute)
  }
  return byRoute.get(routeGuid)
}

export interface RouteServiceHop {
  /** The route whose binding this hop follows. */
  from: Route
  binding: RouteBinding
  url: string | null
  /** The route of this foundation the URL reaches; null when external or unresolvable. */
  target: Route | null
}

/**
 * Follows route-service URLs from a route: its binding's URL → the route that URL reaches → that
 * route's binding → … until a URL leaves the foundation, a route has no binding, or a route
 * already on the path comes back (`loop`).
 */
export function routeServiceChain(s: Snapshot, start: Route): {hops: RouteServiceHop[]; loop: boolean} {
  const ix = indexSnapshot(s)
  const hops: RouteServiceHop[] = []
  const visited = new Set([start.guid])
  let current = start
  for (;;) {
    const binding = bindingOfRoute(s, current.guid)
    if (!binding) return {hops, loop: false}
    const url = routeServiceUrlOf(ix, binding)
    const target = url ? resolveUrlToRoute(s, url) : null
    hops.push({from: current, binding, url, target})
    if (!target) return {hops, loop: false}
    if (visited.has(target.guid)) return {hops, loop: true}
    visited.add(target.guid)
    current = target
  }
}

/** `/a/b` starts with `/a` at a segment boundary (`/ab` does not). An empty prefix matches all. */
export function pathHasPrefix(path: string, prefix: string): boolean {
  if (!prefix) return true
  if (path === prefix) return true
  const p = prefix.endsWith('/') ? prefix : `${prefix}/`
  return path.startsWith(p)
}

/**
 * The route of this foundation a URL reaches, as Gorouter would pick it: exact host before a
 * wildcard (`*` matches one label), then the longest path prefix at a segment boundary. HTTP
 * routes answer on the default ports (80/443); a URL with another port can only reach a TCP route
 * (domain name + port). Null when the URL is external, unparsable or matches no visible route.
 */
export function resolveUrlToRoute(s: Snapshot, url: string): Route | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  const ix = indexSnapshot(s)
  const host = parsed.hostname.toLowerCase()
  const port = parsed.port === '' ? null : Number(parsed.port)
  const path = decodeURIComponentSafe(parsed.pathname)
  const candidates: {route: Route; rank: number}[] = []
  for (const route of s.routes) {
    const domain = domainOf(ix, route)
    if (!domain || domain.internal) continue
    const domainName = domain.name.toLowerCase()
    if (isTcpRoute(ix, route)) {
      if (host === domainName && port !== null && port === route.port) candidates.push({route, rank: 1e6})
      continue
    }
    if (port !== null && port !== 80 && port !== 443) continue
    let hostRank: number
    if (route.host === '*') {
      const dot = host.indexOf('.')
      if (dot < 0 || host.slice(dot + 1) !== domainName) continue
      hostRank = 0
    } else if ((route.host ? `${route.host.toLowerCase()}.${domainName}` : domainName) === host) {
      hostRank = 1
    } else continue
    if (!pathHasPrefix(path, route.path)) continue
    candidates.push({route, rank: hostRank * 1000 + route.path.length})
  }
  candidates.sort((a, b) => b.rank - a.rank || a.route.guid.localeCompare(b.route.guid))
  return candidates[0]?.route ?? null
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Sort helper: by a string key, then guid. */
export function byName<T>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => key(a).localeCompare(key(b))
}
