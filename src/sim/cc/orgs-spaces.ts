/** Organizations and spaces (enough for targeting and includes). */
import type {Org, Space} from '../core/model.js'
import {recordEvent} from '../runtime/audit.js'
import type {CcCtx} from './context.js'
import {parseJsonBody} from './context.js'
import {actorEvent} from './events.js'
import {notAuthorized, notFound} from './errors.js'
import {inList, inListCaseInsensitive, listResponse, stamps} from './list.js'
import {applyMetadata, presentMetadata} from './metadata.js'
import {link, ok, rel, type CcRoutes} from './respond.js'

export function presentOrg(ctx: CcCtx, o: Org) {
  return {
    ...stamps(o),
    name: o.name,
    suspended: false,
    relationships: {quota: rel(`quota-${o.guid}`)},
    metadata: presentMetadata(o.metadata),
    links: {
      self: link(ctx, `/v3/organizations/${o.guid}`),
      domains: link(ctx, `/v3/organizations/${o.guid}/domains`),
      default_domain: link(ctx, `/v3/organizations/${o.guid}/domains/default`),
      quota: link(ctx, `/v3/organization_quotas/quota-${o.guid}`),
    },
  }
}

export function presentSpace(ctx: CcCtx, s: Space) {
  return {
    ...stamps(s),
    name: s.name,
    relationships: {organization: rel(s.orgGuid), quota: rel(null)},
    metadata: presentMetadata(s.metadata),
    links: {
      self: link(ctx, `/v3/spaces/${s.guid}`),
      features: link(ctx, `/v3/spaces/${s.guid}/features`),
      organization: link(ctx, `/v3/organizations/${s.orgGuid}`),
      apply_manifest: {href: `${ctx.api}/v3/spaces/${s.guid}/actions/apply_manifest`, method: 'POST'},
    },
  }
}

/** `include=space` / `space.organization` for resources that live in a space. */
export function spaceIncludes<T>(ctx: CcCtx, spaceOf: (row: T) => string | null) {
  const spaces = (rows: T[]) =>
    rows
      .map(spaceOf)
      .filter((g): g is string => g !== null)
      .map((g) => ctx.state.spaces.get(g))
      .filter((s): s is Space => s !== undefined)
  return {
    space: (rows: T[]) => ({spaces: spaces(rows).map((s) => presentSpace(ctx, s))}),
    'space.organization': (rows: T[]) => {
      const ss = spaces(rows)
      const orgs = ss.map((s) => ctx.state.orgs.get(s.orgGuid)).filter((o): o is Org => o !== undefined)
      return {spaces: ss.map((s) => presentSpace(ctx, s)), organizations: orgs.map((o) => presentOrg(ctx, o))}
    },
  }
}

function visibleOrg(ctx: CcCtx, guid: string): Org {
  const org = ctx.state.orgs.get(guid)
  if (!org || !ctx.actor.canReadOrg(guid)) throw notFound('Organization')
  return org
}

function visibleSpace(ctx: CcCtx, guid: string): Space {
  const space = ctx.state.spaces.get(guid)
  if (!space || !ctx.actor.canReadSpace(guid)) throw notFound('Space')
  return space
}

/** The PATCH body of an org or space applied (name, metadata); returns the body for the audit event. */
function renameAndLabel(ctx: CcCtx, row: Org | Space): Record<string, unknown> {
  const body = parseJsonBody(ctx.req)
  if (typeof body.name === 'string') row.name = body.name
  applyMetadata(row.metadata, body.metadata)
  row.updatedAt = ctx.state.now()
  return body
}

export function registerOrgsSpaces(r: CcRoutes): void {
  r.add('GET', '/v3/organizations', (ctx) => {
    const rows = [...ctx.state.orgs.all()].filter((o) => ctx.actor.canReadOrg(o.guid))
    return ok(
      listResponse(
        ctx,
        rows,
        {
          path: '/v3/organizations',
          filters: {names: inListCaseInsensitive((o) => o.name), guids: inList((o) => o.guid)},
          orderBy: {name: (o) => o.name},
          labels: (o) => o.metadata.labels,
        },
        (o) => presentOrg(ctx, o),
      ),
    )
  })
  r.add('GET', '/v3/organizations/:guid', (ctx) => ok(presentOrg(ctx, visibleOrg(ctx, ctx.req.params.guid!))))
  r.add('PATCH', '/v3/organizations/:guid', (ctx) => {
    const org = visibleOrg(ctx, ctx.req.params.guid!)
    if (!ctx.actor.admin && !ctx.actor.orgHas(org.guid, ['organization_manager'])) throw notAuthorized()
    const body = renameAndLabel(ctx, org)
    recordEvent(ctx.state, {
      type: 'audit.organization.update',
      actor: ctx.actor.auditActor,
      target: {guid: org.guid, type: 'organization', name: org.name},
      data: {request: body},
      spaceGuid: null,
      orgGuid: org.guid,
    })
    return ok(presentOrg(ctx, org))
  })

  r.add('GET', '/v3/spaces', (ctx) => {
    const readable = ctx.actor.readableSpaces()
    const rows =
      readable === 'all'
        ? ctx.state.spaces.all()
        : [...readable]
            .map((g) => ctx.state.spaces.get(g)!)
            .filter(Boolean)
            .sort((a, b) => a.seq - b.seq)
    return ok(
      listResponse(
        ctx,
        rows,
        {
          path: '/v3/spaces',
          filters: {
            names: inList((s) => s.name),
            guids: inList((s) => s.guid),
            organization_guids: inList((s) => s.orgGuid),
          },
          orderBy: {name: (s) => s.name},
          labels: (s) => s.metadata.labels,
          includes: {
            organization: (rows) => ({
              organizations: rows
                .map((s) => ctx.state.orgs.get(s.orgGuid))
                .filter((o): o is Org => o !== undefined)
                .map((o) => presentOrg(ctx, o)),
            }),
          },
        },
        (s) => presentSpace(ctx, s),
      ),
    )
  })
  r.add('GET', '/v3/spaces/:guid', (ctx) => {
    const space = visibleSpace(ctx, ctx.req.params.guid!)
    const body: Record<string, unknown> = presentSpace(ctx, space)
    if (ctx.query.list('include')?.includes('organization')) {
      const org = ctx.state.orgs.get(space.orgGuid)
      body.included = {organizations: org ? [presentOrg(ctx, org)] : []}
    }
    return ok(body)
  })
  r.add('PATCH', '/v3/spaces/:guid', (ctx) => {
    const space = visibleSpace(ctx, ctx.req.params.guid!)
    if (!ctx.actor.admin && !ctx.actor.spaceHas(space.guid, ['space_manager'])) throw notAuthorized()
    const body = renameAndLabel(ctx, space)
    const target = {guid: space.guid, type: 'space', name: space.name}
    actorEvent(ctx, 'audit.space.update', target, {request: body}, space.guid)
    return ok(presentSpace(ctx, space))
  })
}
