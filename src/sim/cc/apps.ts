import {withRow} from '../core/table.js'
/** Apps (§3.1): list/get, create, update, delete, start/stop/restart, permissions, features. */
import type {App, AppFeature, Process} from '../core/model.js'
import type {SimState} from '../core/state.js'
import {releaseBrokerCredentials} from '../runtime/broker.js'
import {restartApp, startApp, stopApp} from '../runtime/diego.js'
import {snapshotEnv} from '../runtime/vcap.js'
import {DEV_SUPPORTER} from './actor.js'
import {candidates} from './candidates.js'
import type {CcCtx} from './context.js'
import {parseJsonBody, requireSpaceRead, requireSpaceWrite} from './context.js'
import {notFound, unprocessable} from './errors.js'
import {actorEvent} from './events.js'
import {acceptRecursiveDelete} from './jobs.js'
import {inList, inListCaseInsensitive, listResponse, stamps, withIncluded} from './list.js'
import {applyMetadata, emptyMetadata, presentMetadata} from './metadata.js'
import {spaceIncludes} from './orgs-spaces.js'
import {created, link, ok, postLink, rel, type CcRoutes} from './respond.js'

export function presentApp(ctx: CcCtx, a: App) {
  const base = `/v3/apps/${a.guid}`
  return {
    ...stamps(a),
    name: a.name,
    state: a.state,
    lifecycle:
      a.lifecycle.type === 'docker'
        ? {type: 'docker', data: {}}
        : {type: a.lifecycle.type, data: {buildpacks: a.lifecycle.buildpacks, stack: a.lifecycle.stack}},
    relationships: {space: rel(a.spaceGuid), current_droplet: rel(a.dropletGuid)},
    metadata: presentMetadata(a.metadata),
    links: {
      self: link(ctx, base),
      environment_variables: link(ctx, `${base}/environment_variables`),
      space: link(ctx, `/v3/spaces/${a.spaceGuid}`),
      processes: link(ctx, `${base}/processes`),
      packages: link(ctx, `${base}/packages`),
      current_droplet: link(ctx, `${base}/droplets/current`),
      droplets: link(ctx, `${base}/droplets`),
      tasks: link(ctx, `${base}/tasks`),
      start: postLink(ctx, `${base}/actions/start`),
      stop: postLink(ctx, `${base}/actions/stop`),
      clear_buildpack_cache: postLink(ctx, `${base}/actions/clear_buildpack_cache`),
      revisions: link(ctx, `${base}/revisions`),
      deployed_revisions: link(ctx, `${base}/revisions/deployed`),
      features: link(ctx, `${base}/features`),
    },
  }
}

/** The app if the caller can see it, else 404. */
export function visibleApp(ctx: CcCtx, guid: string): App {
  const app = ctx.state.apps.get(guid)
  if (!app) throw notFound('App')
  requireSpaceRead(ctx, app.spaceGuid, 'App')
  return app
}

export function appTarget(a: App) {
  return {guid: a.guid, type: 'app', name: a.name}
}

export function appListSpec(ctx: CcCtx) {
  return {
    path: '/v3/apps',
    filters: {
      guids: inList<App>((a) => a.guid),
      names: inListCaseInsensitive<App>((a) => a.name),
      space_guids: inList<App>((a) => a.spaceGuid),
      organization_guids: inList<App>((a) => ctx.state.spaces.get(a.spaceGuid)?.orgGuid),
      stacks: inList<App>((a) => a.lifecycle.stack),
      lifecycle_type: inList<App>((a) => a.lifecycle.type),
    },
    orderBy: {name: (a: App) => a.name, state: (a: App) => a.state},
    labels: (a: App) => a.metadata.labels,
    includes: spaceIncludes<App>(ctx, (a) => a.spaceGuid),
  }
}

const FEATURES: {name: AppFeature; description: string}[] = [
  {name: 'ssh', description: 'Enable SSHing into the app.'},
  {name: 'revisions', description: 'Enable versioning of an application'},
  {name: 'service-binding-k8s', description: 'Enable k8s service bindings for the app'},
  {name: 'file-based-vcap-services', description: 'Enable file-based VCAP service bindings for the app'},
]

function presentFeature(a: App, name: AppFeature) {
  return {name, description: FEATURES.find((f) => f.name === name)!.description, enabled: a.features[name]}
}

/** Creates an app as if pushed: STOPPED, a current droplet, one web process. */
export function createAppRecord(
  state: SimState,
  input: {name: string; spaceGuid: string; env?: Record<string, string>; at?: number; instances?: number},
): App {
  const at = input.at ?? state.now()
  const droplet = state.droplets.create(state.row(at), {appGuid: ''})
  const app = state.apps.create(state.row(at), {
    name: input.name,
    spaceGuid: input.spaceGuid,
    state: 'STOPPED',
    lifecycle: {type: 'buildpack', buildpacks: ['java_buildpack'], stack: 'cflinuxfs4'},
    dropletGuid: droplet.guid,
    environmentVariables: {...(input.env ?? {})},
    features: {ssh: true, revisions: true, 'service-binding-k8s': false, 'file-based-vcap-services': false},
    revision: 1,
    metadata: emptyMetadata(),
  })
  droplet.appGuid = app.guid
  state.processes.add(newProcess(state, app, 'web', input.instances ?? 1, at))
  return app
}

export function newProcess(state: SimState, app: App, type: string, instances: number, at: number): Process {
  return withRow<Process>(state.row(at), {
    appGuid: app.guid,
    type,
    command: type === 'web' ? 'java -jar app.jar' : `bin/${type}`,
    instances,
    memoryInMb: 1024,
    diskInMb: 1024,
    logRateLimit: -1,
    healthCheck: {
      type: type === 'web' ? 'port' : 'process',
      endpoint: null,
      timeout: null,
      invocationTimeout: null,
      interval: null,
    },
    readiness: {type: 'process', endpoint: null, timeout: null, invocationTimeout: null, interval: null},
    version: state.guid(),
    lrpEnv: snapshotEnv(state, app, at),
    actual: [],
    metricsUnavailable: false,
    metadata: emptyMetadata(),
  })
}

function appEvent(ctx: CcCtx, app: App, type: string, data: Record<string, unknown>, spaceGuid?: string) {
  actorEvent(ctx, type, appTarget(app), data, spaceGuid ?? app.spaceGuid)
}

function listApps(ctx: CcCtx) {
  const readable = ctx.actor.readableSpaces()
  const rows = candidates(
    ctx,
    ctx.state.apps,
    {guids: true, indexed: [['space_guids', 'space']], spaceIndex: 'space'},
    readable,
  )
  const visible = readable === 'all' ? rows : [...rows].filter((a) => readable.has(a.spaceGuid))
  return ok(listResponse(ctx, visible, appListSpec(ctx), (a) => presentApp(ctx, a)))
}

function getApp(ctx: CcCtx) {
  const app = visibleApp(ctx, ctx.req.params.guid!)
  const body = withIncluded(ctx, appListSpec(ctx), app, presentApp(ctx, app))
  return ok(body)
}

function createApp(ctx: CcCtx) {
  const body = parseJsonBody(ctx.req)
  const name = typeof body.name === 'string' ? body.name : ''
  const spaceGuid =
    (body.relationships as Record<string, {data?: {guid?: string}}> | undefined)?.space?.data?.guid ?? ''
  if (name === '') throw unprocessable('Name must be a string, Name is too short (minimum is 1 character)')
  const space = ctx.state.spaces.get(spaceGuid)
  if (!space) throw unprocessable('Invalid space. Ensure that the space exists and you have access to it.')
  requireSpaceWrite(ctx, space.guid, 'Space')
  if (ctx.state.apps.lookup('space', space.guid).some((a) => a.name.toLowerCase() === name.toLowerCase())) {
    throw unprocessable(`App with the name '${name}' already exists.`)
  }
  const env = body.environment_variables
  if (
    env !== undefined &&
    (typeof env !== 'object' || env === null || Object.values(env).some((v) => typeof v !== 'string'))
  ) {
    throw unprocessable('Environment variables must be a hash of strings')
  }
  const app = createAppRecord(ctx.state, {
    name,
    spaceGuid: space.guid,
    env: (env as Record<string, string>) ?? {},
  })
  applyMetadata(app.metadata, body.metadata)
  const request = {
    name,
    relationships: {space: {data: {guid: space.guid}}},
    environment_variables: '[PRIVATE DATA HIDDEN]',
  }
  appEvent(ctx, app, 'audit.app.create', {request}, space.guid)
  return created(presentApp(ctx, app))
}

function updateApp(ctx: CcCtx) {
  const app = visibleApp(ctx, ctx.req.params.guid!)
  requireSpaceWrite(ctx, app.spaceGuid, 'App')
  const body = parseJsonBody(ctx.req)
  if (body.name !== undefined) {
    if (typeof body.name !== 'string' || body.name === '') throw unprocessable('Name must be a string')
    app.name = body.name
  }
  applyMetadata(app.metadata, body.metadata)
  app.updatedAt = ctx.state.now()
  appEvent(ctx, app, 'audit.app.update', {request: body})
  return ok(presentApp(ctx, app))
}

function deleteApp(ctx: CcCtx) {
  const app = visibleApp(ctx, ctx.req.params.guid!)
  requireSpaceWrite(ctx, app.spaceGuid, 'App')
  return acceptRecursiveDelete(ctx, {
    operation: 'app.delete',
    eventType: 'audit.app.delete-request',
    target: appTarget(app),
    spaceGuid: app.spaceGuid,
    remove: () => deleteAppRecord(ctx.state, app),
  })
}

const lifecycle = (action: 'start' | 'stop' | 'restart') => (ctx: CcCtx) => {
  const app = visibleApp(ctx, ctx.req.params.guid!)
  requireSpaceWrite(ctx, app.spaceGuid, 'App', DEV_SUPPORTER)
  const now = ctx.state.now()
  if (action !== 'stop' && !app.dropletGuid) throw unprocessable('Assign a droplet before starting this app.')
  if (action === 'start' && app.state !== 'STARTED') startApp(ctx.state, app, now)
  if (action === 'stop' && app.state !== 'STOPPED') stopApp(ctx.state, app, now)
  if (action === 'restart') restartApp(ctx.state, app, now)
  appEvent(ctx, app, `audit.app.${action}`, {})
  return ok(presentApp(ctx, app))
}

function appPermissions(ctx: CcCtx) {
  const app = visibleApp(ctx, ctx.req.params.guid!)
  return ok({read_basic_data: true, read_sensitive_data: ctx.actor.canReadSecrets(app.spaceGuid)})
}

function listFeatures(ctx: CcCtx) {
  const app = visibleApp(ctx, ctx.req.params.guid!)
  return ok({
    resources: FEATURES.map((f) => presentFeature(app, f.name)),
    pagination: {
      total_results: FEATURES.length,
      total_pages: 1,
      first: link(ctx, `/v3/apps/${app.guid}/features`),
      last: link(ctx, `/v3/apps/${app.guid}/features`),
      next: null,
      previous: null,
    },
  })
}

/** The app and the feature named in the path (404 for an unknown feature). */
function appFeature(ctx: CcCtx): {app: App; name: AppFeature} {
  const app = visibleApp(ctx, ctx.req.params.guid!)
  const name = ctx.req.params.name as AppFeature
  if (!FEATURES.some((f) => f.name === name)) throw notFound('Feature')
  return {app, name}
}

function updateFeature(ctx: CcCtx) {
  const {app, name} = appFeature(ctx)
  requireSpaceWrite(ctx, app.spaceGuid, 'App')
  const body = parseJsonBody(ctx.req)
  if (typeof body.enabled !== 'boolean') throw unprocessable('Enabled must be a boolean')
  const other: AppFeature | null =
    name === 'service-binding-k8s'
      ? 'file-based-vcap-services'
      : name === 'file-based-vcap-services'
        ? 'service-binding-k8s'
        : null
  if (body.enabled && other && app.features[other]) {
    throw unprocessable(
      `'file-based-vcap-services' and 'service-binding-k8s' features cannot be enabled at the same time.`,
    )
  }
  app.features[name] = body.enabled
  app.updatedAt = ctx.state.now()
  return ok(presentFeature(app, name))
}

export function registerApps(r: CcRoutes): void {
  r.add('GET', '/v3/apps', listApps)
  r.add('GET', '/v3/apps/:guid', getApp)
  r.add('POST', '/v3/apps', createApp)
  r.add('PATCH', '/v3/apps/:guid', updateApp)
  r.add('DELETE', '/v3/apps/:guid', deleteApp)
  r.add('POST', '/v3/apps/:guid/actions/start', lifecycle('start'))
  r.add('POST', '/v3/apps/:guid/actions/stop', lifecycle('stop'))
  r.add('POST', '/v3/apps/:guid/actions/restart', lifecycle('restart'))
  r.add('GET', '/v3/apps/:guid/permissions', appPermissions)
  r.add('GET', '/v3/apps/:guid/features', listFeatures)
  r.add('GET', '/v3/apps/:guid/features/:name', (ctx) => {
    const {app, name} = appFeature(ctx)
    return ok(presentFeature(app, name))
  })
  r.add('PATCH', '/v3/apps/:guid/features/:name', updateFeature)
}

export function deleteAppRecord(state: SimState, app: App): void {
  for (const p of state.processes.lookup('app', app.guid)) state.processes.delete(p.guid)
  for (const b of state.bindings.lookup('app', app.guid)) {
    releaseBrokerCredentials(state, b)
    state.bindings.delete(b.guid)
  }
  for (const d of state.deployments.lookup('app', app.guid)) state.deployments.delete(d.guid)
  for (const route of state.routes.lookup('app', app.guid)) {
    route.destinations = route.destinations.filter((d) => d.appGuid !== app.guid)
    state.routes.reindex(route)
  }
  state.networkPolicies = state.networkPolicies.filter(
    (p) => p.sourceAppGuid !== app.guid && p.destinationAppGuid !== app.guid,
  )
  state.apps.delete(app.guid)
}
