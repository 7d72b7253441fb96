/** Domains (§4.6): internal, TCP (router group), identity-aware (CC ≥ 3.224), reservations. */
import type {Domain} from '../core/model.js'
import type {CcCtx} from './context.js'
import {parseJsonBody} from './context.js'
import {notAuthorized, notFound, unprocessable} from './errors.js'
import {inList, inListCaseInsensitive, listResponse, stamps} from './list.js'
import {applyMetadata, emptyMetadata, presentMetadata} from './metadata.js'
import {created, link, ok, rel, type CcRoutes} from './respond.js'

export function presentDomain(ctx: CcCtx, d: Domain) {
  const base = `/v3/domains/${d.guid}`
  const out: Record<string, unknown> = {
    ...stamps(d),
    name: d.name,
    internal: d.internal,
    router_group: d.routerGroupGuid === null ? null : {guid: d.routerGroupGuid},
    supported_protocols: d.routerGroupGuid === null ? ['http'] : ['tcp'],
  }
  if (d.enforceRoutePolicies && ctx.state.ccVersionAtLeast('3.224.0')) {
    out.enforce_route_policies = true
    out.route_policies_scope = d.routePoliciesScope
  }
  const links: Record<string, unknown> = {
    self: link(ctx, base),
    route_reservations: link(ctx, `${base}/route_reservations`),
  }
  if (d.orgGuid) {
    links.organization = link(ctx, `/v3/organizations/${d.orgGuid}`)
    links.shared_organizations = link(ctx, `${base}/relationships/shared_organizations`)
  }
  if (d.routerGroupGuid)
    links.router_group = {href: `${ctx.api}/routing/v1/router_groups/${d.routerGroupGuid}`}
  Object.assign(out, {
    relationships: {
      organization: rel(d.orgGuid),
      shared_organizations: {data: d.sharedOrgGuids.map((guid) => ({guid}))},
    },
    metadata: presentMetadata(d.metadata),
    links,
  })
  return out
}

export function domainVisible(ctx: CcCtx, d: Domain): boolean {
  if (d.orgGuid === null || ctx.actor.readAll) return true
  return ctx.actor.canReadOrg(d.orgGuid) || d.sharedOrgGuids.some((o) => ctx.actor.canReadOrg(o))
}

function domainSpec(ctx: CcCtx, path: string) {
  return {
    path,
    filters: {
      guids: inList<Domain>((d) => d.guid),
      names: inListCaseInsensitive<Domain>((d) => d.name),
      organization_guids: inList<Domain>((d) => d.orgGuid),
    },
    labels: (d: Domain) => d.metadata.labels,
  }
}

export function registerDomains(r: CcRoutes): void {
  r.add('GET', '/v3/domains', (ctx) => {
    const rows = [...ctx.state.domains.all()].filter((d) => domainVisible(ctx, d))
    return ok(listResponse(ctx, rows, domainSpec(ctx, '/v3/domains'), (d) => presentDomain(ctx, d)))
  })
  r.add('GET', '/v3/organizations/:guid/domains', (ctx) => {
    const orgGuid = ctx.req.params.guid!
    if (!ctx.state.orgs.get(orgGuid) || !ctx.actor.canReadOrg(orgGuid)) throw notFound('Organization')
    const rows = [...ctx.state.domains.all()].filter(
      (d) => d.orgGuid === null || d.orgGuid === orgGuid || d.sharedOrgGuids.includes(orgGuid),
    )
    return ok(
      listResponse(ctx, rows, domainSpec(ctx, `/v3/organizations/${orgGuid}/domains`), (d) =>
        presentDomain(ctx, d),
      ),
    )
  })
  r.add('GET', '/v3/domains/:guid', (ctx) => {
    const d = ctx.state.domains.get(ctx.req.params.guid!)
    if (!d || !domainVisible(ctx, d)) throw notFound('Domain')
    return ok(presentDomain(ctx, d))
  })
  r.add('GET', '/v3/domains/:guid/route_reservations', (ctx) => {
    ctx.query.validate(['host', 'path', 'port'])
    const d = ctx.state.domains.get(ctx.req.params.guid!)
    if (!d || !domainVisible(ctx, d)) throw notFound('Domain')
    const host = ctx.query.single('host') ?? ''
    const path = ctx.query.single('path') ?? ''
    const port = ctx.query.single('port')
    const matching = ctx.state.routes
      .lookup('domain', d.guid)
      .some(
        (route) =>
          route.host === host && route.path === path && (port === null || String(route.port) === port),
      )
    return ok({matching_route: matching})
  })
  r.add('POST', '/v3/domains', (ctx) => {
    const body = parseJsonBody(ctx.req)
    const name = typeof body.name === 'string' ? body.name.toLowerCase() : ''
    if (!/^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)+[a-z0-9-]+$/.test(name)) {
      throw unprocessable('Name does not comply with RFC 1035 standards')
    }
    const orgGuid =
      (body.relationships as {organization?: {data?: {guid?: string}}} | undefined)?.organization?.data
        ?.guid ?? null
    if (
      orgGuid === null
        ? !ctx.actor.admin
        : !(ctx.actor.admin || ctx.actor.orgHas(orgGuid, ['organization_manager']))
    ) {
      throw notAuthorized()
    }
    if ([...ctx.state.domains.all()].some((d) => d.name === name)) {
      throw unprocessable(`The domain name "${name}" is already in use`)
    }
    const internal = body.internal === true
    const enforce = body.enforce_route_policies
    const scope = body.route_policies_scope
    if ((enforce !== undefined || scope !== undefined) && !ctx.state.ccVersionAtLeast('3.224.0')) {
      throw unprocessable("Unknown field(s): 'enforce_route_policies', 'route_policies_scope'")
    }
    if (enforce === true && internal) throw unprocessable('Internal domains cannot enforce route policies')
    if (enforce === true && !['any', 'org', 'space'].includes(String(scope))) {
      throw unprocessable("Route policies scope must be one of 'any', 'org', 'space'")
    }
    const routerGroup = (body.router_group as {guid?: string} | undefined)?.guid ?? null
    const domain = ctx.state.domains.create(ctx.state.row(), {
      name,
      internal,
      routerGroupGuid: routerGroup,
      orgGuid,
      sharedOrgGuids: [],
      enforceRoutePolicies: enforce === true,
      routePoliciesScope: enforce === true ? (scope as 'any' | 'org' | 'space') : null,
      metadata: emptyMetadata(),
    })
    applyMetadata(domain.metadata, body.metadata)
    return created(presentDomain(ctx, domain))
  })
  r.add('PATCH', '/v3/domains/:guid', (ctx) => {
    const d = ctx.state.domains.get(ctx.req.params.guid!)
    if (!d || !domainVisible(ctx, d)) throw notFound('Domain')
    if (!(ctx.actor.admin || (d.orgGuid !== null && ctx.actor.orgHas(d.orgGuid, ['organization_manager'])))) {
      throw notAuthorized()
    }
    const body = parseJsonBody(ctx.req)
    const unknown = Object.keys(body).filter((k) => k !== 'metadata')
    if (unknown.length > 0) throw unprocessable(`Unknown field(s): '${unknown.join("', '")}'`)
    applyMetadata(d.metadata, body.metadata)
    d.updatedAt = ctx.state.now()
    return ok(presentDomain(ctx, d))
  })
}
