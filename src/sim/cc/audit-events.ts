/** Audit events (§7): list/get with type/target/space/org/time filters and role visibility. */
import type {AuditEvent} from '../core/model.js'
import type {CcCtx} from './context.js'
import {notFound} from './errors.js'
import {inList, listResponse, stamps} from './list.js'
import {link, ok, type CcRoutes} from './respond.js'

export function presentEvent(ctx: CcCtx, e: AuditEvent) {
  return {
    ...stamps(e),
    type: e.type,
    actor: e.actor,
    target: e.target,
    data: e.data,
    space: e.spaceGuid ? {guid: e.spaceGuid} : null,
    organization: e.orgGuid ? {guid: e.orgGuid} : null,
    links: {self: link(ctx, `/v3/audit_events/${e.guid}`)},
  }
}

export function registerAuditEvents(r: CcRoutes): void {
  r.add('GET', '/v3/audit_events', (ctx) => {
    const targets = ctx.query.list('target_guids')
    const rows = targets ? ctx.state.events.lookupMany('target', targets) : ctx.state.events.all()
    const visible = ctx.actor.readAll
      ? rows
      : [...rows].filter((e) => ctx.actor.canReadEvent(e.spaceGuid, e.orgGuid))
    return ok(
      listResponse(
        ctx,
        visible,
        {
          path: '/v3/audit_events',
          filters: {
            types: inList((e) => e.type),
            target_guids: inList((e) => e.target.guid),
            'target_guids[not]': (e, values) => !values.includes(e.target.guid),
            space_guids: inList((e) => e.spaceGuid),
            organization_guids: inList((e) => e.orgGuid),
          },
        },
        (e) => presentEvent(ctx, e),
      ),
    )
  })
  r.add('GET', '/v3/audit_events/:guid', (ctx) => {
    const e = ctx.state.events.get(ctx.req.params.guid!)
    if (!e || !ctx.actor.canReadEvent(e.spaceGuid, e.orgGuid)) throw notFound('Event')
    return ok(presentEvent(ctx, e))
  })
}
