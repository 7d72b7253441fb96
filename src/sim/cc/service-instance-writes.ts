/**
 * Service instances, writes (§5.3–5.4). UPS PATCH replaces the whole credentials object and
 * copies it into every binding; every UPS PATCH creates a new `last_operation`; the audit event's
 * `data.request` has `credentials` only when credentials were sent.
 */
import type {LastOperation, ServiceInstance} from '../core/model.js'
import {PRIVATE, recordEvent} from '../runtime/audit.js'
import {releaseBrokerCredentials} from '../runtime/broker.js'
import type {CcCtx} from './context.js'
import {parseJsonBody, requireSpaceWrite} from './context.js'
import {unprocessable} from './errors.js'
import {createJob} from './jobs.js'
import {applyMetadata, emptyMetadata} from './metadata.js'
import {accepted, created, noContent, ok, type CcRoutes} from './respond.js'
import {presentServiceInstance, siTarget, visibleServiceInstance} from './service-instances.js'

export function lastOp(
  type: LastOperation['type'],
  state: LastOperation['state'],
  at: number,
): LastOperation {
  const description =
    state === 'succeeded' ? 'Operation succeeded' : state === 'failed' ? 'Operation failed' : ''
  return {type, state, description, createdAt: at, updatedAt: at}
}

function censored(body: Record<string, unknown>): Record<string, unknown> {
  const out = {...body}
  if ('credentials' in out) out.credentials = PRIVATE
  if ('parameters' in out) out.parameters = PRIVATE
  return out
}

function objectOrThrow(v: unknown, name: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw unprocessable(`${name} must be an object`)
  return v as Record<string, unknown>
}

function tagsOrThrow(v: unknown): string[] {
  if (!Array.isArray(v) || v.some((t) => typeof t !== 'string'))
    throw unprocessable('Tags must be a list of strings')
  if (v.join('').length > 2048) throw unprocessable('Tags combined must be no more than 2048 characters')
  return v as string[]
}

function urlOrNull(v: unknown, name: string, httpsOnly: boolean): string | null {
  if (v === null || v === '') return null
  if (typeof v !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\//i.test(v))
    throw unprocessable(`${name} must be a valid url`)
  if (httpsOnly && !v.startsWith('https://')) throw unprocessable(`${name} must be https`)
  return v
}

function nameTaken(ctx: CcCtx, spaceGuid: string, name: string, except?: string): boolean {
  return ctx.state.serviceInstances
    .lookup('space', spaceGuid)
    .some((si) => si.spaceGuid === spaceGuid && si.name === name && si.guid !== except)
}

/** The audit-event writer of one request on `si`; `request()` builds each event's `data.request`. */
function siEventWriter(ctx: CcCtx, si: ServiceInstance, request: () => Record<string, unknown>) {
  return (type: string, at?: number) =>
    recordEvent(ctx.state, {
      type,
      actor: ctx.actor.auditActor,
      target: siTarget(si),
      data: {request: request()},
      spaceGuid: si.spaceGuid,
      at,
    })
}

function unknownFieldsOrThrow(body: Record<string, unknown>, allowed: string[]): void {
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k))
  if (unknown.length > 0) throw unprocessable(`Unknown field(s): '${unknown.join("', '")}'`)
}

type SiBase = Omit<
  ServiceInstance,
  'type' | 'planGuid' | 'credentials' | 'syslogDrainUrl' | 'routeServiceUrl' | 'parameters' | 'lastOperation'
>

function createServiceInstance(ctx: CcCtx) {
  const body = parseJsonBody(ctx.req)
  const type = body.type
  if (type !== 'user-provided' && type !== 'managed')
    throw unprocessable("Type must be one of 'managed', 'user-provided'")
  const name = body.name
  if (typeof name !== 'string' || name === '') throw unprocessable('Name must be a string')
  const rels = (body.relationships ?? {}) as Record<string, {data?: {guid?: string}}>
  const space = ctx.state.spaces.get(rels.space?.data?.guid ?? '')
  if (!space || !ctx.actor.canReadSpace(space.guid)) {
    throw unprocessable('Invalid space. Ensure that the space exists and you have access to it.')
  }
  requireSpaceWrite(ctx, space.guid, 'Space')
  if (nameTaken(ctx, space.guid, name)) throw unprocessable(`The service instance name is taken: ${name}.`)
  const now = ctx.state.now()
  const base: SiBase = Object.assign(ctx.state.row(now), {
    name,
    spaceGuid: space.guid,
    tags: body.tags === undefined ? [] : tagsOrThrow(body.tags),
    sharedSpaceGuids: [],
    metadata: emptyMetadata(),
    dashboardUrl: null,
  })
  if (type === 'user-provided') return createUserProvided(ctx, body, base, now)
  return createManaged(ctx, body, base, rels.service_plan?.data?.guid, now)
}

function createUserProvided(ctx: CcCtx, body: Record<string, unknown>, base: SiBase, now: number) {
  if (body.parameters !== undefined) throw unprocessable("Unknown field(s): 'parameters'")
  const si: ServiceInstance = {
    ...base,
    type: 'user-provided',
    planGuid: null,
    credentials: body.credentials === undefined ? {} : objectOrThrow(body.credentials, 'Credentials'),
    syslogDrainUrl: urlOrNull(body.syslog_drain_url ?? null, 'Syslog drain url', false),
    routeServiceUrl: urlOrNull(body.route_service_url ?? null, 'Route service url', true),
    parameters: {},
    lastOperation: lastOp('create', 'succeeded', now),
  }
  applyMetadata(si.metadata, body.metadata)
  ctx.state.serviceInstances.add(si)
  siEventWriter(ctx, si, () => censored(body))('audit.user_provided_service_instance.create')
  return created(presentServiceInstance(ctx, si))
}

function createManaged(
  ctx: CcCtx,
  body: Record<string, unknown>,
  base: SiBase,
  planGuid: string | undefined,
  now: number,
) {
  const plan = ctx.state.plans.get(planGuid ?? '')
  if (!plan)
    throw unprocessable(
      'Invalid service plan. Ensure that the service plan exists, is available, and you have access to it.',
    )
  const si: ServiceInstance = {
    ...base,
    type: 'managed',
    planGuid: plan.guid,
    credentials: {},
    syslogDrainUrl: null,
    routeServiceUrl: null,
    parameters: body.parameters === undefined ? {} : objectOrThrow(body.parameters, 'Parameters'),
    lastOperation: lastOp('create', 'in progress', now),
  }
  applyMetadata(si.metadata, body.metadata)
  ctx.state.serviceInstances.add(si)
  const write = siEventWriter(ctx, si, () => censored(body))
  const event = (kind: string, at?: number) => write(`audit.service_instance.${kind}`, at)
  event('start_create')
  return brokerJob(ctx, si, 'create', event)
}

/** The broker finishes a create or update in a job: then `apply`, the operation succeeded, the event. */
function brokerJob(
  ctx: CcCtx,
  si: ServiceInstance,
  type: 'create' | 'update',
  event: (kind: string, at?: number) => unknown,
  apply: () => void = () => {},
) {
  const job = createJob(ctx.state, {
    operation: `service_instance.${type}`,
    brokered: true,
    resourceLink: {name: 'service_instances', path: `/v3/service_instances/${si.guid}`},
    onComplete: (at) => {
      apply()
      si.lastOperation = lastOp(type, 'succeeded', at)
      si.updatedAt = at
      event(type, at)
      return {ok: true}
    },
  })
  return accepted(ctx, job.guid)
}

function updateServiceInstance(ctx: CcCtx) {
  const si = visibleServiceInstance(ctx, ctx.req.params.guid!)
  requireSpaceWrite(ctx, si.spaceGuid, 'Service instance')
  const body = parseJsonBody(ctx.req)
  const now = ctx.state.now()
  if (body.name !== undefined) {
    if (typeof body.name !== 'string' || body.name === '') throw unprocessable('Name must be a string')
    if (nameTaken(ctx, si.spaceGuid, body.name, si.guid))
      throw unprocessable(`The service instance name is taken: ${body.name}.`)
  }
  const tags = body.tags === undefined ? undefined : tagsOrThrow(body.tags)
  return si.type === 'user-provided'
    ? updateUserProvided(ctx, si, body, tags, now)
    : updateManaged(ctx, si, body, tags, now)
}

function updateUserProvided(
  ctx: CcCtx,
  si: ServiceInstance,
  body: Record<string, unknown>,
  tags: string[] | undefined,
  now: number,
) {
  unknownFieldsOrThrow(body, [
    'name',
    'credentials',
    'tags',
    'syslog_drain_url',
    'route_service_url',
    'metadata',
  ])
  const credentials =
    body.credentials === undefined ? undefined : objectOrThrow(body.credentials, 'Credentials')
  const syslog =
    body.syslog_drain_url === undefined
      ? undefined
      : urlOrNull(body.syslog_drain_url, 'Syslog drain url', false)
  const routeService =
    body.route_service_url === undefined
      ? undefined
      : urlOrNull(body.route_service_url, 'Route service url', true)
  applyMetadata(si.metadata, body.metadata)
  if (typeof body.name === 'string') si.name = body.name
  if (tags !== undefined) si.tags = tags
  if (credentials !== undefined) si.credentials = {...credentials}
  if (syslog !== undefined) si.syslogDrainUrl = syslog
  if (routeService !== undefined) si.routeServiceUrl = routeService
  // New credentials (and drain URL) reach every existing binding at once; containers keep
  // the old values until restarted.
  for (const b of ctx.state.bindings.lookup('instance', si.guid)) {
    if (credentials !== undefined) b.credentials = si.credentials
    if (syslog !== undefined) b.syslogDrainUrl = si.syslogDrainUrl
    if (credentials !== undefined || syslog !== undefined) b.updatedAt = now
  }
  if (routeService !== undefined) {
    for (const rb of ctx.state.routeBindings.lookup('instance', si.guid)) {
      rb.routeServiceUrl = si.routeServiceUrl
      rb.updatedAt = now
    }
  }
  si.lastOperation = lastOp('update', 'succeeded', now)
  si.updatedAt = now
  siEventWriter(ctx, si, () => censored(body))('audit.user_provided_service_instance.update')
  return ok(presentServiceInstance(ctx, si))
}

function updateManaged(
  ctx: CcCtx,
  si: ServiceInstance,
  body: Record<string, unknown>,
  tags: string[] | undefined,
  now: number,
) {
  unknownFieldsOrThrow(body, ['name', 'tags', 'parameters', 'relationships', 'maintenance_info', 'metadata'])
  const parameters = body.parameters === undefined ? undefined : objectOrThrow(body.parameters, 'Parameters')
  applyMetadata(si.metadata, body.metadata)
  if (typeof body.name === 'string') si.name = body.name
  if (tags !== undefined) si.tags = tags
  const brokered =
    body.parameters !== undefined || body.relationships !== undefined || body.maintenance_info !== undefined
  const write = siEventWriter(ctx, si, () => censored(body))
  const event = (kind: string, at?: number) => write(`audit.service_instance.${kind}`, at)
  if (!brokered) {
    si.updatedAt = now
    event('update')
    return ok(presentServiceInstance(ctx, si))
  }
  const planGuid = (body.relationships as {service_plan?: {data?: {guid?: string}}} | undefined)?.service_plan
    ?.data?.guid
  if (planGuid !== undefined && !ctx.state.plans.get(planGuid)) throw unprocessable('Invalid service plan.')
  si.lastOperation = lastOp('update', 'in progress', now)
  event('start_update')
  return brokerJob(ctx, si, 'update', event, () => {
    if (parameters !== undefined) si.parameters = parameters
    if (planGuid !== undefined) si.planGuid = planGuid
  })
}

function deleteServiceInstance(ctx: CcCtx) {
  const si = visibleServiceInstance(ctx, ctx.req.params.guid!)
  requireSpaceWrite(ctx, si.spaceGuid, 'Service instance')
  const purge = ctx.query.single('purge') === 'true'
  const removeAll = () => {
    for (const b of ctx.state.bindings.lookup('instance', si.guid)) {
      releaseBrokerCredentials(ctx.state, b)
      ctx.state.bindings.delete(b.guid)
    }
    for (const rb of ctx.state.routeBindings.lookup('instance', si.guid))
      ctx.state.routeBindings.delete(rb.guid)
    ctx.state.serviceInstances.delete(si.guid)
  }
  const event = siEventWriter(ctx, si, () => ({}))
  if (si.type === 'user-provided' || purge) {
    removeAll()
    event(
      si.type === 'user-provided'
        ? 'audit.user_provided_service_instance.delete'
        : 'audit.service_instance.purge',
    )
    return noContent()
  }
  si.lastOperation = lastOp('delete', 'in progress', ctx.state.now())
  event('audit.service_instance.start_delete')
  const job = createJob(ctx.state, {
    operation: 'service_instance.delete',
    brokered: true,
    onComplete: (at) => {
      removeAll()
      event('audit.service_instance.delete', at)
      return {ok: true}
    },
  })
  return accepted(ctx, job.guid)
}

export function registerServiceInstanceWrites(r: CcRoutes): void {
  r.add('POST', '/v3/service_instances', createServiceInstance)
  r.add('PATCH', '/v3/service_instances/:guid', updateServiceInstance)
  r.add('DELETE', '/v3/service_instances/:guid', deleteServiceInstance)
}
