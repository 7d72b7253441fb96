/** Processes (§3.4): list/get, update (health checks), scale, kill an instance, embed. */
import type {App, HealthCheck, Process} from '../core/model.js'
import {PRIVATE} from '../runtime/audit.js'
import {killInstance, scaleProcess, startProcess} from '../runtime/diego.js'
import {DEV_SUPPORTER} from './actor.js'
import {appTarget, visibleApp} from './apps.js'
import type {CcCtx} from './context.js'
import {parseJsonBody, requireSpaceWrite} from './context.js'
import type {SimResponse} from '../server/types.js'
import {badQuery, notFound, unprocessable} from './errors.js'
import {actorEvent} from './events.js'
import {inList, listResponse, stamps} from './list.js'
import {applyMetadata, presentMetadata} from './metadata.js'
import {link, ok, postLink, rel, type CcRoutes} from './respond.js'
import {processInstancesBody, registerStats} from './stats.js'

function presentHealthCheck(h: HealthCheck, readiness: boolean) {
  const data: Record<string, unknown> = readiness
    ? {invocation_timeout: h.invocationTimeout, interval: h.interval}
    : {timeout: h.timeout, invocation_timeout: h.invocationTimeout, interval: h.interval}
  if (h.type === 'http') data.endpoint = h.endpoint
  return {type: h.type, data}
}

export function presentProcess(ctx: CcCtx, p: Process, app: App, embed: boolean) {
  const base = `/v3/processes/${p.guid}`
  const links: Record<string, unknown> = {
    self: link(ctx, base),
    scale: postLink(ctx, `${base}/actions/scale`),
    app: link(ctx, `/v3/apps/${p.appGuid}`),
    space: link(ctx, `/v3/spaces/${app.spaceGuid}`),
    stats: link(ctx, `${base}/stats`),
  }
  if (ctx.state.ccVersionAtLeast('3.211.0')) links.process_instances = link(ctx, `${base}/process_instances`)
  const out: Record<string, unknown> = {
    ...stamps(p),
    type: p.type,
    command: ctx.actor.canReadSecrets(app.spaceGuid) ? p.command : PRIVATE,
    user: 'vcap',
    instances: p.instances,
    memory_in_mb: p.memoryInMb,
    disk_in_mb: p.diskInMb,
    log_rate_limit_in_bytes_per_second: p.logRateLimit,
    health_check: presentHealthCheck(p.healthCheck, false),
    readiness_health_check: presentHealthCheck(p.readiness, true),
  }
  if (embed) out.process_instances = processInstancesBody(ctx, p)
  Object.assign(out, {
    relationships: {app: rel(p.appGuid), revision: rel(null)},
    metadata: presentMetadata(p.metadata),
    version: p.version,
    links,
  })
  return out
}

function embedRequested(ctx: CcCtx): boolean {
  const embed = ctx.query.list('embed')
  if (embed === null) return false
  if (!ctx.state.ccVersionAtLeast('3.211.0')) {
    throw badQuery("Unknown query parameter(s): 'embed'")
  }
  const bad = embed.filter((e) => e !== 'process_instances')
  if (bad.length > 0)
    throw badQuery(
      `Invalid embedded resource: '${bad.join("', '")}'. Valid embedded resources are: 'process_instances'`,
    )
  return true
}

export function visibleProcess(ctx: CcCtx, guid: string): {process: Process; app: App} {
  const process = ctx.state.processes.get(guid)
  if (!process) throw notFound('Process')
  const app = ctx.state.apps.get(process.appGuid)
  if (!app || !ctx.actor.canReadSpace(app.spaceGuid)) throw notFound('Process')
  return {process, app}
}

/** `/v3/apps/:guid/processes/:type`: the newest process of that type (during a deployment, the new one). */
export function appProcessByType(ctx: CcCtx, appGuid: string, type: string): {process: Process; app: App} {
  const app = visibleApp(ctx, appGuid)
  const processes = ctx.state.processes.lookup('app', app.guid).filter((p) => p.type === type)
  const process = processes[processes.length - 1]
  if (!process) throw notFound('Process')
  return {process, app}
}

function processSpec(ctx: CcCtx, path: string, withAppFilters: boolean) {
  const appOf = (p: Process) => ctx.state.apps.get(p.appGuid)
  const filters: Record<string, (p: Process, values: string[]) => boolean> = {
    guids: inList((p) => p.guid),
    types: inList((p) => p.type),
  }
  if (withAppFilters) {
    filters.app_guids = inList((p) => p.appGuid)
    filters.space_guids = inList((p) => appOf(p)?.spaceGuid)
    filters.organization_guids = inList((p) => {
      const app = appOf(p)
      return app ? ctx.state.spaces.get(app.spaceGuid)?.orgGuid : undefined
    })
  }
  return {path, filters, labels: (p: Process) => p.metadata.labels, extraParams: ['embed']}
}

type Found = {process: Process; app: App}
type FoundHandler = (ctx: CcCtx, found: Found) => SimResponse

function processEvent(ctx: CcCtx, {process, app}: Found, type: string, data: Record<string, unknown>) {
  actorEvent(
    ctx,
    type,
    appTarget(app),
    {process_guid: process.guid, process_type: process.type, ...data},
    app.spaceGuid,
  )
}

function listProcesses(ctx: CcCtx) {
  const embed = embedRequested(ctx)
  const readable = ctx.actor.readableSpaces()
  let rows: Iterable<Process>
  const appGuids = ctx.query.list('app_guids')
  if (appGuids) rows = ctx.state.processes.lookupMany('app', appGuids)
  else if (readable !== 'all') {
    const apps = ctx.state.apps.lookupMany('space', readable).map((a) => a.guid)
    rows = ctx.state.processes.lookupMany('app', apps)
  } else rows = ctx.state.processes.all()
  const visible = [...rows].filter((p) => {
    const app = ctx.state.apps.get(p.appGuid)
    return app !== undefined && (readable === 'all' || readable.has(app.spaceGuid))
  })
  return ok(
    listResponse(ctx, visible, processSpec(ctx, '/v3/processes', true), (p) =>
      presentProcess(ctx, p, ctx.state.apps.get(p.appGuid)!, embed),
    ),
  )
}

function listAppProcesses(ctx: CcCtx) {
  const app = visibleApp(ctx, ctx.req.params.guid!)
  const embed = embedRequested(ctx)
  return ok(
    listResponse(
      ctx,
      ctx.state.processes.lookup('app', app.guid),
      processSpec(ctx, `/v3/apps/${app.guid}/processes`, false),
      (p) => presentProcess(ctx, p, app, embed),
    ),
  )
}

function updateProcess(ctx: CcCtx, found: Found) {
  const {process, app} = found
  requireSpaceWrite(ctx, app.spaceGuid, 'Process')
  const body = parseJsonBody(ctx.req)
  if (body.command !== undefined) {
    if (body.command !== null && typeof body.command !== 'string')
      throw unprocessable('Command must be a string')
    process.command = body.command
  }
  if (body.health_check !== undefined)
    process.healthCheck = parseHealthCheck(body.health_check, process.healthCheck, false)
  if (body.readiness_health_check !== undefined) {
    process.readiness = parseHealthCheck(body.readiness_health_check, process.readiness, true)
  }
  applyMetadata(process.metadata, body.metadata)
  process.updatedAt = ctx.state.now()
  const request = {...body}
  if ('command' in request) request.command = PRIVATE
  processEvent(ctx, found, 'audit.app.process.update', {request})
  return ok(presentProcess(ctx, process, app, false))
}

function scaleProcessAction(ctx: CcCtx, found: Found) {
  const {process, app} = found
  requireSpaceWrite(ctx, app.spaceGuid, 'Process', DEV_SUPPORTER)
  const body = parseJsonBody(ctx.req)
  const int = (name: string, min: number) => {
    const v = body[name]
    if (v === undefined) return undefined
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      throw unprocessable(`${name} must be an integer >= ${min}`)
    return v
  }
  const instances = int('instances', 0)
  const memory = int('memory_in_mb', 1)
  const disk = int('disk_in_mb', 1)
  const logRate = int('log_rate_limit_in_bytes_per_second', -1)
  const now = ctx.state.now()
  const restart =
    (memory !== undefined && memory !== process.memoryInMb) ||
    (disk !== undefined && disk !== process.diskInMb) ||
    (logRate !== undefined && logRate !== process.logRateLimit)
  if (memory !== undefined) process.memoryInMb = memory
  if (disk !== undefined) process.diskInMb = disk
  if (logRate !== undefined) process.logRateLimit = logRate
  if (instances !== undefined) scaleProcess(ctx.state, app, process, instances, now)
  if (restart && app.state === 'STARTED') startProcess(ctx.state, app, process, now)
  process.updatedAt = now
  processEvent(ctx, found, 'audit.app.process.scale', {request: body})
  return {...ok(presentProcess(ctx, process, app, false)), status: 202}
}

function killProcessInstance(ctx: CcCtx, found: Found): SimResponse {
  const {process, app} = found
  requireSpaceWrite(ctx, app.spaceGuid, 'Process', DEV_SUPPORTER)
  const index = Number(ctx.req.params.index)
  if (!Number.isInteger(index) || !killInstance(ctx.state, process, index, ctx.state.now()))
    throw notFound('Instance')
  processEvent(ctx, found, 'audit.app.process.terminate_instance', {process_index: index})
  return {status: 204}
}

/** `handler` under both addresses of a process: by guid, and by app guid + process type. */
function addBoth(r: CcRoutes, method: string, suffix: string, handler: FoundHandler): void {
  r.add(method, `/v3/processes/:guid${suffix}`, (ctx) =>
    handler(ctx, visibleProcess(ctx, ctx.req.params.guid!)),
  )
  r.add(method, `/v3/apps/:guid/processes/:type${suffix}`, (ctx) =>
    handler(ctx, appProcessByType(ctx, ctx.req.params.guid!, ctx.req.params.type!)),
  )
}

export function registerProcesses(r: CcRoutes): void {
  r.add('GET', '/v3/processes', listProcesses)
  r.add('GET', '/v3/apps/:guid/processes', listAppProcesses)
  r.add('GET', '/v3/processes/:guid', (ctx) => {
    ctx.query.validate(['embed'])
    const {process, app} = visibleProcess(ctx, ctx.req.params.guid!)
    return ok(presentProcess(ctx, process, app, embedRequested(ctx)))
  })
  r.add('GET', '/v3/apps/:guid/processes/:type', (ctx) => {
    ctx.query.validate(['embed'])
    const {process, app} = appProcessByType(ctx, ctx.req.params.guid!, ctx.req.params.type!)
    return ok(presentProcess(ctx, process, app, embedRequested(ctx)))
  })
  addBoth(r, 'PATCH', '', updateProcess)
  addBoth(r, 'POST', '/actions/scale', scaleProcessAction)
  addBoth(r, 'DELETE', '/instances/:index', killProcessInstance)
  registerStats(r)
}

function parseHealthCheck(input: unknown, current: HealthCheck, readiness: boolean): HealthCheck {
  if (!input || typeof input !== 'object') throw unprocessable('Health check must be an object')
  const {type, data = {}} = input as {type?: unknown; data?: Record<string, unknown>}
  const nextType = type === undefined ? current.type : type
  if (nextType !== 'port' && nextType !== 'http' && nextType !== 'process') {
    throw unprocessable('Health check type must be "port", "process", or "http"')
  }
  const num = (v: unknown, fallback: number | null, name: string) => {
    if (v === undefined) return fallback
    if (v === null) return null
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      throw unprocessable(`${name} must be greater than or equal to 1`)
    return v
  }
  const endpoint = data.endpoint === undefined ? current.endpoint : data.endpoint
  if (endpoint !== null && endpoint !== undefined && typeof endpoint !== 'string')
    throw unprocessable('Endpoint must be a string')
  if (typeof endpoint === 'string' && nextType !== 'http') {
    throw unprocessable('Health check endpoint can only be provided with the http health check type')
  }
  return {
    type: nextType,
    endpoint: nextType === 'http' ? ((endpoint as string | null) ?? '/') : null,
    timeout: readiness ? null : num(data.timeout, current.timeout, 'Timeout'),
    invocationTimeout: num(data.invocation_timeout, current.invocationTimeout, 'Invocation timeout'),
    interval: num(data.interval, current.interval, 'Interval'),
  }
}
