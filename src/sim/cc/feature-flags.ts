/** `/v3/feature_flags` (env visibility, route sharing, hash routing…). */
import {iso} from '../core/clock.js'
import type {FeatureFlag} from '../core/model.js'
import type {CcCtx} from './context.js'
import {parseJsonBody, requireAdmin} from './context.js'
import {notFound} from './errors.js'
import {link, ok, type CcRoutes} from './respond.js'

function present(ctx: CcCtx, f: FeatureFlag) {
  return {
    name: f.name,
    enabled: f.enabled,
    updated_at: f.updatedAt === null ? null : iso(f.updatedAt),
    custom_error_message: f.customErrorMessage,
    links: {self: link(ctx, `/v3/feature_flags/${f.name}`)},
  }
}

export function registerFeatureFlags(r: CcRoutes): void {
  r.add('GET', '/v3/feature_flags', (ctx) => {
    ctx.query.validate(['page', 'per_page', 'order_by', 'updated_ats'])
    const flags = [...ctx.state.featureFlags.values()].sort((a, b) => a.name.localeCompare(b.name))
    const self = `${ctx.api}/v3/feature_flags?page=1&per_page=50`
    return ok({
      pagination: {
        total_results: flags.length,
        total_pages: 1,
        first: {href: self},
        last: {href: self},
        next: null,
        previous: null,
      },
      resources: flags.map((f) => present(ctx, f)),
    })
  })
  r.add('GET', '/v3/feature_flags/:name', (ctx) => {
    const flag = ctx.state.featureFlags.get(ctx.req.params.name!)
    if (!flag) throw notFound('Feature flag')
    return ok(present(ctx, flag))
  })
  r.add('PATCH', '/v3/feature_flags/:name', (ctx) => {
    requireAdmin(ctx)
    const flag = ctx.state.featureFlags.get(ctx.req.params.name!)
    if (!flag) throw notFound('Feature flag')
    const body = parseJsonBody(ctx.req)
    if (typeof body.enabled === 'boolean') flag.enabled = body.enabled
    if (body.custom_error_message === null || typeof body.custom_error_message === 'string') {
      flag.customErrorMessage = body.custom_error_message
    }
    flag.updatedAt = ctx.state.now()
    return ok(present(ctx, flag))
  })
}
