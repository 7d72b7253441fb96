/** Service offerings and plans (§5, brief). Brokers are global (not space-scoped). */
import type {ServiceOffering, ServicePlan} from '../core/model.js'
import type {CcCtx} from './context.js'
import {badQuery, notFound} from './errors.js'
import {inList, listResponse, stamps, withIncluded, type ListSpec} from './list.js'
import {presentMetadata} from './metadata.js'
import {link, ok, rel, type CcRoutes} from './respond.js'

export function presentOffering(ctx: CcCtx, o: ServiceOffering) {
  return {
    ...stamps(o),
    name: o.name,
    description: o.description,
    available: true,
    tags: o.tags,
    requires: o.requires,
    shareable: o.shareable,
    documentation_url: null,
    broker_catalog: {
      id: `catalog-${o.guid}`,
      metadata: {},
      maximum_polling_duration: null,
      features: {
        plan_updateable: false,
        bindable: true,
        instances_retrievable: o.instancesRetrievable,
        bindings_retrievable: o.bindingsRetrievable,
        allow_context_updates: false,
      },
    },
    relationships: {service_broker: rel(o.brokerGuid)},
    metadata: presentMetadata(o.metadata),
    links: {
      self: link(ctx, `/v3/service_offerings/${o.guid}`),
      service_plans: link(ctx, `/v3/service_plans?service_offering_guids=${o.guid}`),
      service_broker: link(ctx, `/v3/service_brokers/${o.brokerGuid}`),
    },
  }
}

export function presentPlan(ctx: CcCtx, p: ServicePlan) {
  return {
    ...stamps(p),
    name: p.name,
    description: `${p.name} plan`,
    visibility_type: 'public',
    available: true,
    free: p.free,
    costs: [],
    maintenance_info: {},
    broker_catalog: {
      id: `catalog-${p.guid}`,
      metadata: {},
      maximum_polling_duration: null,
      features: {bindable: true, plan_updateable: false},
    },
    schemas: {
      service_instance: {create: {parameters: {}}, update: {parameters: {}}},
      service_binding: {create: {parameters: {}}},
    },
    relationships: {service_offering: rel(p.offeringGuid)},
    metadata: presentMetadata(p.metadata),
    links: {
      self: link(ctx, `/v3/service_plans/${p.guid}`),
      service_offering: link(ctx, `/v3/service_offerings/${p.offeringGuid}`),
      visibility: link(ctx, `/v3/service_plans/${p.guid}/visibility`),
    },
  }
}

function brokerFields(ctx: CcCtx, offerings: ServiceOffering[]): Record<string, unknown>[] | null {
  const keys = ctx.query.list('fields[service_broker]')
  if (keys === null) return null
  const bad = keys.filter((k) => k !== 'name' && k !== 'guid')
  if (bad.length > 0) throw badQuery("Fields [service_broker] valid keys are: 'name', 'guid'")
  const brokers = [...new Set(offerings.map((o) => o.brokerGuid))]
    .map((g) => ctx.state.brokers.get(g))
    .filter((b) => b !== undefined)
  return brokers.map((b) => Object.fromEntries(keys.map((k) => [k, k === 'name' ? b!.name : b!.guid])))
}

const offeringSpec = (ctx: CcCtx): ListSpec<ServiceOffering> => ({
  path: '/v3/service_offerings',
  filters: {
    names: inList((o) => o.name),
    guids: inList((o) => o.guid),
    service_broker_guids: inList((o) => o.brokerGuid),
    service_broker_names: inList((o) => ctx.state.brokers.get(o.brokerGuid)?.name),
    available: (_o, values) => values.includes('true'),
    space_guids: () => true,
    organization_guids: () => true,
  },
  orderBy: {name: (o) => o.name},
  labels: (o) => o.metadata.labels,
  extraParams: ['fields'],
})

const planSpec = (ctx: CcCtx): ListSpec<ServicePlan> => ({
  path: '/v3/service_plans',
  filters: {
    names: inList((p) => p.name),
    guids: inList((p) => p.guid),
    service_offering_guids: inList((p) => p.offeringGuid),
    service_offering_names: inList((p) => ctx.state.offerings.get(p.offeringGuid)?.name),
    service_broker_guids: inList((p) => ctx.state.offerings.get(p.offeringGuid)?.brokerGuid),
    service_broker_names: inList((p) => {
      const o = ctx.state.offerings.get(p.offeringGuid)
      return o ? ctx.state.brokers.get(o.brokerGuid)?.name : undefined
    }),
    available: (_p, values) => values.includes('true'),
  },
  orderBy: {name: (p) => p.name},
  labels: (p) => p.metadata.labels,
  includes: {
    service_offering: (rows) => ({
      service_offerings: rows
        .map((p) => ctx.state.offerings.get(p.offeringGuid))
        .filter((o) => o !== undefined)
        .map((o) => presentOffering(ctx, o!)),
    }),
    'space.organization': () => ({spaces: [], organizations: []}),
  },
  extraParams: ['fields'],
})

export function registerServiceCatalog(r: CcRoutes): void {
  r.add('GET', '/v3/service_offerings', (ctx) => {
    const body = listResponse(ctx, ctx.state.offerings.all(), offeringSpec(ctx), (o) =>
      presentOffering(ctx, o),
    )
    const brokers = brokerFields(ctx, [...ctx.state.offerings.all()])
    if (brokers) body.included = {service_brokers: brokers}
    return ok(body)
  })
  r.add('GET', '/v3/service_offerings/:guid', (ctx) => {
    const o = ctx.state.offerings.get(ctx.req.params.guid!)
    if (!o) throw notFound('Service offering')
    const body: Record<string, unknown> = presentOffering(ctx, o)
    const brokers = brokerFields(ctx, [o])
    if (brokers) body.included = {service_brokers: brokers}
    return ok(body)
  })
  r.add('GET', '/v3/service_plans', (ctx) =>
    ok(listResponse(ctx, ctx.state.plans.all(), planSpec(ctx), (p) => presentPlan(ctx, p))),
  )
  r.add('GET', '/v3/service_plans/:guid', (ctx) => {
    const p = ctx.state.plans.get(ctx.req.params.guid!)
    if (!p) throw notFound('Service plan')
    return ok(withIncluded(ctx, planSpec(ctx), p, presentPlan(ctx, p), ['fields']))
  })
}
