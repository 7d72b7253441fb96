/** Routes (§4.1, §4.4–4.5): list/get with includes, create, options update, delete, sharing. */
import type {Domain, Route, RoutePolicy} from '../core/model.js'
import {DEV_SUPPORTER} from './actor.js'
import {visibleApp} from './apps.js'
import {candidates} from './candidates.js'
import type {CcCtx} from './context.js'
import {parseJsonBody, requireSpaceWrite} from './context.js'
import {presentDomain} from './domains.js'
import {featureDisabled, notFound, unprocessable} from './errors.js'
import {actorEvent} from './events.js'
import {acceptRecursiveDelete} from './jobs.js'
import {inList, listResponse, stamps, withIncluded, type ListSpec} from './list.js'
import {applyMetadata, emptyMetadata, presentMetadata} from './metadata.js'
import {spaceIncludes} from './orgs-spaces.js'
import {created, link, noContent, ok, rel, type CcRoutes} from './respond.js'
import {mergeRouteOptions} from './route-options.js'
import {presentRoutePolicy} from './route-policies.js'
import {presentDestination} from './destinations.js'

export function routeUrl(route: Route, domain: Domain | undefined): string {
  const name = domain?.name ?? ''
  if (route.port !== null) return `${name}:${route.port}`
  return `${route.host ? `${route.host}.` : ''}${name}${route.path}`
}

export function presentRoute(ctx: CcCtx, route: Route) {
  const domain = ctx.state.domains.get(route.domainGuid)
  const out: Record<string, unknown> = {
    ...stamps(route),
    protocol: domain?.routerGroupGuid ? 'tcp' : 'http',
    host: route.host,
    path: route.path,
    port: route.port,
    url: routeUrl(route, domain),
    destinations: route.destinations.map((d) => presentDestination(d)),
  }
  if (Object.keys(route.options).length > 0) out.options = {...route.options}
  Object.assign(out, {
    metadata: presentMetadata(route.metadata),
    relationships: {space: rel(route.spaceGuid), domain: rel(route.domainGuid)},
    links: {
      self: link(ctx, `/v3/routes/${route.guid}`),
      space: link(ctx, `/v3/spaces/${route.spaceGuid}`),
      domain: link(ctx, `/v3/domains/${route.domainGuid}`),
      destinations: link(ctx, `/v3/routes/${route.guid}/destinations`),
    },
  })
  return out
}

export function routeTarget(route: Route) {
  return {guid: route.guid, type: 'route', name: route.host}
}

export function visibleRoute(ctx: CcCtx, guid: string): Route {
  const route = ctx.state.routes.get(guid)
  if (!route || !routeVisible(ctx, route)) throw notFound('Route')
  return route
}

function routeVisible(ctx: CcCtx, route: Route): boolean {
  return [route.spaceGuid, ...route.sharedSpaceGuids].some((s) => ctx.actor.canReadRoutesIn(s))
}

export function routeSpec(ctx: CcCtx, path: string, withAppFilter: boolean): ListSpec<Route> {
  const orgOf = (r: Route) => ctx.state.spaces.get(r.spaceGuid)?.orgGuid
  const filters: ListSpec<Route>['filters'] = {
    guids: inList((r) => r.guid),
    domain_guids: inList((r) => r.domainGuid),
    hosts: (r, values) => values.includes(r.host),
    paths: (r, values) => values.includes(r.path),
    ports: (r, values) => r.port !== null && values.includes(String(r.port)),
    organization_guids: inList(orgOf),
    space_guids: inList((r) => r.spaceGuid),
    service_instance_guids: (r, values) =>
      ctx.state.routeBindings.lookup('route', r.guid).some((b) => values.includes(b.serviceInstanceGuid)),
  }
  if (withAppFilter) filters.app_guids = (r, values) => r.destinations.some((d) => values.includes(d.appGuid))
  const includes: NonNullable<ListSpec<Route>['includes']> = {
    domain: (rows) => ({
      domains: rows
        .map((r) => ctx.state.domains.get(r.domainGuid))
        .filter((d): d is Domain => d !== undefined)
        .map((d) => presentDomain(ctx, d) as {guid: string}),
    }),
    ...spaceIncludes<Route>(ctx, (r) => r.spaceGuid),
  }
  if (ctx.state.ccVersionAtLeast('3.224.0')) {
    includes.route_policies = (rows) => ({
      route_policies: rows
        .flatMap((r) => ctx.state.routePolicies.lookup('route', r.guid))
        .map((p: RoutePolicy) => presentRoutePolicy(ctx, p)),
    })
  }
  return {path, filters, labels: (r) => r.metadata.labels, includes}
}

const HOST = /^([\w-]{1,63}|\*)$/

function routeEvent(
  ctx: CcCtx,
  route: Route,
  type: string,
  data: Record<string, unknown>,
  spaceGuid?: string,
) {
  actorEvent(ctx, type, routeTarget(route), data, spaceGuid ?? route.spaceGuid)
}

function listRoutes(ctx: CcCtx) {
  const readable = ctx.actor.readableRouteSpaces()
  const rows = candidates(
    ctx,
    ctx.state.routes,
    {
      guids: true,
      indexed: [
        ['app_guids', 'app'],
        ['domain_guids', 'domain'],
        ['space_guids', 'space'],
      ],
      spaceIndex: 'space',
    },
    readable,
  )
  const visible = readable === 'all' ? rows : [...rows].filter((route) => routeVisible(ctx, route))
  return ok(
    listResponse(ctx, visible, routeSpec(ctx, '/v3/routes', true), (route) => presentRoute(ctx, route)),
  )
}

function getRoute(ctx: CcCtx) {
  const route = visibleRoute(ctx, ctx.req.params.guid!)
  return ok(withIncluded(ctx, routeSpec(ctx, '/v3/routes', true), route, presentRoute(ctx, route)))
}

function listAppRoutes(ctx: CcCtx) {
  const app = visibleApp(ctx, ctx.req.params.guid!)
  const rows = ctx.state.routes.lookup('app', app.guid).filter((route) => routeVisible(ctx, route))
  const spec = routeSpec(ctx, `/v3/apps/${app.guid}/routes`, false)
  delete spec.filters!.guids
  delete spec.filters!.service_instance_guids
  return ok(listResponse(ctx, rows, {...spec, includes: undefined}, (route) => presentRoute(ctx, route)))
}

/** Host, path and port of a new route on `domain`, validated as CC does (§4.1). */
function routeAddress(ctx: CcCtx, body: Record<string, unknown>, domain: Domain) {
  const tcp = domain.routerGroupGuid !== null
  const host = body.host === undefined ? '' : body.host
  const path = body.path === undefined ? '' : body.path
  if (typeof host !== 'string' || (host !== '' && !HOST.test(host)))
    throw unprocessable('Host must be either "*" or contain only alphanumeric characters, "_", or "-"')
  if (
    typeof path !== 'string' ||
    (path !== '' && (!path.startsWith('/') || path === '/' || path.includes('?') || path.length >= 128))
  ) {
    throw unprocessable('Path must begin with /, must be shorter than 128 characters, and may not contain ?')
  }
  let port: number | null = null
  if (tcp) {
    if (host !== '' || path !== '')
      throw unprocessable('Hosts and paths are not supported for routes with TCP protocol')
    port = typeof body.port === 'number' ? body.port : 1024 + ctx.state.random.int(0, 60000)
  } else if (body.port !== undefined) throw unprocessable('Routes with protocol "http" do not support ports')
  if (domain.internal && path !== '') throw unprocessable('Paths are not supported for internal domains.')
  const clash = ctx.state.routes
    .lookup('domain', domain.guid)
    .find((x) => x.host === host && x.path === path && x.port === port)
  if (clash) {
    throw unprocessable(
      `Route already exists with host '${host}'${path ? ` and path '${path}'` : ''} for domain '${domain.name}'.`,
    )
  }
  return {host, path, port}
}

function createRoute(ctx: CcCtx) {
  const body = parseJsonBody(ctx.req)
  const rels = (body.relationships ?? {}) as Record<string, {data?: {guid?: string}}>
  const space = ctx.state.spaces.get(rels.space?.data?.guid ?? '')
  if (!space || !ctx.actor.canReadSpace(space.guid)) {
    throw unprocessable('Invalid space. Ensure that the space exists and you have access to it.')
  }
  const domain = ctx.state.domains.get(rels.domain?.data?.guid ?? '')
  if (!domain) throw unprocessable('Invalid domain. Ensure that the domain exists and you have access to it.')
  requireSpaceWrite(ctx, space.guid, 'Space')
  if (!ctx.actor.admin && !ctx.state.flag('route_creation')) throw featureDisabled('route_creation')
  const {host, path, port} = routeAddress(ctx, body, domain)
  const options = body.options === undefined ? {} : mergeRouteOptions(ctx.state, {}, body.options)
  const route = ctx.state.routes.create(ctx.state.row(), {
    host,
    path,
    port,
    domainGuid: domain.guid,
    spaceGuid: space.guid,
    sharedSpaceGuids: [],
    destinations: [],
    options,
    metadata: emptyMetadata(),
  })
  applyMetadata(route.metadata, body.metadata)
  routeEvent(ctx, route, 'audit.route.create', {request: body}, space.guid)
  return created(presentRoute(ctx, route))
}

function updateRoute(ctx: CcCtx) {
  const route = visibleRoute(ctx, ctx.req.params.guid!)
  requireSpaceWrite(ctx, route.spaceGuid, 'Route', DEV_SUPPORTER)
  const body = parseJsonBody(ctx.req)
  const unknown = Object.keys(body).filter((k) => k !== 'metadata' && k !== 'options')
  if (unknown.length > 0) throw unprocessable(`Unknown field(s): '${unknown.join("', '")}'`)
  if (body.options !== undefined) route.options = mergeRouteOptions(ctx.state, route.options, body.options)
  applyMetadata(route.metadata, body.metadata)
  route.updatedAt = ctx.state.now()
  routeEvent(ctx, route, 'audit.route.update', {request: body})
  return ok(presentRoute(ctx, route))
}

function deleteRoute(ctx: CcCtx) {
  const route = visibleRoute(ctx, ctx.req.params.guid!)
  requireSpaceWrite(ctx, route.spaceGuid, 'Route')
  return acceptRecursiveDelete(ctx, {
    operation: 'route.delete',
    eventType: 'audit.route.delete-request',
    target: routeTarget(route),
    spaceGuid: route.spaceGuid,
    remove: () => {
      for (const b of ctx.state.routeBindings.lookup('route', route.guid))
        ctx.state.routeBindings.delete(b.guid)
      for (const p of ctx.state.routePolicies.lookup('route', route.guid))
        ctx.state.routePolicies.delete(p.guid)
      ctx.state.routes.delete(route.guid)
    },
  })
}

function sharedSpaces(ctx: CcCtx, route: Route) {
  return ok({
    data: route.sharedSpaceGuids.map((guid) => ({guid})),
    links: {self: link(ctx, `/v3/routes/${route.guid}/relationships/shared_spaces`)},
  })
}

function shareRoute(ctx: CcCtx) {
  const route = visibleRoute(ctx, ctx.req.params.guid!)
  if (!ctx.state.flag('route_sharing')) throw featureDisabled('route_sharing')
  requireSpaceWrite(ctx, route.spaceGuid, 'Route')
  const data = (parseJsonBody(ctx.req).data ?? []) as {guid?: string}[]
  for (const {guid} of data) {
    if (!guid || !ctx.state.spaces.get(guid) || !ctx.actor.canWrite(guid)) {
      throw unprocessable(
        `Unable to share route ${route.host} with spaces ['${guid}']. Ensure the spaces exist and that you have access to them.`,
      )
    }
    if (!route.sharedSpaceGuids.includes(guid) && guid !== route.spaceGuid) route.sharedSpaceGuids.push(guid)
  }
  ctx.state.routes.reindex(route)
  routeEvent(ctx, route, 'audit.route.share', {target_space_guids: data.map((d) => d.guid)})
  return sharedSpaces(ctx, route)
}

function unshareRoute(ctx: CcCtx) {
  const route = visibleRoute(ctx, ctx.req.params.guid!)
  requireSpaceWrite(ctx, route.spaceGuid, 'Route')
  const space = ctx.req.params.space!
  if (!route.sharedSpaceGuids.includes(space)) {
    throw unprocessable(
      `Unable to unshare route '${route.host}' from space '${space}'. Ensure the route is shared with this space.`,
    )
  }
  route.sharedSpaceGuids = route.sharedSpaceGuids.filter((g) => g !== space)
  ctx.state.routes.reindex(route)
  routeEvent(ctx, route, 'audit.route.unshare', {target_space_guid: space})
  return noContent()
}

function transferRoute(ctx: CcCtx) {
  const route = visibleRoute(ctx, ctx.req.params.guid!)
  if (!ctx.state.flag('route_sharing')) throw featureDisabled('route_sharing')
  requireSpaceWrite(ctx, route.spaceGuid, 'Route')
  const guid = (parseJsonBody(ctx.req).data as {guid?: string} | undefined)?.guid
  if (!guid || !ctx.state.spaces.get(guid) || !ctx.actor.canWrite(guid)) {
    throw unprocessable(
      'Unable to transfer owner of route. Ensure the space exists and that you have access to it.',
    )
  }
  const previous = route.spaceGuid
  route.spaceGuid = guid
  route.sharedSpaceGuids = [...new Set([...route.sharedSpaceGuids.filter((g) => g !== guid), previous])]
  ctx.state.routes.reindex(route)
  routeEvent(ctx, route, 'audit.route.transfer-owner', {target_space_guid: guid}, previous)
  return noContent()
}

export function registerRoutes(r: CcRoutes): void {
  r.add('GET', '/v3/routes', listRoutes)
  r.add('GET', '/v3/routes/:guid', getRoute)
  r.add('GET', '/v3/apps/:guid/routes', listAppRoutes)
  r.add('POST', '/v3/routes', createRoute)
  r.add('PATCH', '/v3/routes/:guid', updateRoute)
  r.add('DELETE', '/v3/routes/:guid', deleteRoute)
  r.add('GET', '/v3/routes/:guid/relationships/shared_spaces', (ctx) =>
    sharedSpaces(ctx, visibleRoute(ctx, ctx.req.params.guid!)),
  )
  r.add('POST', '/v3/routes/:guid/relationships/shared_spaces', shareRoute)
  r.add('DELETE', '/v3/routes/:guid/relationships/shared_spaces/:space', unshareRoute)
  r.add('PATCH', '/v3/routes/:guid/relationships/space', transferRoute)
}
