/** Route policies (§4.7, CC ≥ 3.224; 404 below): app-identity-aware ingress rules per route. */
import type {App, Org, Route, RoutePolicy, Space} from '../core/model.js'
import {presentApp} from './apps.js'
import type {CcCtx} from './context.js'
import {parseJsonBody, requireSpaceWrite} from './context.js'
import {notFound, unknownRequest, unprocessable} from './errors.js'
import {actorEvent} from './events.js'
import {inList, listResponse, stamps, withIncluded, type ListSpec} from './list.js'
import {applyMetadata, emptyMetadata, presentMetadata} from './metadata.js'
import {presentOrg, presentSpace} from './orgs-spaces.js'
import {created, link, noContent, ok, rel, type CcRoutes} from './respond.js'
import {presentRoute, visibleRoute} from './routes.js'

const SOURCE = /^cf:(app|space|org):([0-9a-zA-Z-]+)$/

export function parseSource(source: string): {kind: 'app' | 'space' | 'org' | 'any'; guid: string | null} {
  if (source === 'cf:any') return {kind: 'any', guid: null}
  const m = SOURCE.exec(source)
  if (!m)
    throw unprocessable("Source must be 'cf:any' or 'cf:app:<guid>', 'cf:space:<guid>', 'cf:org:<guid>'")
  return {kind: m[1] as 'app' | 'space' | 'org', guid: m[2]!}
}

export function presentRoutePolicy(ctx: CcCtx, p: RoutePolicy) {
  const src = parseSource(p.source)
  const links: Record<string, unknown> = {
    self: link(ctx, `/v3/route_policies/${p.guid}`),
    route: link(ctx, `/v3/routes/${p.routeGuid}`),
  }
  if (src.kind === 'app') links.app = link(ctx, `/v3/apps/${src.guid}`)
  if (src.kind === 'space') links.space = link(ctx, `/v3/spaces/${src.guid}`)
  if (src.kind === 'org') links.organization = link(ctx, `/v3/organizations/${src.guid}`)
  return {
    ...stamps(p),
    source: p.source,
    relationships: {
      route: rel(p.routeGuid),
      app: rel(src.kind === 'app' ? src.guid : null),
      space: rel(src.kind === 'space' ? src.guid : null),
      organization: rel(src.kind === 'org' ? src.guid : null),
    },
    metadata: presentMetadata(p.metadata),
    links,
  }
}

function gate(ctx: CcCtx): void {
  if (!ctx.state.ccVersionAtLeast('3.224.0')) throw unknownRequest()
}

function visiblePolicy(ctx: CcCtx, guid: string): RoutePolicy {
  const p = ctx.state.routePolicies.get(guid)
  if (!p) throw notFound('Route policy')
  try {
    visibleRoute(ctx, p.routeGuid)
  } catch {
    throw notFound('Route policy')
  }
  return p
}

function spec(ctx: CcCtx): ListSpec<RoutePolicy> {
  const routeSpace = (p: RoutePolicy) => ctx.state.routes.get(p.routeGuid)?.spaceGuid
  return {
    path: '/v3/route_policies',
    filters: {
      guids: inList((p) => p.guid),
      route_guids: inList((p) => p.routeGuid),
      space_guids: inList(routeSpace),
      sources: inList((p) => p.source),
      source_guids: inList((p) => parseSource(p.source).guid),
    },
    labels: (p) => p.metadata.labels,
    includes: {
      route: (rows) => ({
        routes: rows
          .map((p) => ctx.state.routes.get(p.routeGuid))
          .filter((r) => r !== undefined)
          .map((r) => presentRoute(ctx, r!) as {guid: string}),
      }),
      source: (rows) => {
        const apps: App[] = []
        const spaces: Space[] = []
        const orgs: Org[] = []
        for (const p of rows) {
          const src = parseSource(p.source)
          if (src.kind === 'app' && ctx.state.apps.get(src.guid!)) apps.push(ctx.state.apps.get(src.guid!)!)
          if (src.kind === 'space' && ctx.state.spaces.get(src.guid!))
            spaces.push(ctx.state.spaces.get(src.guid!)!)
          if (src.kind === 'org' && ctx.state.orgs.get(src.guid!)) orgs.push(ctx.state.orgs.get(src.guid!)!)
        }
        return {
          apps: apps.map((a) => presentApp(ctx, a)),
          spaces: spaces.map((s) => presentSpace(ctx, s)),
          organizations: orgs.map((o) => presentOrg(ctx, o)),
        }
      },
    },
  }
}

export function registerRoutePolicies(r: CcRoutes): void {
  r.add('GET', '/v3/route_policies', (ctx) => {
    gate(ctx)
    const rows = [...ctx.state.routePolicies.all()].filter((p) => {
      const route = ctx.state.routes.get(p.routeGuid)
      return (
        route !== undefined &&
        [route.spaceGuid, ...route.sharedSpaceGuids].some((s) => ctx.actor.canReadRoutesIn(s))
      )
    })
    return ok(listResponse(ctx, rows, spec(ctx), (p) => presentRoutePolicy(ctx, p)))
  })
  r.add('GET', '/v3/route_policies/:guid', (ctx) => {
    gate(ctx)
    const p = visiblePolicy(ctx, ctx.req.params.guid!)
    return ok(withIncluded(ctx, spec(ctx), p, presentRoutePolicy(ctx, p)))
  })
  r.add('POST', '/v3/route_policies', (ctx) => {
    gate(ctx)
    const body = parseJsonBody(ctx.req)
    const routeGuid =
      (body.relationships as {route?: {data?: {guid?: string}}} | undefined)?.route?.data?.guid ?? ''
    const route = ctx.state.routes.get(routeGuid)
    if (!route || !ctx.actor.canReadRoutesIn(route.spaceGuid)) {
      throw unprocessable('Invalid route. Ensure that the route exists and you have access to it.')
    }
    requireSpaceWrite(ctx, route.spaceGuid, 'Route')
    const domain = ctx.state.domains.get(route.domainGuid)
    if (!domain?.enforceRoutePolicies || domain.internal) {
      throw unprocessable(
        'Route policies can only be created for routes on domains that enforce route policies.',
      )
    }
    if (typeof body.source !== 'string') throw unprocessable('Source must be a string')
    parseSource(body.source)
    const existing = ctx.state.routePolicies.lookup('route', route.guid)
    if (existing.some((p) => p.source === body.source)) {
      throw unprocessable(`Route policy with source '${body.source}' already exists for this route.`)
    }
    if ((body.source === 'cf:any' && existing.length > 0) || existing.some((p) => p.source === 'cf:any')) {
      throw unprocessable("Source 'cf:any' cannot be combined with other sources for the same route.")
    }
    const policy = ctx.state.routePolicies.create(ctx.state.row(), {
      routeGuid: route.guid,
      source: body.source,
      metadata: emptyMetadata(),
    })
    applyMetadata(policy.metadata, body.metadata)
    policyEvent(ctx, policy, 'audit.route_policy.create', {request: body}, route.spaceGuid)
    return created(presentRoutePolicy(ctx, policy))
  })
  r.add('PATCH', '/v3/route_policies/:guid', (ctx) => {
    const {p, route} = writablePolicy(ctx)
    const body = parseJsonBody(ctx.req)
    const unknown = Object.keys(body).filter((k) => k !== 'metadata')
    if (unknown.length > 0) throw unprocessable(`Unknown field(s): '${unknown.join("', '")}'`)
    applyMetadata(p.metadata, body.metadata)
    p.updatedAt = ctx.state.now()
    policyEvent(ctx, p, 'audit.route_policy.update', {request: body}, route.spaceGuid)
    return ok(presentRoutePolicy(ctx, p))
  })
  r.add('DELETE', '/v3/route_policies/:guid', (ctx) => {
    const {p, route} = writablePolicy(ctx)
    ctx.state.routePolicies.delete(p.guid)
    policyEvent(ctx, p, 'audit.route_policy.delete', {}, route.spaceGuid)
    return noContent()
  })
}

function policyEvent(
  ctx: CcCtx,
  p: RoutePolicy,
  type: string,
  data: Record<string, unknown>,
  spaceGuid: string,
) {
  actorEvent(ctx, type, {guid: p.guid, type: 'route_policy', name: p.source}, data, spaceGuid)
}

/** The policy in the path and its route, when the caller may change it (PATCH, DELETE). */
function writablePolicy(ctx: CcCtx): {p: RoutePolicy; route: Route} {
  gate(ctx)
  const p = visiblePolicy(ctx, ctx.req.params.guid!)
  const route = ctx.state.routes.get(p.routeGuid)!
  requireSpaceWrite(ctx, route.spaceGuid, 'Route policy')
  return {p, route}
}
