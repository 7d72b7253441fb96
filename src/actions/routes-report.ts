/**
 * `cfguard routes report`: the route map (domain → route → destinations → instances → health, route
 * service, route policies) with the route rules' findings, and with `--traffic` what Gorouter's
 * access logs say per host and instance. The pure parts (traffic view, table text) are exported
 * for tests; `routesReport` is the action.
 */
import {hostnameOf} from '../checks/routes/_shared.js'
import {indexSnapshot} from '../checks/lookup.js'
import type {AuditResult} from '../model/finding.js'
import type {RouteMap, TrafficHost, TrafficInstance, TrafficReport} from '../model/route-map.js'
import type {Snapshot, TrafficStat} from '../model/snapshot.js'
import {formatTable} from '../report/table.js'
import type {FormatOptions} from '../report/types.js'
import {attachFindings} from '../report/route-map.js'
import {renderRouteTable, wrap} from '../report/routes-table.js'

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

/**
 * The traffic section of the human report: a line per host (requests, 5xx, router errors), an
 * indented line per instance (requests and share, 5xx rate, p95), within `width` columns.
 */
export function renderTrafficTable(report: TrafficReport, width: number): string {
  const lines: string[] = []
  const skipped = report.linesSkipped > 0 ? `, ${report.linesSkipped} skipped (malformed or truncated)` : ''
  lines.push(
    ...wrap(
      0,
      [
        `Traffic over ${window(report.windowSeconds)}`,
        `Gorouter access logs: ${report.linesRead} lines read${skipped}`,
      ],
      width,
    ),
  )
  if (report.hosts.length === 0) lines.push('  no requests in the window')
  for (const h of report.hosts) {
    const segments = [h.host, plural(h.requests, 'request')]
    if (h.requests > 0) segments.push(`5xx ${percent(h.status5xx / h.requests)}`)
    const errors = Object.entries(h.routerErrors).sort(([a], [b]) => a.localeCompare(b))
    if (errors.length > 0) segments.push(`router errors ${errors.map(([k, n]) => `${k}=${n}`).join(', ')}`)
    if (h.routes.length === 0) segments.push('(no route now)')
    lines.push(...wrap(2, segments, width))
    for (const i of h.instances) {
      const p95 = i.p95ResponseSeconds === null ? 'p95 -' : `p95 ${i.p95ResponseSeconds.toFixed(3)}s`
      lines.push(
        ...wrap(
          4,
          [
            `${i.appName}/${i.index}`,
            `${i.requests} (${percent(i.share)})`,
            `5xx ${percent(i.errorRate)}`,
            p95,
          ],
          width,
        ),
      )
    }
  }
  return `${lines.join('\n')}\n`
}

export interface RoutesReportText {
  result: AuditResult
  routeMap: RouteMap
  traffic: TrafficReport | null
}

/**
 * The `table` format of `routes report`: the route table (routes marked with their findings' rule
 * ids), the traffic section when collected, then the findings report.
 */
export function renderRoutesTable(input: RoutesReportText, options: FormatOptions & {width: number}): string {
  const map = attachFindings(input.routeMap, input.result.findings)
  const parts = [renderRouteTable(map, {width: options.width})]
  if (input.traffic) parts.push(renderTrafficTable(input.traffic, options.width))
  parts.push(formatTable(input.result, {title: 'cfguard routes report', ...options}))
  return parts.join('\n')
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n
}

function round(n: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

function percent(rate: number): string {
  const p = rate * 100
  return `${p === 0 || p >= 10 ? p.toFixed(0) : p.toFixed(1)}%`
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function window(seconds: number): string {
  if (seconds % 3600 === 0 && seconds >= 3600) return `${seconds / 3600}h`
  if (seconds % 60 === 0 && seconds >= 60) return `${seconds / 60}m`
  return `${seconds}s`
}
