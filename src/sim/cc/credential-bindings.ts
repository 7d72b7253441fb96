/**
 * Service credential bindings, reads (§5.5): list/get with includes and filters, `/details`
 * (404 for non-readers, `*.show` audit event), `/parameters`.
 */
import type {CredentialBinding, ServiceInstance} from '../core/model.js'
import {recordEvent} from '../runtime/audit.js'
import {offeringOf} from '../runtime/broker.js'
import {presentApp} from './apps.js'
import type {CcCtx} from './context.js'
import {CcError, notFound} from './errors.js'
import {inList, listResponse, stamps, withIncluded, type ListSpec} from './list.js'
import {presentMetadata} from './metadata.js'
import {link, ok, rel, type CcRoutes} from './respond.js'
import {presentLastOperation, presentServiceInstance} from './service-instances.js'

export function presentBinding(ctx: CcCtx, b: CredentialBinding) {
  const base = `/v3/service_credential_bindings/${b.guid}`
  const si = ctx.state.serviceInstances.get(b.serviceInstanceGuid)
  const links: Record<string, unknown> = {
    self: link(ctx, base),
    details: link(ctx, `${base}/details`),
    service_instance: link(ctx, `/v3/service_instances/${b.serviceInstanceGuid}`),
  }
  if (si?.type === 'managed') links.parameters = link(ctx, `${base}/parameters`)
  if (b.appGuid) links.app = link(ctx, `/v3/apps/${b.appGuid}`)
  const relationships: Record<string, unknown> = {service_instance: rel(b.serviceInstanceGuid)}
  if (b.type === 'app') relationships.app = rel(b.appGuid)
  return {
    ...stamps(b),
    name: b.name,
    type: b.type,
    last_operation: presentLastOperation(b.lastOperation),
    metadata: presentMetadata(b.metadata),
    relationships,
    links,
  }
}

/** Where a binding lives for permissions: the app's space for app bindings, else the instance's. */
export function bindingSpace(ctx: CcCtx, b: CredentialBinding): string | null {
  if (b.appGuid) return ctx.state.apps.get(b.appGuid)?.spaceGuid ?? null
  return ctx.state.serviceInstances.get(b.serviceInstanceGuid)?.spaceGuid ?? null
}

export function bindingTarget(b: CredentialBinding) {
  return {guid: b.guid, type: b.type === 'app' ? 'service_binding' : 'service_key', name: b.name ?? ''}
}

export function visibleBinding(ctx: CcCtx, guid: string): CredentialBinding {
  const b = ctx.state.bindings.get(guid)
  const space = b ? bindingSpace(ctx, b) : null
  if (!b || space === null || !ctx.actor.canReadSpace(space)) throw notFound('Service credential binding')
  return b
}

function bindingSpec(ctx: CcCtx): ListSpec<CredentialBinding> {
  const si = (b: CredentialBinding) => ctx.state.serviceInstances.get(b.serviceInstanceGuid)
  const plan = (b: CredentialBinding) => {
    const instance = si(b)
    return instance?.planGuid ? ctx.state.plans.get(instance.planGuid) : undefined
  }
  const offering = (b: CredentialBinding) => {
    const p = plan(b)
    return p ? ctx.state.offerings.get(p.offeringGuid) : undefined
  }
  return {
    path: '/v3/service_credential_bindings',
    filters: {
      names: inList((b) => b.name),
      guids: inList((b) => b.guid),
      type: inList((b) => b.type),
      service_instance_guids: inList((b) => b.serviceInstanceGuid),
      service_instance_names: inList((b) => si(b)?.name),
      app_guids: inList((b) => b.appGuid),
      app_names: inList((b) => (b.appGuid ? ctx.state.apps.get(b.appGuid)?.name : null)),
      service_plan_guids: inList((b) => plan(b)?.guid),
      service_plan_names: inList((b) => plan(b)?.name),
      service_offering_guids: inList((b) => offering(b)?.guid),
      service_offering_names: inList((b) => offering(b)?.name),
    },
    orderBy: {name: (b) => b.name ?? ''},
    labels: (b) => b.metadata.labels,
    includes: {
      app: (rows) => ({
        apps: rows
          .map((b) => (b.appGuid ? ctx.state.apps.get(b.appGuid) : undefined))
          .filter((a) => a !== undefined)
          .map((a) => presentApp(ctx, a!)),
      }),
      service_instance: (rows) => ({
        service_instances: rows
          .map(si)
          .filter((x): x is ServiceInstance => x !== undefined)
          .map((x) => presentServiceInstance(ctx, x)),
      }),
    },
  }
}

export function registerCredentialBindingReads(r: CcRoutes): void {
  r.add('GET', '/v3/service_credential_bindings', (ctx) => {
    const readable = ctx.actor.readableSpaces()
    const appGuids = ctx.query.list('app_guids')
    const siGuids = ctx.query.list('service_instance_guids')
    const guids = ctx.query.list('guids')
    let rows: Iterable<CredentialBinding>
    if (guids)
      rows = guids
        .map((g) => ctx.state.bindings.get(g))
        .filter((b): b is CredentialBinding => !!b)
        .sort((a, b) => a.seq - b.seq)
    else if (appGuids) rows = ctx.state.bindings.lookupMany('app', appGuids)
    else if (siGuids) rows = ctx.state.bindings.lookupMany('instance', siGuids)
    else rows = ctx.state.bindings.all()
    const visible =
      readable === 'all'
        ? rows
        : [...rows].filter((b) => {
            const space = bindingSpace(ctx, b)
            return space !== null && readable.has(space)
          })
    return ok(listResponse(ctx, visible, bindingSpec(ctx), (b) => presentBinding(ctx, b)))
  })

  r.add('GET', '/v3/service_credential_bindings/:guid', (ctx) => {
    const b = visibleBinding(ctx, ctx.req.params.guid!)
    return ok(withIncluded(ctx, bindingSpec(ctx), b, presentBinding(ctx, b)))
  })

  r.add('GET', '/v3/service_credential_bindings/:guid/details', (ctx) => {
    const b = visibleBinding(ctx, ctx.req.params.guid!)
    const space = bindingSpace(ctx, b)!
    // Callers who may not read secrets get 404, not 403.
    if (!ctx.actor.canReadSecrets(space)) throw notFound('Service credential binding')
    if (b.lastOperation.type === 'create' && b.lastOperation.state !== 'succeeded') {
      throw new CcError(
        404,
        'CF-ResourceNotFound',
        10010,
        'Creation of service credential binding is not complete',
      )
    }
    recordEvent(ctx.state, {
      type: b.type === 'app' ? 'audit.service_binding.show' : 'audit.service_key.show',
      actor: ctx.actor.auditActor,
      target: bindingTarget(b),
      data: {request: {service_instance_guid: b.serviceInstanceGuid, app_guid: b.appGuid}},
      spaceGuid: space,
    })
    const body: Record<string, unknown> = {credentials: b.credentials}
    if (b.type === 'app') {
      body.syslog_drain_url = b.syslogDrainUrl
      body.volume_mounts = []
    }
    return ok(body)
  })

  r.add('GET', '/v3/service_credential_bindings/:guid/parameters', (ctx) => {
    const b = visibleBinding(ctx, ctx.req.params.guid!)
    const space = bindingSpace(ctx, b)!
    if (!(ctx.actor.canReadSecrets(space) || ctx.actor.spaceHas(space, ['space_supporter']))) {
      throw notFound('Service credential binding')
    }
    const si = ctx.state.serviceInstances.get(b.serviceInstanceGuid)
    if (si?.type !== 'managed' || !offeringOf(ctx.state, si)?.bindingsRetrievable) {
      throw new CcError(
        400,
        'CF-ServiceFetchBindingParametersNotSupported',
        90011,
        'This service does not support fetching service binding parameters.',
      )
    }
    return ok(b.parameters)
  })
}
