/**
 * Route destinations (§4.3): list, add (keep existing), replace all, update protocol, remove.
 * Each added destination writes `audit.app.map-route`, each removed one `audit.app.unmap-route`
 * (target: the app).
 */
import {iso} from '../core/clock.js'
import type {Destination, Route} from '../core/model.js'
import {recordEvent} from '../runtime/audit.js'
import {DEV_SUPPORTER} from './actor.js'
import type {CcCtx} from './context.js'
import {parseJsonBody, requireSpaceWrite} from './context.js'
import {notFound, unprocessable} from './errors.js'
import {link, noContent, ok, type CcRoutes} from './respond.js'
import {visibleRoute} from './routes.js'

export function presentDestination(d: Destination) {
  return {
    guid: d.guid,
    app: {guid: d.appGuid, process: {type: d.processType}},
    weight: d.weight,
    port: d.port ?? 8080,
    protocol: d.protocol,
    created_at: iso(d.createdAt),
    updated_at: iso(d.updatedAt),
  }
}

function destinationsBody(ctx: CcCtx, route: Route, list = route.destinations) {
  return {
    destinations: list.map(presentDestination),
    links: {
      self: link(ctx, `/v3/routes/${route.guid}/destinations`),
      route: link(ctx, `/v3/routes/${route.guid}`),
    },
  }
}

function parseDestinations(ctx: CcCtx, route: Route, input: unknown, allowWeight: boolean): Destination[] {
  if (!Array.isArray(input)) throw unprocessable('Destinations must be an array')
  const tcp = ctx.state.domains.get(route.domainGuid)?.routerGroupGuid !== null
  const now = ctx.state.now()
  return input.map((raw) => {
    const d = (raw ?? {}) as {
      app?: {guid?: unknown; process?: {type?: unknown}}
      port?: unknown
      protocol?: unknown
      weight?: unknown
    }
    const appGuid = d.app?.guid
    const app = typeof appGuid === 'string' ? ctx.state.apps.get(appGuid) : undefined
    if (!app || !ctx.actor.canReadSpace(app.spaceGuid)) {
      throw unprocessable(
        'App(s) with guid(s) "' + String(appGuid) + '" do not exist or you do not have access.',
      )
    }
    if (app.spaceGuid !== route.spaceGuid && !route.sharedSpaceGuids.includes(app.spaceGuid)) {
      throw unprocessable('Routes cannot be mapped to destinations in different spaces.')
    }
    if (d.weight !== undefined && !allowWeight) {
      throw unprocessable('Weighted destinations can only be used when replacing all destinations.')
    }
    if (
      d.port !== undefined &&
      (typeof d.port !== 'number' || !Number.isInteger(d.port) || d.port < 1024 || d.port > 65535)
    ) {
      throw unprocessable('Port must be an integer between 1024 and 65535')
    }
    let protocol = d.protocol === undefined || d.protocol === null ? (tcp ? 'tcp' : 'http1') : d.protocol
    if (protocol !== 'http1' && protocol !== 'http2' && protocol !== 'tcp') {
      throw unprocessable("Destinations protocol must be 'http1', 'http2' or 'tcp' if specified")
    }
    if (tcp && protocol !== 'tcp')
      throw unprocessable("Destination protocol must be 'tcp' if the parent route's protocol is 'tcp'")
    if (!tcp && protocol === 'tcp')
      throw unprocessable(
        "Destination protocol must be 'http1' or 'http2' if the parent route's protocol is 'http'",
      )
    if (protocol === 'http2' && !ctx.state.ccVersionAtLeast('3.104.0')) protocol = 'http1'
    return {
      guid: ctx.state.guid(),
      appGuid: app.guid,
      processType: typeof d.app?.process?.type === 'string' ? d.app.process.type : 'web',
      port: typeof d.port === 'number' ? d.port : 8080,
      protocol: protocol as Destination['protocol'],
      weight: typeof d.weight === 'number' ? d.weight : null,
      createdAt: now,
      updatedAt: now,
    }
  })
}

const sameTarget = (a: Destination, b: Destination) =>
  a.appGuid === b.appGuid && a.processType === b.processType && a.port === b.port && a.protocol === b.protocol

function audit(ctx: CcCtx, route: Route, d: Destination, kind: 'map-route' | 'unmap-route') {
  const app = ctx.state.apps.get(d.appGuid)
  const data: Record<string, unknown> = {
    route_guid: route.guid,
    app_port: d.port ?? 8080,
    destination_guid: d.guid,
    route_mapping_guid: d.guid,
    process_type: d.processType,
    weight: d.weight,
    protocol: d.protocol,
  }
  if (Object.keys(route.options).length > 0) data.route_options = {...route.options}
  recordEvent(ctx.state, {
    type: `audit.app.${kind}`,
    actor: ctx.actor.auditActor,
    target: {guid: d.appGuid, type: 'app', name: app?.name ?? ''},
    data,
    spaceGuid: app?.spaceGuid ?? route.spaceGuid,
  })
}

export function registerDestinations(r: CcRoutes): void {
  r.add('GET', '/v3/routes/:guid/destinations', (ctx) => {
    ctx.query.validate(['guids', 'app_guids'])
    const route = visibleRoute(ctx, ctx.req.params.guid!)
    const guids = ctx.query.list('guids')
    const apps = ctx.query.list('app_guids')
    const list = route.destinations.filter(
      (d) => (!guids || guids.includes(d.guid)) && (!apps || apps.includes(d.appGuid)),
    )
    return ok(destinationsBody(ctx, route, list))
  })

  r.add('POST', '/v3/routes/:guid/destinations', (ctx) => {
    const route = visibleRoute(ctx, ctx.req.params.guid!)
    requireSpaceWrite(ctx, route.spaceGuid, 'Route', DEV_SUPPORTER)
    const incoming = parseDestinations(ctx, route, parseJsonBody(ctx.req).destinations, false)
    for (const d of incoming) {
      if (route.destinations.some((x) => sameTarget(x, d))) continue
      route.destinations.push(d)
      audit(ctx, route, d, 'map-route')
    }
    ctx.state.routes.reindex(route)
    return ok(destinationsBody(ctx, route))
  })

  r.add('PATCH', '/v3/routes/:guid/destinations', (ctx) => {
    const route = visibleRoute(ctx, ctx.req.params.guid!)
    requireSpaceWrite(ctx, route.spaceGuid, 'Route', DEV_SUPPORTER)
    const incoming = parseDestinations(ctx, route, parseJsonBody(ctx.req).destinations, true)
    const kept: Destination[] = []
    for (const d of incoming) {
      const existing = route.destinations.find((x) => sameTarget(x, d) && x.weight === d.weight)
      if (existing) kept.push(existing)
      else {
        kept.push(d)
        audit(ctx, route, d, 'map-route')
      }
    }
    for (const old of route.destinations) if (!kept.includes(old)) audit(ctx, route, old, 'unmap-route')
    route.destinations = kept
    ctx.state.routes.reindex(route)
    return ok(destinationsBody(ctx, route))
  })

  r.add('PATCH', '/v3/routes/:guid/destinations/:dest', (ctx) => {
    const route = visibleRoute(ctx, ctx.req.params.guid!)
    requireSpaceWrite(ctx, route.spaceGuid, 'Route', DEV_SUPPORTER)
    const d = route.destinations.find((x) => x.guid === ctx.req.params.dest)
    if (!d) throw notFound('Destination')
    const body = parseJsonBody(ctx.req)
    const unknown = Object.keys(body).filter((k) => k !== 'protocol')
    if (unknown.length > 0) throw unprocessable(`Unknown field(s): '${unknown.join("', '")}'`)
    if (body.protocol !== 'http1' && body.protocol !== 'http2')
      throw unprocessable("Protocol must be 'http1' or 'http2'")
    d.protocol = body.protocol
    d.updatedAt = ctx.state.now()
    return ok(presentDestination(d))
  })

  r.add('DELETE', '/v3/routes/:guid/destinations/:dest', (ctx) => {
    const route = visibleRoute(ctx, ctx.req.params.guid!)
    requireSpaceWrite(ctx, route.spaceGuid, 'Route', DEV_SUPPORTER)
    const d = route.destinations.find((x) => x.guid === ctx.req.params.dest)
    if (!d) throw notFound('Destination')
    route.destinations = route.destinations.filter((x) => x !== d)
    ctx.state.routes.reindex(route)
    audit(ctx, route, d, 'unmap-route')
    return noContent()
  })
}
