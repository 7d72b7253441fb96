import {withRow} from '../core/table.js'
/** Service route bindings (§5.7): route services in front of a route. */
import type {RouteBinding, ServiceInstance} from '../core/model.js'
import {recordEvent} from '../runtime/audit.js'
import {offeringOf} from '../runtime/broker.js'
import {DEV_SUPPORTER} from './actor.js'
import type {CcCtx} from './context.js'
import {parseJsonBody} from './context.js'
import {insufficientScope, notAuthorized, notFound, unprocessable} from './errors.js'
import {createJob} from './jobs.js'
import {inList, listResponse, stamps, withIncluded, type ListSpec} from './list.js'
import {applyMetadata, emptyMetadata, presentMetadata} from './metadata.js'
import {accepted, created, link, ok, rel, type CcRoutes} from './respond.js'
import {presentRoute} from './routes.js'
import {presentLastOperation, presentServiceInstance} from './service-instances.js'
import {lastOp} from './service-instance-writes.js'
import {deleteBinding, patchBindingMetadata} from './binding-writes.js'

export function presentRouteBinding(ctx: CcCtx, b: RouteBinding) {
  const base = `/v3/service_route_bindings/${b.guid}`
  return {
    ...stamps(b),
    route_service_url: b.routeServiceUrl,
    last_operation: presentLastOperation(b.lastOperation),
    metadata: presentMetadata(b.metadata),
    relationships: {service_instance: rel(b.serviceInstanceGuid), route: rel(b.routeGuid)},
    links: {
      self: link(ctx, base),
      service_instance: link(ctx, `/v3/service_instances/${b.serviceInstanceGuid}`),
      route: link(ctx, `/v3/routes/${b.routeGuid}`),
      parameters: link(ctx, `${base}/parameters`),
    },
  }
}

function spaceOf(ctx: CcCtx, b: RouteBinding): string | null {
  return ctx.state.routes.get(b.routeGuid)?.spaceGuid ?? null
}

function visible(ctx: CcCtx, guid: string): RouteBinding {
  const b = ctx.state.routeBindings.get(guid)
  const space = b ? spaceOf(ctx, b) : null
  if (!b || space === null || !ctx.actor.canReadSpace(space)) throw notFound('Service route binding')
  return b
}

function spec(ctx: CcCtx): ListSpec<RouteBinding> {
  return {
    path: '/v3/service_route_bindings',
    filters: {
      guids: inList((b) => b.guid),
      route_guids: inList((b) => b.routeGuid),
      service_instance_guids: inList((b) => b.serviceInstanceGuid),
      service_instance_names: inList((b) => ctx.state.serviceInstances.get(b.serviceInstanceGuid)?.name),
    },
    labels: (b) => b.metadata.labels,
    includes: {
      route: (rows) => ({
        routes: rows
          .map((b) => ctx.state.routes.get(b.routeGuid))
          .filter((x) => x !== undefined)
          .map((x) => presentRoute(ctx, x!) as {guid: string}),
      }),
      service_instance: (rows) => ({
        service_instances: rows
          .map((b) => ctx.state.serviceInstances.get(b.serviceInstanceGuid))
          .filter((x): x is ServiceInstance => x !== undefined)
          .map((x) => presentServiceInstance(ctx, x)),
      }),
    },
  }
}

function target(b: RouteBinding) {
  return {guid: b.guid, type: 'service_route_binding', name: ''}
}

export function registerRouteBindings(r: CcRoutes): void {
  r.add('GET', '/v3/service_route_bindings', (ctx) => {
    const readable = ctx.actor.readableSpaces()
    const rows = [...ctx.state.routeBindings.all()].filter((b) => {
      const space = spaceOf(ctx, b)
      return space !== null && (readable === 'all' || readable.has(space))
    })
    return ok(listResponse(ctx, rows, spec(ctx), (b) => presentRouteBinding(ctx, b)))
  })
  r.add('GET', '/v3/service_route_bindings/:guid', (ctx) => {
    const b = visible(ctx, ctx.req.params.guid!)
    return ok(withIncluded(ctx, spec(ctx), b, presentRouteBinding(ctx, b)))
  })
  r.add('POST', '/v3/service_route_bindings', (ctx) => {
    const body = parseJsonBody(ctx.req)
    const rels = (body.relationships ?? {}) as Record<string, {data?: {guid?: string}}>
    const route = ctx.state.routes.get(rels.route?.data?.guid ?? '')
    if (!route || !ctx.actor.canReadSpace(route.spaceGuid)) {
      throw unprocessable(
        'The route could not be found. Ensure that the route exists and you have access to it.',
      )
    }
    const si = ctx.state.serviceInstances.get(rels.service_instance?.data?.guid ?? '')
    if (!si || !ctx.actor.canReadSpace(si.spaceGuid)) {
      throw unprocessable(
        'The service instance could not be found. Ensure that it exists and you have access to it.',
      )
    }
    if (!ctx.actor.hasWriteScope) throw insufficientScope()
    if (!ctx.actor.canWrite(route.spaceGuid, DEV_SUPPORTER)) throw notAuthorized()
    if (si.spaceGuid !== route.spaceGuid)
      throw unprocessable('The service instance and the route are in different spaces.')
    if (ctx.state.routeBindings.lookup('route', route.guid).length > 0) {
      throw unprocessable('The route and service instance are already bound.')
    }
    if (si.type === 'user-provided' && !si.routeServiceUrl) {
      throw unprocessable('This service instance does not support route binding.')
    }
    if (si.type === 'managed' && !offeringOf(ctx.state, si)?.requires.includes('route_forwarding')) {
      throw unprocessable('This service instance does not support route binding.')
    }
    const now = ctx.state.now()
    const binding = withRow<RouteBinding>(ctx.state.row(now), {
      routeGuid: route.guid,
      serviceInstanceGuid: si.guid,
      routeServiceUrl: si.type === 'user-provided' ? si.routeServiceUrl : null,
      lastOperation: lastOp('create', si.type === 'user-provided' ? 'succeeded' : 'in progress', now),
      metadata: emptyMetadata(),
    })
    applyMetadata(binding.metadata, body.metadata)
    ctx.state.routeBindings.add(binding)
    const event = (kind: string, at?: number) =>
      recordEvent(ctx.state, {
        type: `audit.service_route_binding.${kind}`,
        actor: ctx.actor.auditActor,
        target: target(binding),
        data: {request: body},
        spaceGuid: route.spaceGuid,
        at,
      })
    if (si.type === 'user-provided') {
      event('create')
      return created(presentRouteBinding(ctx, binding))
    }
    event('start_create')
    const job = createJob(ctx.state, {
      operation: 'service_route_bindings.create',
      brokered: true,
      resourceLink: {name: 'route_binding', path: `/v3/service_route_bindings/${binding.guid}`},
      onComplete: (at) => {
        binding.routeServiceUrl = `https://route-service-${si.guid.slice(0, 8)}.apps.cfguard.test`
        binding.lastOperation = lastOp('create', 'succeeded', at)
        binding.updatedAt = at
        event('create', at)
        return {ok: true}
      },
    })
    return accepted(ctx, job.guid)
  })
  r.add('DELETE', '/v3/service_route_bindings/:guid', (ctx) => {
    const b = visible(ctx, ctx.req.params.guid!)
    const space = spaceOf(ctx, b)!
    if (!ctx.actor.canWrite(space, DEV_SUPPORTER)) throw notAuthorized()
    const si = ctx.state.serviceInstances.get(b.serviceInstanceGuid)
    const event = (kind: string, at?: number) =>
      recordEvent(ctx.state, {
        type: `audit.service_route_binding.${kind}`,
        actor: ctx.actor.auditActor,
        target: target(b),
        data: {request: {route_guid: b.routeGuid, service_instance_guid: b.serviceInstanceGuid}},
        spaceGuid: space,
        at,
      })
    return deleteBinding(ctx, b, {
      managed: si?.type === 'managed',
      operation: 'service_route_bindings.delete',
      remove: () => ctx.state.routeBindings.delete(b.guid),
      event,
    })
  })
  r.add('PATCH', '/v3/service_route_bindings/:guid', (ctx) => {
    const b = visible(ctx, ctx.req.params.guid!)
    const space = spaceOf(ctx, b)!
    if (!ctx.actor.canWrite(space)) throw notAuthorized()
    patchBindingMetadata(ctx, b, {
      type: 'audit.service_route_binding.update',
      target: target(b),
      spaceGuid: space,
    })
    return ok(presentRouteBinding(ctx, b))
  })
}
