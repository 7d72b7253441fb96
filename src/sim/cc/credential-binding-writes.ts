import {withRow} from '../core/table.js'
/**
 * Service credential bindings, writes (§5.5–5.6): UPS → 201 at once, managed → 202 + job;
 * `strategy: "multiple"` (CC ≥ 3.205) up to the configured limit, same-name rule, in-progress
 * and delete-in-progress refusals; delete; metadata.
 */
import type {App, CredentialBinding, ServiceInstance} from '../core/model.js'
import {PRIVATE, recordEvent} from '../runtime/audit.js'
import {brokerCredentials, offeringOf, releaseBrokerCredentials} from '../runtime/broker.js'
import {DEV_SUPPORTER} from './actor.js'
import type {CcCtx} from './context.js'
import {parseJsonBody} from './context.js'
import {insufficientScope, notAuthorized, unprocessable} from './errors.js'
import {createJob} from './jobs.js'
import {applyMetadata, emptyMetadata} from './metadata.js'
import {accepted, created, ok, type CcRoutes} from './respond.js'
import {bindingSpace, bindingTarget, presentBinding, visibleBinding} from './credential-bindings.js'
import {lastOp} from './service-instance-writes.js'
import {deleteBinding, patchBindingMetadata} from './binding-writes.js'

function eventPrefix(b: CredentialBinding): string {
  return b.type === 'app' ? 'audit.service_binding' : 'audit.service_key'
}

/** The rules CC enforces on a new app binding (app/actions/service_credential_binding_app_create.rb). */
function checkAppBindingRules(
  ctx: CcCtx,
  app: App,
  si: ServiceInstance,
  name: string | null,
  strategy: 'single' | 'multiple',
): void {
  // Failed creates are cleaned up first and do not count.
  for (const b of ctx.state.bindings.lookup('app', app.guid)) {
    if (
      b.serviceInstanceGuid === si.guid &&
      b.lastOperation.type === 'create' &&
      b.lastOperation.state === 'failed'
    ) {
      releaseBrokerCredentials(ctx.state, b)
      ctx.state.bindings.delete(b.guid)
    }
  }
  const pair = ctx.state.bindings.lookup('app', app.guid).filter((b) => b.serviceInstanceGuid === si.guid)
  const limit = ctx.state.config.maxBindingsPerAppServiceInstance
  if (pair.length > 0 && (strategy === 'single' || limit <= 1)) {
    throw unprocessable('The app is already bound to the service instance.')
  }
  const inProgress = pair.find(
    (b) => b.lastOperation.type === 'create' && b.lastOperation.state !== 'succeeded',
  )
  if (inProgress) {
    throw unprocessable(
      `There is already a binding in progress for this service instance and app (binding guid: ${inProgress.guid})`,
    )
  }
  const deleting = pair.find((b) => b.lastOperation.type === 'delete')
  if (deleting) {
    throw unprocessable(
      `There is already a binding delete in progress for this service instance and app (binding guid: ${deleting.guid})`,
    )
  }
  if (pair.length >= limit) {
    throw unprocessable(
      `The app has too many bindings to this service instance (limit: ${limit}). Consider deleting existing/orphaned bindings.`,
    )
  }
  if (pair.some((b) => b.name !== name)) {
    throw unprocessable('The binding name cannot be changed for the same app and service instance.')
  }
  if (
    name !== null &&
    ctx.state.bindings
      .lookup('app', app.guid)
      .some((b) => b.serviceInstanceGuid !== si.guid && b.name === name)
  ) {
    throw unprocessable(
      `The binding name is invalid. App binding names must be unique. The app already has a binding with name '${name}'.`,
    )
  }
}

/** The audit-event writer of one request on binding `b`; `request()` builds each event's `data.request`. */
function bindingEventWriter(
  ctx: CcCtx,
  b: CredentialBinding,
  space: string,
  request: () => Record<string, unknown>,
) {
  return (kind: string, at?: number) =>
    recordEvent(ctx.state, {
      type: `${eventPrefix(b)}.${kind}`,
      actor: ctx.actor.auditActor,
      target: bindingTarget(b),
      data: {request: request()},
      spaceGuid: space,
      at,
    })
}

/** Type, name and strategy of a new binding, validated in CC's order. */
function bindingKind(
  ctx: CcCtx,
  body: Record<string, unknown>,
): {type: 'app' | 'key'; name: string | null; strategy: 'single' | 'multiple'} {
  const type = body.type
  if (type !== 'app' && type !== 'key') throw unprocessable("Type must be 'app' or 'key'")
  const name = body.name === undefined || body.name === null ? null : body.name
  if (name !== null && typeof name !== 'string') throw unprocessable('Name must be a string')
  if (type === 'key' && name === null) throw unprocessable("Name can't be blank")
  let strategy: 'single' | 'multiple' = 'single'
  if (body.strategy !== undefined) {
    if (!ctx.state.ccVersionAtLeast('3.205.0')) throw unprocessable("Unknown field(s): 'strategy'")
    if (body.strategy !== 'single' && body.strategy !== 'multiple')
      throw unprocessable("Strategy must be one of 'single', 'multiple'")
    if (type !== 'app') throw unprocessable("Strategy can only be used with type 'app'")
    strategy = body.strategy
  }
  return {type, name: name as string | null, strategy}
}

/** The service instance and (for `app`) the app of a new binding, and the space whose roles decide. */
function bindingParties(ctx: CcCtx, body: Record<string, unknown>, type: 'app' | 'key') {
  const rels = (body.relationships ?? {}) as Record<string, {data?: {guid?: string}}>
  const siGuid = rels.service_instance?.data?.guid ?? ''
  const si = ctx.state.serviceInstances.get(siGuid)
  if (!si || ![si.spaceGuid, ...si.sharedSpaceGuids].some((s) => ctx.actor.canReadSpace(s))) {
    throw unprocessable(`The service instance could not be found: '${siGuid}'.`)
  }
  let app: App | undefined
  if (type === 'app') {
    const appGuid = rels.app?.data?.guid ?? ''
    app = ctx.state.apps.get(appGuid)
    if (!app || !ctx.actor.canReadSpace(app.spaceGuid))
      throw unprocessable(`The app could not be found: '${appGuid}'.`)
    if (app.spaceGuid !== si.spaceGuid && !si.sharedSpaceGuids.includes(app.spaceGuid)) {
      throw unprocessable('The service instance and the app are in different spaces.')
    }
  }
  const space = app ? app.spaceGuid : si.spaceGuid
  if (!ctx.actor.hasWriteScope) throw insufficientScope()
  if (!ctx.actor.canWrite(space, type === 'app' ? DEV_SUPPORTER : ['space_developer'])) throw notAuthorized()
  return {si, app, space}
}

function checkBindingRules(
  ctx: CcCtx,
  body: Record<string, unknown>,
  kind: ReturnType<typeof bindingKind>,
  {si, app}: {si: ServiceInstance; app: App | undefined},
): void {
  const {type, name, strategy} = kind
  if (si.type === 'user-provided') {
    if (type === 'key')
      throw unprocessable(
        'Service credential bindings of type key are not supported for user-provided service instances.',
      )
    if (body.parameters !== undefined)
      throw unprocessable('Binding parameters are not supported for user-provided service instances')
  }
  if (app) checkAppBindingRules(ctx, app, si, name, strategy)
  else if (ctx.state.bindings.lookup('instance', si.guid).some((b) => b.type === 'key' && b.name === name)) {
    throw unprocessable(
      `The binding name is invalid. Key binding names must be unique. The service instance already has a key binding with name '${name}'.`,
    )
  }
}

function createBinding(ctx: CcCtx) {
  const body = parseJsonBody(ctx.req)
  const kind = bindingKind(ctx, body)
  const parties = bindingParties(ctx, body, kind.type)
  checkBindingRules(ctx, body, kind, parties)
  const {si, app, space} = parties
  const now = ctx.state.now()
  const binding = withRow<CredentialBinding>(ctx.state.row(now), {
    name: kind.name,
    type: kind.type,
    appGuid: app?.guid ?? null,
    serviceInstanceGuid: si.guid,
    credentials: si.type === 'user-provided' ? si.credentials : {},
    syslogDrainUrl: si.type === 'user-provided' ? si.syslogDrainUrl : null,
    parameters: (body.parameters as Record<string, unknown> | undefined) ?? {},
    lastOperation: lastOp('create', si.type === 'user-provided' ? 'succeeded' : 'in progress', now),
    brokerClientId: null,
    metadata: emptyMetadata(),
  })
  applyMetadata(binding.metadata, body.metadata)
  ctx.state.bindings.add(binding)
  const request = {...body, ...(body.parameters !== undefined ? {parameters: PRIVATE} : {})}
  const event = bindingEventWriter(ctx, binding, space, () => request)
  if (si.type === 'user-provided') {
    event('create')
    return created(presentBinding(ctx, binding))
  }
  event('start_create')
  return brokerBindingJob(ctx, binding, si, event)
}

/** A managed binding: the broker issues credentials in a job (or fails if its offering says so). */
function brokerBindingJob(
  ctx: CcCtx,
  binding: CredentialBinding,
  si: ServiceInstance,
  event: (kind: string, at?: number) => unknown,
) {
  const offering = offeringOf(ctx.state, si)
  const job = createJob(ctx.state, {
    operation: binding.type === 'app' ? 'service_bindings.create' : 'service_keys.create',
    brokered: true,
    resourceLink: {
      name: 'service_credential_binding',
      path: `/v3/service_credential_bindings/${binding.guid}`,
    },
    onComplete: (at) => {
      if (offering?.brokerFails) {
        binding.lastOperation = lastOp('create', 'failed', at)
        return {ok: false, detail: `Service broker error: ${offering.name} could not create the binding`}
      }
      const issued = brokerCredentials(ctx.state, si, at)
      binding.credentials = issued.credentials
      binding.brokerClientId = issued.clientId
      binding.lastOperation = lastOp('create', 'succeeded', at)
      binding.updatedAt = at
      event('create', at)
      return {ok: true}
    },
  })
  return accepted(ctx, job.guid)
}

function deleteCredentialBinding(ctx: CcCtx) {
  const b = visibleBinding(ctx, ctx.req.params.guid!)
  const space = bindingSpace(ctx, b)!
  if (!ctx.actor.hasWriteScope) throw insufficientScope()
  if (!ctx.actor.canWrite(space, b.type === 'app' ? DEV_SUPPORTER : ['space_developer']))
    throw notAuthorized()
  const si = ctx.state.serviceInstances.get(b.serviceInstanceGuid)
  return deleteBinding(ctx, b, {
    managed: si?.type === 'managed',
    operation: b.type === 'app' ? 'service_bindings.delete' : 'service_keys.delete',
    remove: () => {
      if (si?.type === 'managed') releaseBrokerCredentials(ctx.state, b)
      ctx.state.bindings.delete(b.guid)
    },
    event: bindingEventWriter(ctx, b, space, () => ({
      app_guid: b.appGuid,
      service_instance_guid: b.serviceInstanceGuid,
    })),
  })
}

function updateCredentialBinding(ctx: CcCtx) {
  const b = visibleBinding(ctx, ctx.req.params.guid!)
  const space = bindingSpace(ctx, b)!
  if (!ctx.actor.canWrite(space)) throw notAuthorized()
  patchBindingMetadata(ctx, b, {
    type: `${eventPrefix(b)}.update`,
    target: bindingTarget(b),
    spaceGuid: space,
  })
  return ok(presentBinding(ctx, b))
}

export function registerCredentialBindingWrites(r: CcRoutes): void {
  r.add('POST', '/v3/service_credential_bindings', createBinding)
  r.add('DELETE', '/v3/service_credential_bindings/:guid', deleteCredentialBinding)
  r.add('PATCH', '/v3/service_credential_bindings/:guid', updateCredentialBinding)
}
