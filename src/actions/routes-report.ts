/**
 * `cfguard routes report`: the route map (domain → route → destinations → instances → health, route
 * service, route policies) with the route rules' findings, and with `--traffic` what Gorouter's
 * access logs say per host and instance. The pure parts (traffic view, table text) are exported
 * for tests; `routesReport` is the action.
 */
import {plural} from '../util/plural.js'
import {hostnameOf} from '../derive/routes.js'
import {indexSnapshot} from '../derive/lookup.js'
import {noMatchMessage} from '../util/suggest.js'
import {usageError} from '../errors.js'
import {parseDuration} from '../model/duration.js'
import type {AuditResult, Finding} from '../model/finding.js'
import type {RouteMap, TrafficHost, TrafficInstance, TrafficReport} from '../model/route-map.js'
import type {Rule} from '../model/rule.js'
import type {Snapshot, TrafficStat} from '../model/snapshot.js'
import {summarize} from '../report/summary.js'
import {runAudit, type AuditRequest} from './audit.js'
import type {RunContext} from '../context.js'

export interface RoutesReportRequest {
  /** The shared pipeline's request; its families are set to `routes` here. */
  audit: Omit<AuditRequest, 'traffic' | 'routeMap'>
  /** `--domain NAME`: only routes on this domain (and findings about them). */
  domain?: string
  /** `--app NAME`: only routes to this app (and findings about them or the app). */
  app?: string
  /** `--traffic`: the window of Gorouter access logs to read (`--window`, e.g. `15m`); null = off. */
  trafficWindow?: string | null
}

export interface RoutesReport {
  /** With `routeMap`, and `traffic` when asked. */
  result: AuditResult
  rules: Rule[]
  routeMap: RouteMap
  traffic: TrafficReport | null
}

/** Longest `--window`: Log Cache keeps a bounded number of envelopes per app anyway. */
const MAX_WINDOW_SECONDS = 7 * 86_400

/** `--window 15m` → seconds (whole, at least one). */
export function parseTrafficWindow(value: string): number {
  const seconds = Math.floor(parseDuration(value, '--window') / 1000)
  if (seconds < 1 || seconds > MAX_WINDOW_SECONDS) {
    throw usageError(`--window must be between 1s and 7d, not "${value}"`, 'e.g. --window 15m')
  }
  return seconds
}

/**
 * Collects routes (and with --traffic the access logs), runs the route rules and returns the
 * route map, the findings and the traffic view. With --domain / --app the map, the findings and
 * the traffic are narrowed to those routes (and that app); the rules still see everything in
 * scope, so cross-route findings (a route-service loop, inconsistent load balancing) stay right.
 */
export async function routesReport(ctx: RunContext, request: RoutesReportRequest): Promise<RoutesReport> {
  const windowSeconds =
    request.trafficWindow === undefined || request.trafficWindow === null
      ? null
      : parseTrafficWindow(request.trafficWindow)
  const run = await runAudit(ctx, {
    ...request.audit,
    families: ['routes'],
    traffic: windowSeconds === null ? null : {windowSeconds},
    routeMap: {
      ...(request.domain ? {domain: request.domain} : {}),
      ...(request.app ? {app: request.app} : {}),
    },
  })
  checkFilters(run.snapshot, request)
  const routeMap = run.routeMap ?? {domains: []}
  let result = run.result
  let traffic = buildTrafficReport(run.snapshot)
  if (request.domain || request.app) {
    const wanted = wantedGuids(run.snapshot, routeMap, request.app)
    const findings = result.findings.filter((f) => touches(f, wanted))
    result = {...result, findings, summary: summarize(findings)}
    if (traffic) {
      const urls = new Set(routeMap.domains.flatMap((d) => d.routes.map((r) => r.url)))
      traffic = {...traffic, hosts: traffic.hosts.filter((h) => h.routes.some((u) => urls.has(u)))}
    }
  }
  result = {...result, routeMap, ...(traffic ? {traffic} : {})}
  return {result, rules: run.rules, routeMap, traffic}
}

/**
 * `--app` and `--domain` must name something in scope: a typo is exit 2 with the closest names,
 * never an empty report that passes the gate. Pure.
 */
export function checkFilters(s: Snapshot, filters: {app?: string; domain?: string}): void {
  const {app, domain} = filters
  if (app && !s.apps.some((a) => a.name === app || a.guid === app)) {
    const names = s.apps.map((a) => a.name)
    throw usageError(
      noMatchMessage(`app named "${app}" in scope (${plural(names.length, 'app')} read)`, app, names),
      'check the name with `cf apps`, or widen the scope with -o/-s or --all',
    )
  }
  if (domain && !s.domains.some((d) => d.guid === domain || d.name.toLowerCase() === domain.toLowerCase())) {
    const names = s.domains.map((d) => d.name)
    throw usageError(
      noMatchMessage(`domain named "${domain}"`, domain, names),
      `domains in scope: ${names.length > 0 ? names.join(', ') : 'none'}`,
    )
  }
}

/** The routes of the narrowed map, and with --app the app and its processes. */
function wantedGuids(s: Snapshot, map: RouteMap, app: string | undefined): Set<string> {
  const guids = new Set(map.domains.flatMap((d) => d.routes.map((r) => r.guid)))
  if (app) {
    const apps = s.apps.filter((a) => a.name === app || a.guid === app).map((a) => a.guid)
    for (const g of apps) guids.add(g)
    for (const p of s.processes) if (apps.includes(p.appGuid)) guids.add(p.guid)
  }
  return guids
}

function touches(f: Finding, guids: Set<string>): boolean {
  return guids.has(f.resource.guid) || f.related.some((r) => guids.has(r.guid))
}

/**
 * Per request host and app instance, from the collected access logs. Pure; null when traffic was
 * not collected. A host's `requests` counts requests an instance served; lines no instance served
 * (`no_endpoints`, `unknown_route`, …) show only in its router errors.
 */
export function buildTrafficReport(s: Snapshot): TrafficReport | null {
  if (!s.traffic) return null
  const ix = indexSnapshot(s)
  const routesByHost = new Map<string, string[]>()
  for (const route of s.routes) {
    const host = hostnameOf(ix, route)
    routesByHost.set(host, [...(routesByHost.get(host) ?? []), route.url])
  }
  const byHost = new Map<string, TrafficStat[]>()
  for (const stat of s.traffic.stats)
    byHost.set(stat.routeHost, [...(byHost.get(stat.routeHost) ?? []), stat])

  const hosts: TrafficHost[] = []
  for (const [host, stats] of byHost) {
    const served = stats.filter((st) => st.instanceIndex >= 0)
    const requests = served.reduce((n, st) => n + st.requests, 0)
    const routerErrors: Record<string, number> = {}
    for (const st of stats) addCounts(routerErrors, st.routerErrors)
    const instances: TrafficInstance[] = served
      .map((st) => ({
        appGuid: st.appGuid,
        appName: ix.apps.get(st.appGuid)?.name ?? st.appGuid,
        index: st.instanceIndex,
        instanceGuid: st.instanceGuid,
        requests: st.requests,
        share: requests > 0 ? round(st.requests / requests, 4) : 0,
        status5xx: st.status5xx,
        errorRate: st.requests > 0 ? round(st.status5xx / st.requests, 4) : 0,
        p95ResponseSeconds: st.p95ResponseSeconds,
        routerErrors: {...st.routerErrors},
      }))
      .sort(
        (a, b) =>
          a.appName.localeCompare(b.appName) ||
          a.index - b.index ||
          (a.instanceGuid ?? '').localeCompare(b.instanceGuid ?? ''),
      )
    hosts.push({
      host,
      routes: [...(routesByHost.get(host) ?? [])].sort(),
      requests,
      status5xx: served.reduce((n, st) => n + st.status5xx, 0),
      routerErrors,
      instances,
    })
  }
  hosts.sort((a, b) => a.host.localeCompare(b.host))
  return {
    windowSeconds: s.traffic.windowSeconds,
    linesRead: s.traffic.linesRead,
    linesSkipped: s.traffic.linesSkipped,
    hosts,
  }
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n
}

function round(n: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}
