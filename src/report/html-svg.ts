import type {Finding} from '../model/finding.js'
import type {InstanceCounts, RouteMap, RouteMapDestination, RouteMapRoute} from '../model/route-map.js'
import {type Severity, severityRank} from '../model/severity.js'
import {clean, htmlEscape} from './escape.js'
import type {RuleMeta} from './types.js'
import {plural} from '../util/plural.js'

/** Largest map drawn; beyond it the picture says how many routes were left out. */
export const MAX_DRAWN_ROUTES = 400

const PAD = 16
const DOMAIN = {x: PAD, w: 200}
const ROUTE = {x: 256, w: 310}
const APP = {x: 636, w: 252}
const CHIPS = {x: 912}
const WIDTH = 1130
const NODE_H = 40
const ROW = 52
const GROUP_GAP = 22
const CHIP = 12
const MAX_CHIPS = 12

interface Mark {
  severity: Severity
  rules: string[]
  /** Anchor of the first finding in the findings list. */
  anchor: string | null
}

interface AppNode {
  key: string
  dest: RouteMapDestination
  y: number
}

const h = (text: string) => htmlEscape(clean(text))
/** Cleaned before shortening (redaction sees the whole value), escaped after. */
const ht = (text: string, max: number) => htmlEscape(truncate(clean(text), max))

/**
 * The route map as an SVG graph: domains → routes → apps (per process) → instances, with instance
 * health colours and the findings of each route and app marked in severity colours (linked to the
 * findings list). Pure string building; every piece of user data is escaped.
 */
export function routeMapSvg(map: RouteMap, findings: readonly Finding[], rules: readonly RuleMeta[]): string {
  const severityOf = (rule: string, own: Finding[]): Severity =>
    own.find((f) => f.rule === rule)?.severity ?? rules.find((r) => r.id === rule)?.severity ?? 'info'
  const markFor = (ruleIds: string[], own: Finding[]): Mark | null => {
    const ids = [...new Set([...ruleIds, ...own.map((f) => f.rule)])]
    if (ids.length === 0) return null
    const severity = ids
      .map((id) => severityOf(id, own))
      .reduce((a, b) => (severityRank[b] > severityRank[a] ? b : a))
    return {severity, rules: ids.sort(), anchor: own[0] ? `f-${own[0].fingerprint}` : null}
  }
  const findingsOn = (kind: string, guid: string) =>
    findings.filter((f) => f.resource.kind === kind && f.resource.guid === guid)

  const body: string[] = []
  const edges: string[] = []
  const apps = new Map<string, AppNode>()
  let y = PAD
  let appCursor = PAD
  let drawn = 0
  const total = map.domains.reduce((n, d) => n + d.routes.length, 0)

  for (const domain of map.domains) {
    if (drawn >= MAX_DRAWN_ROUTES) break
    const routes = domain.routes.slice(0, MAX_DRAWN_ROUTES - drawn)
    if (routes.length === 0) continue
    const top = y
    const routeNodes: string[] = []
    for (const route of routes) {
      const ry = y
      routeNodes.push(routeNode(route, ry, markFor(route.findings, findingsOn('route', route.guid))))
      edges.push(`<path class="edge" d="M${DOMAIN.x + DOMAIN.w} ${ry + NODE_H / 2}H${ROUTE.x}"/>`)
      let slot = ry
      for (const dest of route.destinations) {
        const key = `${dest.appGuid}\u0000${dest.processType}`
        let app = apps.get(key)
        if (!app) {
          app = {key, dest, y: Math.max(appCursor, slot)}
          apps.set(key, app)
          appCursor = app.y + ROW
          slot = app.y + ROW
        }
        edges.push(
          curve(ROUTE.x + ROUTE.w, ry + NODE_H / 2, APP.x, app.y + NODE_H / 2, dest.appState !== 'STARTED'),
        )
      }
      y = Math.max(ry + ROW, slot)
      drawn += 1
    }
    const bottom = Math.max(y - (ROW - NODE_H), top + 66)
    y = Math.max(y, bottom + (ROW - NODE_H)) + GROUP_GAP
    appCursor = Math.max(appCursor, y)
    body.push(domainNode(domain, top, bottom), ...routeNodes)
  }
  for (const app of apps.values()) {
    body.push(appNode(app, markFor([], findingsOn('app', app.dest.appGuid))))
  }
  const height = Math.max(y, appCursor) + PAD - GROUP_GAP + (drawn < total ? 24 : 0)
  if (drawn < total) {
    body.push(
      `<text class="note" x="${PAD}" y="${height - PAD}">${total - drawn} more routes not drawn (the map shows the first ${MAX_DRAWN_ROUTES}; all are in the findings and --format json).</text>`,
    )
  }
  if (total === 0) {
    return `<p class="empty">The route map is empty: no routes in scope.</p>`
  }
  return [
    `<svg class="route-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="rm-title rm-desc">`,
    `<title id="rm-title">Route map</title>`,
    `<desc id="rm-desc">${total} routes on ${map.domains.length} domains, reaching ${apps.size} app processes; routes and apps with findings carry a severity marker.</desc>`,
    columnHeads(),
    `<g class="edges">${edges.join('')}</g>`,
    ...body,
    `</svg>`,
  ].join('\n')
}

function columnHeads(): string {
  // Above the first node, in the top padding.
  const head = (x: number, label: string) => `<text class="col-head" x="${x}" y="${PAD - 4}">${label}</text>`
  return (
    head(DOMAIN.x, 'DOMAIN') +
    head(ROUTE.x, 'ROUTE') +
    head(APP.x, 'APP · PROCESS') +
    head(CHIPS.x, 'INSTANCES')
  )
}

function domainNode(domain: RouteMap['domains'][number], top: number, bottom: number): string {
  const tags: string[] = []
  if (domain.internal) tags.push('internal')
  if (domain.tcp) tags.push('TCP')
  if (domain.enforceRoutePolicies) tags.push('route policies')
  if (!domain.internal && !domain.tcp) tags.push('public')
  const cls = domain.internal ? 'domain internal' : domain.tcp ? 'domain tcp' : 'domain'
  const tagText = tags
    .map(
      (t, i) => `<tspan class="tag${t === 'public' ? ' public' : ''}" dx="${i === 0 ? 0 : 6}">${t}</tspan>`,
    )
    .join('')
  return [
    `<g class="${cls}"><title>${h(domain.name)} (${tags.join(', ')})</title>`,
    `<rect x="${DOMAIN.x}" y="${top}" width="${DOMAIN.w}" height="${bottom - top}" rx="8"/>`,
    `<text class="name" x="${DOMAIN.x + 12}" y="${top + 20}">${ht(domain.name, 26)}</text>`,
    `<text class="meta" x="${DOMAIN.x + 12}" y="${top + 38}">${tagText}</text>`,
    `<text class="meta" x="${DOMAIN.x + 12}" y="${top + 54}">${plural(domain.routes.length, 'route')}</text>`,
    `</g>`,
  ].join('')
}

function routeNode(route: RouteMapRoute, y: number, mark: Mark | null): string {
  const meta: string[] = []
  const place = [route.org, route.space].filter(Boolean).join('/')
  if (place) meta.push(place)
  if (route.routeService) meta.push(`route service ${route.routeService.serviceInstance}`)
  if (route.options.loadbalancing && route.options.loadbalancing !== 'round-robin') {
    meta.push(route.options.loadbalancing + (route.options.hashHeader ? ` ${route.options.hashHeader}` : ''))
  }
  if (route.policies.length > 0)
    meta.push(`${route.policies.length} polic${route.policies.length === 1 ? 'y' : 'ies'}`)
  if (route.destinations.length === 0) meta.push('no destinations')
  const cls = ['route', mark ? `sev-${mark.severity}` : '', route.destinations.length === 0 ? 'orphan' : '']
    .filter(Boolean)
    .join(' ')
  const tip = [route.url, ...meta, ...(mark ? [`findings: ${mark.rules.join(', ')}`] : [])].join('\n')
  return [
    `<g class="${cls}"><title>${h(tip)}</title>`,
    `<rect x="${ROUTE.x}" y="${y}" width="${ROUTE.w}" height="${NODE_H}" rx="6"/>`,
    `<text class="name" x="${ROUTE.x + 14}" y="${y + 17}">${ht(route.url, mark ? 36 : 40)}</text>`,
    `<text class="meta" x="${ROUTE.x + 14}" y="${y + 32}">${ht(meta.join(' · '), 48)}</text>`,
    mark ? marker(ROUTE.x + ROUTE.w - 16, y + NODE_H / 2, mark) : '',
    `</g>`,
  ].join('')
}

function appNode(app: AppNode, mark: Mark | null): string {
  const d = app.dest
  const stopped = d.appState !== 'STARTED'
  const place = [d.org, d.space].filter(Boolean).join('/')
  const meta = [place, d.processType, d.port === null ? null : `:${d.port}`, stopped ? d.appState : null]
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .join(' · ')
  const cls = ['app', stopped ? 'stopped' : '', mark ? `sev-${mark.severity}` : ''].filter(Boolean).join(' ')
  const tip = [
    `${d.appName} (${d.processType})`,
    meta,
    `health check: ${d.healthCheck}${d.readinessCheck ? `, readiness: ${d.readinessCheck}` : ''}`,
    instanceText(d.instances, stopped),
    ...(mark ? [`findings: ${mark.rules.join(', ')}`] : []),
  ].join('\n')
  return [
    `<g class="${cls}"><title>${h(tip)}</title>`,
    `<rect x="${APP.x}" y="${app.y}" width="${APP.w}" height="${NODE_H}" rx="6"/>`,
    `<text class="name" x="${APP.x + 12}" y="${app.y + 17}">${ht(d.appName, mark ? 25 : 28)}</text>`,
    `<text class="meta" x="${APP.x + 12}" y="${app.y + 32}">${ht(meta, 38)}</text>`,
    mark ? marker(APP.x + APP.w - 16, app.y + NODE_H / 2, mark) : '',
    `<path class="edge" d="M${APP.x + APP.w} ${app.y + NODE_H / 2}H${CHIPS.x - 6}"/>`,
    chips(d.instances, stopped, app.y),
    `</g>`,
  ].join('')
}

const STATES = ['running', 'starting', 'unroutable', 'crashed', 'down'] as const

function chips(n: InstanceCounts, stopped: boolean, y: number): string {
  const cy = y + (NODE_H - CHIP) / 2
  if (!n.known) {
    return `<rect class="chip unknown" x="${CHIPS.x}" y="${cy}" width="${CHIP}" height="${CHIP}" rx="2"/><text class="chip-label" x="${CHIPS.x + CHIP + 8}" y="${cy + 10}">state not readable</text>`
  }
  const seq: string[] = []
  for (const state of STATES) for (let i = 0; i < n[state]; i++) seq.push(state)
  const accounted = seq.length
  for (let i = accounted; i < n.desired; i++) seq.push('missing')
  const shown = seq.slice(0, MAX_CHIPS)
  const parts = shown.map(
    (state, i) =>
      `<rect class="chip ${state}" x="${CHIPS.x + i * (CHIP + 3)}" y="${cy}" width="${CHIP}" height="${CHIP}" rx="2"/>`,
  )
  const more = seq.length - shown.length
  const lx = CHIPS.x + shown.length * (CHIP + 3) + (shown.length > 0 ? 6 : 0)
  const label = `${more > 0 ? `+${more} · ` : ''}${instanceText(n, stopped)}`
  parts.push(`<text class="chip-label" x="${lx}" y="${cy + 10}">${h(label)}</text>`)
  return parts.join('')
}

function instanceText(n: InstanceCounts, stopped: boolean): string {
  if (!n.known) return 'instance state not readable'
  if (stopped) return 'stopped'
  const extra = (['crashed', 'starting', 'down', 'unroutable'] as const)
    .filter((s) => n[s] > 0)
    .map((s) => `${n[s]} ${s}`)
  return [`${n.running}/${n.desired} running`, ...extra].join(', ')
}

function marker(cx: number, cy: number, mark: Mark): string {
  const dot = `<circle class="marker sev-${mark.severity}" cx="${cx}" cy="${cy}" r="9"/><text class="marker-count" x="${cx}" y="${cy + 4}">${mark.rules.length}</text>`
  return mark.anchor ? `<a href="#${h(mark.anchor)}">${dot}</a>` : dot
}

function curve(x1: number, y1: number, x2: number, y2: number, muted: boolean): string {
  const dx = (x2 - x1) / 2
  return `<path class="edge${muted ? ' muted' : ''}" d="M${x1} ${y1}C${x1 + dx} ${y1} ${x2 - dx} ${y2} ${x2} ${y2}"/>`
}

/** Shortens by code points (never splits a surrogate pair) and escapes later. */
export function truncate(text: string, max: number): string {
  const chars = [...text]
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`
}
