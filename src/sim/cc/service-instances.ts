/**
 * Service instances, reads (§5.1–5.2): list/get with `fields[...]`, UPS `/credentials` with
 * its roles and audit event, managed `/parameters`, permissions, shared spaces.
 */
import {iso} from '../core/clock.js'
import type {LastOperation, ServiceInstance} from '../core/model.js'
import {recordEvent} from '../runtime/audit.js'
import {offeringOf} from '../runtime/broker.js'
import {candidates} from './candidates.js'
import type {CcCtx} from './context.js'
import {requireSpaceRead} from './context.js'
import {CcError, badQuery, notAuthorized, notFound} from './errors.js'
import {inList, listResponse, stamps, type ListSpec} from './list.js'
import {presentMetadata} from './metadata.js'
import {link, ok, rel, type CcRoutes} from './respond.js'

export function presentLastOperation(op: LastOperation) {
  return {
    type: op.type,
    state: op.state,
    description: op.description,
    created_at: iso(op.createdAt),
    updated_at: iso(op.updatedAt),
  }
}

export function presentServiceInstance(ctx: CcCtx, si: ServiceInstance) {
  const base = `/v3/service_instances/${si.guid}`
  const common = {
    ...stamps(si),
    name: si.name,
    tags: si.tags,
    type: si.type,
  }
  const bindingLinks = {
    service_credential_bindings: link(
      ctx,
      `/v3/service_credential_bindings?service_instance_guids=${si.guid}`,
    ),
    service_route_bindings: link(ctx, `/v3/service_route_bindings?service_instance_guids=${si.guid}`),
  }
  if (si.type === 'user-provided') {
    return {
      ...common,
      syslog_drain_url: si.syslogDrainUrl,
      route_service_url: si.routeServiceUrl,
      last_operation: presentLastOperation(si.lastOperation),
      relationships: {space: rel(si.spaceGuid)},
      metadata: presentMetadata(si.metadata),
      links: {
        self: link(ctx, base),
        space: link(ctx, `/v3/spaces/${si.spaceGuid}`),
        credentials: link(ctx, `${base}/credentials`),
        ...bindingLinks,
      },
    }
  }
  return {
    ...common,
    maintenance_info: {version: '1.0.0', description: 'initial release'},
    upgrade_available: false,
    dashboard_url: si.dashboardUrl,
    last_operation: presentLastOperation(si.lastOperation),
    relationships: {space: rel(si.spaceGuid), service_plan: rel(si.planGuid)},
    metadata: presentMetadata(si.metadata),
    broker_provided_metadata: {labels: {}, attributes: {}},
    links: {
      self: link(ctx, base),
      space: link(ctx, `/v3/spaces/${si.spaceGuid}`),
      service_plan: link(ctx, `/v3/service_plans/${si.planGuid}`),
      parameters: link(ctx, `${base}/parameters`),
      shared_spaces: link(ctx, `${base}/relationships/shared_spaces`),
      ...bindingLinks,
    },
  }
}

export function siTarget(si: ServiceInstance) {
  return {
    guid: si.guid,
    type: si.type === 'user-provided' ? 'user_provided_service_instance' : 'service_instance',
    name: si.name,
  }
}

export function visibleServiceInstance(ctx: CcCtx, guid: string): ServiceInstance {
  const si = ctx.state.serviceInstances.get(guid)
  if (!si || ![si.spaceGuid, ...si.sharedSpaceGuids].some((s) => ctx.actor.canReadSpace(s))) {
    throw notFound('Service instance')
  }
  return si
}

/** `fields[<path>]` allowed keys on service instance lists (§2.4). */
const FIELDS: Record<string, string[]> = {
  space: ['guid', 'name', 'relationships.organization'],
  'space.organization': ['guid', 'name'],
  service_plan: ['guid', 'name', 'relationships.service_offering'],
  'service_plan.service_offering': [
    'guid',
    'name',
    'description',
    'documentation_url',
    'tags',
    'relationships.service_broker',
  ],
  'service_plan.service_offering.service_broker': ['guid', 'name'],
}

const PLURAL: Record<string, string> = {
  space: 'spaces',
  'space.organization': 'organizations',
  service_plan: 'service_plans',
  'service_plan.service_offering': 'service_offerings',
  'service_plan.service_offering.service_broker': 'service_brokers',
}

export function fieldsIncluded(ctx: CcCtx, rows: ServiceInstance[]): Record<string, unknown[]> | null {
  const requested = ctx.query.keys().filter((k) => k.startsWith('fields['))
  if (requested.length === 0) return null
  const out: Record<string, unknown[]> = {}
  for (const key of requested) {
    const path = key.slice('fields['.length, -1)
    const allowed = FIELDS[path]
    if (!allowed || !key.endsWith(']')) {
      throw badQuery(
        `Fields '${path}' is not a valid resource. Valid resources are: '${Object.keys(FIELDS).join("', '")}'`,
      )
    }
    const keys = ctx.query.list(key) ?? []
    const bad = keys.filter((k) => !allowed.includes(k))
    if (bad.length > 0) throw badQuery(`Fields [${path}] valid keys are: '${allowed.join("', '")}'`)
    const resources = related(ctx, rows, path)
    out[PLURAL[path]!] = resources.map((res) => pick(res, keys))
  }
  return out
}

function related(ctx: CcCtx, rows: ServiceInstance[], path: string): Record<string, unknown>[] {
  const s = ctx.state
  const uniq = <T>(items: (T | undefined)[]) => [...new Set(items.filter((x): x is T => x !== undefined))]
  const spaces = uniq(rows.map((si) => s.spaces.get(si.spaceGuid)))
  const plans = uniq(rows.map((si) => (si.planGuid ? s.plans.get(si.planGuid) : undefined)))
  const offerings = uniq(plans.map((p) => s.offerings.get(p.offeringGuid)))
  switch (path) {
    case 'space':
      return spaces.map((x) => ({guid: x.guid, name: x.name, relationships: {organization: rel(x.orgGuid)}}))
    case 'space.organization':
      return uniq(spaces.map((x) => s.orgs.get(x.orgGuid))).map((o) => ({guid: o.guid, name: o.name}))
    case 'service_plan':
      return plans.map((p) => ({
        guid: p.guid,
        name: p.name,
        relationships: {service_offering: rel(p.offeringGuid)},
      }))
    case 'service_plan.service_offering':
      return offerings.map((o) => ({
        guid: o.guid,
        name: o.name,
        description: o.description,
        documentation_url: null,
        tags: o.tags,
        relationships: {service_broker: rel(o.brokerGuid)},
      }))
    default:
      return uniq(offerings.map((o) => s.brokers.get(o.brokerGuid))).map((b) => ({
        guid: b.guid,
        name: b.name,
      }))
  }
}

function pick(resource: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of keys) {
    if (k.startsWith('relationships.')) {
      const name = k.slice('relationships.'.length)
      const rels = (out.relationships ??= {}) as Record<string, unknown>
      rels[name] = (resource.relationships as Record<string, unknown>)[name]
    } else out[k] = resource[k]
  }
  return out
}

export function siSpec(ctx: CcCtx): ListSpec<ServiceInstance> {
  const planOf = (si: ServiceInstance) => (si.planGuid ? ctx.state.plans.get(si.planGuid) : undefined)
  return {
    path: '/v3/service_instances',
    filters: {
      names: inList((si) => si.name),
      guids: inList((si) => si.guid),
      type: inList((si) => si.type),
      space_guids: (si, values) => [si.spaceGuid, ...si.sharedSpaceGuids].some((g) => values.includes(g)),
      organization_guids: inList((si) => ctx.state.spaces.get(si.spaceGuid)?.orgGuid),
      service_plan_guids: inList((si) => si.planGuid),
      service_plan_names: inList((si) => planOf(si)?.name),
    },
    orderBy: {name: (si) => si.name},
    labels: (si) => si.metadata.labels,
    extraParams: ['fields'],
  }
}

export function registerServiceInstanceReads(r: CcRoutes): void {
  r.add('GET', '/v3/service_instances', (ctx) => {
    const readable = ctx.actor.readableSpaces()
    const rows = candidates(
      ctx,
      ctx.state.serviceInstances,
      {guids: true, indexed: [['space_guids', 'space']], spaceIndex: 'space'},
      readable,
    )
    const visible =
      readable === 'all'
        ? rows
        : [...rows].filter((si) => [si.spaceGuid, ...si.sharedSpaceGuids].some((g) => readable.has(g)))
    const spec = siSpec(ctx)
    const body = listResponse(ctx, visible, spec, (si) => presentServiceInstance(ctx, si))
    const page = (body.resources as {guid: string}[]).map((x) => ctx.state.serviceInstances.get(x.guid)!)
    const included = fieldsIncluded(ctx, page)
    if (included) body.included = included
    return ok(body)
  })

  r.add('GET', '/v3/service_instances/:guid', (ctx) => {
    ctx.query.validate(['fields'])
    const si = visibleServiceInstance(ctx, ctx.req.params.guid!)
    const body: Record<string, unknown> = presentServiceInstance(ctx, si)
    const included = fieldsIncluded(ctx, [si])
    if (included) body.included = included
    return ok(body)
  })

  r.add('GET', '/v3/service_instances/:guid/credentials', (ctx) => {
    const si = visibleServiceInstance(ctx, ctx.req.params.guid!)
    if (si.type !== 'user-provided') throw notFound('Service instance')
    if (!ctx.actor.canReadSecrets(si.spaceGuid)) throw notAuthorized()
    recordEvent(ctx.state, {
      type: 'audit.user_provided_service_instance.show',
      actor: ctx.actor.auditActor,
      target: siTarget(si),
      data: {},
      spaceGuid: si.spaceGuid,
    })
    return ok(si.credentials)
  })

  r.add('GET', '/v3/service_instances/:guid/parameters', (ctx) => {
    const si = visibleServiceInstance(ctx, ctx.req.params.guid!)
    if (si.type !== 'managed') throw notFound('Service instance')
    if (ctx.actor.spaceHas(si.spaceGuid, ['space_supporter']) && !ctx.actor.canReadSecrets(si.spaceGuid)) {
      throw notAuthorized()
    }
    const offering = offeringOf(ctx.state, si)
    if (!offering?.instancesRetrievable) {
      throw new CcError(
        400,
        'CF-ServiceFetchInstanceParametersNotSupported',
        120004,
        'This service does not support fetching service instance parameters.',
      )
    }
    return ok(si.parameters)
  })

  r.add('GET', '/v3/service_instances/:guid/permissions', (ctx) => {
    const si = ctx.state.serviceInstances.get(ctx.req.params.guid!)
    const read = si !== undefined && ctx.actor.canReadSpace(si.spaceGuid)
    return ok({read, manage: read && ctx.actor.canWrite(si!.spaceGuid)})
  })

  r.add('GET', '/v3/service_instances/:guid/relationships/shared_spaces', (ctx) => {
    const si = visibleServiceInstance(ctx, ctx.req.params.guid!)
    requireSpaceRead(ctx, si.spaceGuid, 'Service instance')
    return ok({
      data: si.sharedSpaceGuids.map((guid) => ({guid})),
      links: {self: link(ctx, `/v3/service_instances/${si.guid}/relationships/shared_spaces`)},
    })
  })
}
