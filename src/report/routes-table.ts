/**
 * The human view of `cfguard routes report` (pure): one block per domain, a line per route,
 * an indented line per destination. Plain text, no colour; no line wider than `width`.
 */
import type {
  InstanceCounts,
  RouteMap,
  RouteMapDestination,
  RouteMapDomain,
  RouteMapRoute,
} from '../model/route-map.js'
import {plural} from '../util/plural.js'

export interface RouteTableOptions {
  /** Maximum line width (columns); at least 40. */
  width: number
}

const GAP = '  '
const ROUTE_INDENT = 2
const DESTINATION_INDENT = 4
/** Continuation lines of a wrapped line are indented this much more than the line. */
const WRAP_INDENT = 4

export function renderRouteTable(map: RouteMap, options: RouteTableOptions): string {
  const width = Math.max(40, Math.floor(options.width))
  const routes = map.domains.reduce((n, d) => n + d.routes.length, 0)
  if (routes === 0 && map.domains.length === 0) return 'no routes\n'
  const flagged = map.domains.reduce((n, d) => n + d.routes.filter((r) => r.findings.length > 0).length, 0)
  const lines: string[] = []
  for (const domain of map.domains) {
    if (lines.length > 0) lines.push('')
    lines.push(...wrap(0, domainSegments(domain), width))
    if (domain.routes.length === 0) lines.push(...wrap(ROUTE_INDENT, ['(no routes)'], width))
    for (const route of domain.routes) {
      lines.push(...wrap(ROUTE_INDENT, routeSegments(domain, route), width))
      if (route.destinations.length === 0) {
        lines.push(
          ...wrap(
            DESTINATION_INDENT,
            [route.routeService ? '(route service only)' : '(no destinations)'],
            width,
          ),
        )
      }
      for (const d of route.destinations)
        lines.push(...wrap(DESTINATION_INDENT, destinationSegments(route, d), width))
    }
  }
  lines.push('')
  lines.push(
    ...wrap(
      0,
      [`${plural(routes, 'route')} on ${plural(map.domains.length, 'domain')}, ${flagged} with findings`],
      width,
    ),
  )
  return `${lines.join('\n')}\n`
}

function domainSegments(d: RouteMapDomain): string[] {
  const kind = d.internal ? 'internal (c2c, bypasses Gorouter)' : d.tcp ? 'tcp' : 'http'
  const segments = [d.name, kind]
  if (d.enforceRoutePolicies) segments.push('enforces route policies')
  segments.push(plural(d.routes.length, 'route'))
  return segments
}

function routeSegments(domain: RouteMapDomain, r: RouteMapRoute): string[] {
  const segments = [r.url]
  if (r.space) segments.push(`${r.org ?? '?'}/${r.space}`)
  const o = r.options
  if (o.loadbalancing) {
    segments.push(o.hashHeader ? `lb=${o.loadbalancing}(${o.hashHeader})` : `lb=${o.loadbalancing}`)
  }
  if (o.hashBalance) segments.push(`hash_balance=${o.hashBalance}`)
  if (r.routeService) {
    segments.push(`rs=${r.routeService.serviceInstance}${r.routeService.url ? ` ${r.routeService.url}` : ''}`)
  }
  if (r.policies.length > 0) {
    segments.push(r.policies.length <= 2 ? `policy=${r.policies.join(',')}` : `policies=${r.policies.length}`)
  } else if (domain.enforceRoutePolicies) {
    segments.push('policy=none (denies all)')
  }
  if (r.findings.length > 0) segments.push(`! ${r.findings.map(shortRule).join(', ')}`)
  return segments
}

function destinationSegments(route: RouteMapRoute, d: RouteMapDestination): string[] {
  const segments = [`${d.appName}/${d.processType}`]
  const port = d.port === null ? '' : `:${d.port}`
  segments.push([port, d.protocol ?? ''].filter(Boolean).join(' ') || ':default')
  if (d.weight !== null) segments.push(`weight=${d.weight}`)
  segments.push(instanceSummary(d.appState, d.instances))
  if (d.appState !== 'UNKNOWN') {
    segments.push(`health ${d.healthCheck}`)
    if (d.readinessCheck) segments.push(`ready ${d.readinessCheck}`)
  }
  if (d.space && (d.space !== route.space || d.org !== route.org))
    segments.push(`space=${d.org ?? '?'}/${d.space}`)
  return segments
}

function instanceSummary(appState: string, c: InstanceCounts): string {
  if (appState === 'UNKNOWN') return 'app not visible'
  if (appState === 'STOPPED') return 'app stopped'
  if (!c.known) return `instances unknown (${c.desired} desired)`
  const parts = [`${c.running}/${c.desired} running`]
  if (c.unroutable) parts.push(`${c.unroutable} unroutable`)
  if (c.crashed) parts.push(`${c.crashed} crashed`)
  if (c.starting) parts.push(`${c.starting} starting`)
  if (c.down) parts.push(`${c.down} down`)
  if (c.unknown) parts.push(`${c.unknown} unknown`)
  return parts.join(', ')
}

/** `routes/stopped-app` → `stopped-app`; other families keep their prefix. */
function shortRule(id: string): string {
  return id.startsWith('routes/') ? id.slice('routes/'.length) : id
}

/**
 * Packs segments on a line separated by two spaces; what does not fit goes on continuation lines
 * indented further, and a segment wider than a whole line is broken at a space (never in a word).
 */
export function wrap(indent: number, segments: string[], width: number): string[] {
  const lines: string[] = []
  const contIndent = Math.min(indent + WRAP_INDENT, Math.floor(width / 2))
  let current = ' '.repeat(indent)
  let empty = true
  const flush = () => {
    lines.push(current.trimEnd())
    current = ' '.repeat(contIndent)
    empty = true
  }
  for (const raw of segments) {
    let segment = raw.replace(/\s+/g, ' ')
    if (!empty && current.length + GAP.length + segment.length > width) flush()
    while (segment.length > 0) {
      const room = width - current.length - (empty ? 0 : GAP.length)
      if (segment.length <= room) {
        current += (empty ? '' : GAP) + segment
        empty = false
        break
      }
      if (!empty) {
        flush()
        continue
      }
      // Break at the last space that fits; a word longer than a line (a URL, a GUID) stays whole.
      const space = segment.lastIndexOf(' ', room)
      const next = segment.indexOf(' ')
      const cut = space > 0 ? space : next > 0 ? next : segment.length
      current += segment.slice(0, cut)
      segment = segment.slice(cut).trimStart()
      flush()
    }
  }
  if (!empty) lines.push(current.trimEnd())
  return lines
}
