/** Deployments (§3.7): create (rolling/canary), get/list with filters, cancel, continue, metadata. */
import {iso} from '../core/clock.js'
import type {App, Deployment} from '../core/model.js'
import {cancelDeployment, continueDeployment, createDeployment} from '../runtime/deployments.js'
import {DEV_SUPPORTER} from './actor.js'
import {appTarget} from './apps.js'
import type {CcCtx} from './context.js'
import {parseJsonBody, requireSpaceWrite} from './context.js'
import {notAuthorized, notFound, unprocessable} from './errors.js'
import {actorEvent} from './events.js'
import {inList, listResponse, stamps} from './list.js'
import {applyMetadata, emptyMetadata, presentMetadata} from './metadata.js'
import {created, link, ok, postLink, rel, type CcRoutes} from './respond.js'

function legacyState(d: Deployment): string {
  if (d.statusReason === 'CANCELED') return 'CANCELED'
  if (d.statusReason === 'CANCELING') return 'CANCELING'
  if (d.statusReason === 'PAUSED') return 'PAUSED'
  return d.statusValue === 'ACTIVE' ? 'DEPLOYING' : 'DEPLOYED'
}

export function presentDeployment(ctx: CcCtx, d: Deployment) {
  const base = `/v3/deployments/${d.guid}`
  const status: Record<string, unknown> = {
    value: d.statusValue,
    reason: d.statusReason,
    details: {
      last_successful_healthcheck: iso(d.lastHealthcheck),
      last_status_change: iso(d.lastStatusChange),
    },
  }
  if (d.canaryRequested !== null) {
    const total = Math.max(1, d.canaryRequested.length)
    status.canary = {steps: {current: d.canarySteps === null ? total : 1, total}}
  }
  const options: Record<string, unknown> = {
    max_in_flight: d.maxInFlight,
    memory_in_mb: null,
    disk_in_mb: null,
    log_rate_limit_in_bytes_per_second: null,
  }
  if (d.webInstances !== null) options.web_instances = d.webInstances
  if (d.canaryRequested !== null && d.canaryRequested.length > 0) {
    options.canary = {steps: d.canaryRequested.map((w) => ({instance_weight: w}))}
  }
  const links: Record<string, unknown> = {
    self: link(ctx, base),
    app: link(ctx, `/v3/apps/${d.appGuid}`),
    cancel: postLink(ctx, `${base}/actions/cancel`),
  }
  if (d.strategy === 'canary') links.continue = postLink(ctx, `${base}/actions/continue`)
  return {
    ...stamps(d),
    state: legacyState(d),
    status,
    strategy: d.strategy,
    options,
    droplet: {guid: d.dropletGuid},
    previous_droplet: {guid: d.previousDropletGuid},
    new_processes: d.statusReason === 'CANCELED' ? [] : [{guid: d.newProcessGuid, type: 'web'}],
    revision: d.revision,
    relationships: {app: rel(d.appGuid)},
    metadata: presentMetadata(d.metadata),
    links,
  }
}

function visibleDeployment(ctx: CcCtx, guid: string): Deployment {
  const d = ctx.state.deployments.get(guid)
  const app = d ? ctx.state.apps.get(d.appGuid) : undefined
  if (!d || !app || !ctx.actor.canReadSpace(app.spaceGuid)) throw notFound('Deployment')
  return d
}

function positiveInt(v: unknown, message: string): number | null {
  if (v === undefined || v === null) return null
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw unprocessable(message)
  return v
}

/** The app a new deployment names, visible and writable by the caller. */
function deploymentApp(ctx: CcCtx, body: Record<string, unknown>): App {
  const rels = (body.relationships ?? {}) as {app?: {data?: {guid?: unknown}}}
  const appGuid = rels.app?.data?.guid
  if (typeof appGuid !== 'string') throw unprocessable("Relationships must include 'app'")
  const app = ctx.state.apps.get(appGuid)
  if (!app || !ctx.actor.canReadSpace(app.spaceGuid)) {
    throw unprocessable('Unable to use app. Ensure that the app exists and you have access to it.')
  }
  requireSpaceWrite(ctx, app.spaceGuid, 'App', DEV_SUPPORTER)
  return app
}

/** The droplet to deploy: the one named (it must be the app's), else null for the current one. */
function deploymentDroplet(ctx: CcCtx, body: Record<string, unknown>, app: App): string | null {
  if (body.droplet !== undefined && body.revision !== undefined)
    throw unprocessable('Cannot set both droplet and revision')
  if (body.revision !== undefined)
    throw unprocessable('Unable to deploy this revision: revisions are not kept by the simulator')
  if (body.droplet !== undefined) {
    const guid = (body.droplet as {guid?: unknown} | null)?.guid
    const droplet = typeof guid === 'string' ? ctx.state.droplets.get(guid) : undefined
    if (!droplet || droplet.appGuid !== app.guid) {
      throw unprocessable(
        'Unable to assign current droplet. Ensure the droplet exists and belongs to this app.',
      )
    }
    return droplet.guid
  } else if (!app.dropletGuid) {
    throw unprocessable(
      'Invalid droplet. Please specify a droplet in the request or set a current droplet for the app.',
    )
  }
  return null
}

function canarySteps(ctx: CcCtx, options: Record<string, unknown>, strategy: string): number[] | null {
  const canary = options.canary as {steps?: {instance_weight?: unknown}[]} | undefined
  if (canary === undefined) return null
  if (!ctx.state.ccVersionAtLeast('3.189.0')) throw unprocessable("Options Unknown field(s): 'canary'")
  if (strategy !== 'canary') throw unprocessable('Options canary are only valid for Canary deployments')
  return (canary.steps ?? []).map((s) => {
    const w = s.instance_weight
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > 100) {
      throw unprocessable('Canary steps Instance weights must be integers between 1 and 100 inclusive')
    }
    return w
  })
}

function createDeploymentHandler(ctx: CcCtx) {
  const body = parseJsonBody(ctx.req)
  const app = deploymentApp(ctx, body)
  const strategy = body.strategy ?? 'rolling'
  if (strategy !== 'rolling' && strategy !== 'canary') {
    throw unprocessable(`Strategy '${String(strategy)}' is not a supported deployment strategy`)
  }
  const dropletGuid = deploymentDroplet(ctx, body, app)
  const options = (body.options ?? {}) as Record<string, unknown>
  const maxInFlight =
    positiveInt(options.max_in_flight, 'Max in flight must be an integer greater than 0') ?? 1
  const webInstances = positiveInt(options.web_instances, 'Web instances must be an integer greater than 0')
  const steps = canarySteps(ctx, options, strategy)
  const metadata = emptyMetadata()
  applyMetadata(metadata, body.metadata)
  const now = ctx.state.now()
  const deployment = createDeployment(
    ctx.state,
    app,
    {strategy, maxInFlight, webInstances, canarySteps: steps, dropletGuid, metadata},
    now,
  )
  const data = {
    droplet_guid: deployment.dropletGuid,
    intended_state: 'STARTED',
    type: strategy,
    revision_guid: deployment.revision?.guid ?? null,
    request: body,
  }
  actorEvent(ctx, 'audit.app.deployment.create', appTarget(app), data, app.spaceGuid)
  return created(presentDeployment(ctx, deployment))
}

function listDeployments(ctx: CcCtx) {
  const readable = ctx.actor.readableSpaces()
  const appGuids = ctx.query.list('app_guids')
  const rows = appGuids ? ctx.state.deployments.lookupMany('app', appGuids) : [...ctx.state.deployments.all()]
  const visible = rows.filter((d) => {
    const app = ctx.state.apps.get(d.appGuid)
    return app !== undefined && (readable === 'all' || readable.has(app.spaceGuid))
  })
  return ok(
    listResponse(
      ctx,
      visible,
      {
        path: '/v3/deployments',
        filters: {
          guids: inList((d) => d.guid),
          app_guids: inList((d) => d.appGuid),
          states: inList((d) => legacyState(d)),
          status_values: inList((d) => d.statusValue),
          status_reasons: inList((d) => d.statusReason),
        },
        labels: (d) => d.metadata.labels,
      },
      (d) => presentDeployment(ctx, d),
    ),
  )
}

function updateDeployment(ctx: CcCtx) {
  const d = visibleDeployment(ctx, ctx.req.params.guid!)
  const app = ctx.state.apps.get(d.appGuid)!
  requireSpaceWrite(ctx, app.spaceGuid, 'Deployment', DEV_SUPPORTER)
  applyMetadata(d.metadata, parseJsonBody(ctx.req).metadata)
  d.updatedAt = ctx.state.now()
  return ok(presentDeployment(ctx, d))
}

const action = (kind: 'cancel' | 'continue') => (ctx: CcCtx) => {
  const d = visibleDeployment(ctx, ctx.req.params.guid!)
  const app = ctx.state.apps.get(d.appGuid)!
  if (!ctx.actor.canWrite(app.spaceGuid, DEV_SUPPORTER)) throw notAuthorized()
  const now = ctx.state.now()
  if (kind === 'cancel') {
    if (d.statusValue !== 'ACTIVE') throw unprocessable(`Cannot cancel a ${legacyState(d)} deployment`)
    cancelDeployment(ctx.state, d, now)
  } else {
    if (d.statusReason !== 'PAUSED') {
      throw unprocessable(
        `Cannot continue a deployment with status: ${d.statusValue} and reason: ${d.statusReason}`,
      )
    }
    continueDeployment(ctx.state, d, now)
  }
  const data = {droplet_guid: d.dropletGuid, deployment_guid: d.guid}
  actorEvent(ctx, `audit.app.deployment.${kind}`, appTarget(app), data, app.spaceGuid)
  return {status: 200}
}

export function registerDeployments(r: CcRoutes): void {
  r.add('POST', '/v3/deployments', createDeploymentHandler)
  r.add('GET', '/v3/deployments', listDeployments)
  r.add('GET', '/v3/deployments/:guid', (ctx) =>
    ok(presentDeployment(ctx, visibleDeployment(ctx, ctx.req.params.guid!))),
  )
  r.add('PATCH', '/v3/deployments/:guid', updateDeployment)
  r.add('POST', '/v3/deployments/:guid/actions/cancel', action('cancel'))
  r.add('POST', '/v3/deployments/:guid/actions/continue', action('continue'))
}
