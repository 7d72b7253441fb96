/**
 * `/v3/apps/:guid/env` (§3.2) and `/v3/apps/:guid/environment_variables` (§3.3): roles,
 * feature flags, supporter redaction, merge semantics, and the audit event every read writes.
 */
import type {App} from '../core/model.js'
import {PRIVATE, recordEvent} from '../runtime/audit.js'
import {renderVcap, vcapEntries} from '../runtime/vcap.js'
import {DEV_SUPPORTER} from './actor.js'
import {appTarget, visibleApp} from './apps.js'
import type {CcCtx} from './context.js'
import {parseJsonBody, requireSpaceWrite} from './context.js'
import {featureDisabled, notAuthorized, unprocessable} from './errors.js'
import {link, ok, type CcRoutes} from './respond.js'

function routeUris(ctx: CcCtx, app: App): string[] {
  return ctx.state.routes.lookup('app', app.guid).map((r) => {
    const domain = ctx.state.domains.get(r.domainGuid)?.name ?? ''
    return r.port !== null ? `${domain}:${r.port}` : `${r.host ? `${r.host}.` : ''}${domain}${r.path}`
  })
}

function systemEnv(ctx: CcCtx, app: App): Record<string, unknown> {
  if (app.features['service-binding-k8s']) return {SERVICE_BINDING_ROOT: '/etc/cf-service-bindings'}
  if (app.features['file-based-vcap-services']) {
    return {VCAP_SERVICES_FILE_PATH: '/etc/cf-service-bindings/vcap_services'}
  }
  return {VCAP_SERVICES: renderVcap(vcapEntries(ctx.state, app.guid))}
}

function applicationEnv(ctx: CcCtx, app: App): Record<string, unknown> {
  const space = ctx.state.spaces.get(app.spaceGuid)
  const org = space ? ctx.state.orgs.get(space.orgGuid) : undefined
  const uris = routeUris(ctx, app)
  return {
    VCAP_APPLICATION: {
      application_id: app.guid,
      application_name: app.name,
      application_uris: uris,
      cf_api: ctx.api,
      limits: {fds: 16384},
      name: app.name,
      organization_id: org?.guid ?? null,
      organization_name: org?.name ?? null,
      space_id: app.spaceGuid,
      space_name: space?.name ?? null,
      uris,
      users: null,
    },
  }
}

export function registerAppEnv(r: CcRoutes): void {
  r.add('GET', '/v3/apps/:guid/env', (ctx) => {
    const app = visibleApp(ctx, ctx.req.params.guid!)
    const a = ctx.actor
    const flag = (name: string) => ctx.state.featureFlags.get(name)
    const envFlag = flag('env_var_visibility')
    if (envFlag && !envFlag.enabled) throw featureDisabled(envFlag.customErrorMessage ?? envFlag.name)
    const devFlag = flag('space_developer_env_var_visibility')
    if (devFlag && !devFlag.enabled && !a.admin && !a.adminReadOnly) {
      throw featureDisabled(devFlag.customErrorMessage ?? devFlag.name)
    }
    const full = a.admin || a.adminReadOnly || a.spaceHas(app.spaceGuid, ['space_developer'])
    const redacted = !full && a.spaceHas(app.spaceGuid, ['space_supporter'])
    if (!full && !redacted) throw notAuthorized()
    recordEvent(ctx.state, {
      type: 'audit.app.environment.show',
      actor: a.auditActor,
      target: appTarget(app),
      data: {request: {}},
      spaceGuid: app.spaceGuid,
    })
    return ok({
      environment_variables: {...app.environmentVariables},
      staging_env_json: {},
      running_env_json: {},
      system_env_json: redacted ? {redacted_message: PRIVATE} : systemEnv(ctx, app),
      application_env_json: applicationEnv(ctx, app),
    })
  })

  r.add('GET', '/v3/apps/:guid/environment_variables', (ctx) => {
    const app = visibleApp(ctx, ctx.req.params.guid!)
    const a = ctx.actor
    if (!(a.admin || a.adminReadOnly || a.spaceHas(app.spaceGuid, DEV_SUPPORTER))) throw notAuthorized()
    recordEvent(ctx.state, {
      type: 'audit.app.environment_variables.show',
      actor: a.auditActor,
      target: appTarget(app),
      data: {request: {}},
      spaceGuid: app.spaceGuid,
    })
    return ok(presentVars(ctx, app))
  })

  r.add('PATCH', '/v3/apps/:guid/environment_variables', (ctx) => {
    const app = visibleApp(ctx, ctx.req.params.guid!)
    requireSpaceWrite(ctx, app.spaceGuid, 'App', DEV_SUPPORTER)
    const body = parseJsonBody(ctx.req)
    const vars = body.var
    if (vars === null || typeof vars !== 'object' || Array.isArray(vars))
      throw unprocessable('Var must be an object')
    const next = {...app.environmentVariables}
    for (const [key, value] of Object.entries(vars as Record<string, unknown>)) {
      if (key === '') throw unprocessable('Environment variable names cannot be empty')
      if (/^VCAP_/i.test(key)) throw unprocessable('Environment variable names cannot start with VCAP_')
      if (key === 'PORT') throw unprocessable('Environment variable names cannot be PORT')
      if (value === null) delete next[key]
      else if (typeof value === 'string') next[key] = value
      else
        throw unprocessable(
          `Non-string value in environment variable for key '${key}', value '${JSON.stringify(value)}'`,
        )
    }
    app.environmentVariables = next
    app.updatedAt = ctx.state.now()
    recordEvent(ctx.state, {
      type: 'audit.app.update',
      actor: ctx.actor.auditActor,
      target: appTarget(app),
      data: {request: {environment_variables: PRIVATE}},
      spaceGuid: app.spaceGuid,
    })
    return ok(presentVars(ctx, app))
  })
}

function presentVars(ctx: CcCtx, app: App) {
  return {
    var: {...app.environmentVariables},
    links: {
      self: link(ctx, `/v3/apps/${app.guid}/environment_variables`),
      app: link(ctx, `/v3/apps/${app.guid}`),
    },
  }
}
