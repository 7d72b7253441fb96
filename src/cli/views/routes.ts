/** `routes report` text views: the routes table and the traffic table (pure). */
import {plural} from '../../util/plural.js'
import type {AuditResult} from '../../model/finding.js'
import type {TrafficReport} from '../../model/route-map.js'
import {formatTable} from '../../report/table.js'
import type {FormatOptions} from '../../report/types.js'
import {attachFindings} from '../../report/route-map.js'
import {renderRouteTable, wrap} from '../../report/routes-table.js'

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

/**
 * The `table` format of `routes report`: the route table (routes marked with their findings' rule
 * ids), the traffic section when collected, then the findings report.
 */
export function renderRoutesTable(result: AuditResult, options: FormatOptions): string {
  const width = Math.max(60, options.width ?? 100)
  const map = attachFindings(result.routeMap ?? {domains: []}, result.findings)
  const parts = [renderRouteTable(map, {width})]
  if (result.traffic) parts.push(renderTrafficTable(result.traffic, width))
  parts.push(formatTable(result, {title: 'cfguard routes report', ...options, width}))
  return parts.join('\n')
}

function percent(rate: number): string {
  const p = rate * 100
  return `${p === 0 || p >= 10 ? p.toFixed(0) : p.toFixed(1)}%`
}

function window(seconds: number): string {
  if (seconds % 3600 === 0 && seconds >= 3600) return `${seconds / 3600}h`
  if (seconds % 60 === 0 && seconds >= 60) return `${seconds / 60}m`
  return `${seconds}s`
}
