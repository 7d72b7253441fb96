import {withRow} from '../core/table.js'
/**
 * Rolling (and canary) deployments over simulated time (§3.7): a new web process with new
 * instance guids and the same indexes; each new instance that becomes RUNNING replaces one old
 * instance and lets the next one start (at most `max_in_flight` starting at once); at the end
 * the old web processes go away and non-web processes are restarted.
 */
import type {App, Deployment, Instance, Process} from '../core/model.js'
import type {SimState} from '../core/state.js'
import {launchInstance, processesOf, redesire, startApp} from './diego.js'

export interface DeploymentRequest {
  strategy: 'rolling' | 'canary'
  maxInFlight: number
  webInstances: number | null
  canarySteps: number[] | null
  dropletGuid: string | null
  metadata: {labels: Record<string, string>; annotations: Record<string, string>}
}

export function webProcesses(state: SimState, appGuid: string): Process[] {
  return processesOf(state, appGuid).filter((p) => p.type === 'web')
}

export function activeDeployment(state: SimState, appGuid: string): Deployment | undefined {
  return state.deployments.lookup('app', appGuid).find((d) => d.statusValue === 'ACTIVE')
}

function setStatus(
  state: SimState,
  d: Deployment,
  value: Deployment['statusValue'],
  reason: Deployment['statusReason'],
  at: number,
) {
  d.statusValue = value
  d.statusReason = reason
  d.lastStatusChange = at
  d.updatedAt = at
  state.deployments.reindex(d)
}

export function createDeployment(state: SimState, app: App, req: DeploymentRequest, at: number): Deployment {
  const previous = activeDeployment(state, app.guid)
  if (previous) setStatus(state, previous, 'FINALIZED', 'SUPERSEDED', at)

  const webs = webProcesses(state, app.guid)
  const base = webs[0]
  if (!base) throw new Error(`app ${app.guid} has no web process`)
  app.revision += 1
  const previousDroplet = app.dropletGuid
  const droplet = req.dropletGuid ?? app.dropletGuid
  app.dropletGuid = droplet
  app.updatedAt = at

  const deployment = withRow<Deployment>(state.row(at), {
    appGuid: app.guid,
    strategy: req.strategy,
    statusValue: 'ACTIVE',
    statusReason: 'DEPLOYING',
    lastStatusChange: at,
    lastHealthcheck: at,
    maxInFlight: req.maxInFlight,
    webInstances: req.webInstances,
    // For a canary, non-null until continued: the deployment pauses after the canary instances.
    canarySteps: req.strategy === 'canary' ? (req.canarySteps ?? []) : null,
    canaryRequested: req.strategy === 'canary' ? (req.canarySteps ?? []) : null,
    dropletGuid: droplet,
    previousDropletGuid: previousDroplet,
    newProcessGuid: base.guid,
    oldProcessGuids: [],
    targetInstances: req.webInstances ?? base.instances,
    nextIndex: 0,
    revision: {guid: state.guid(), version: app.revision},
    metadata: req.metadata,
  })

  if (app.state === 'STOPPED') {
    // A stopped app is simply started with the new droplet; the deployment is done at once.
    if (req.webInstances !== null) base.instances = req.webInstances
    startApp(state, app, at)
    deployment.statusValue = 'FINALIZED'
    deployment.statusReason = 'DEPLOYED'
    state.deployments.add(deployment)
    return deployment
  }

  const fresh: Process = {
    ...base,
    ...state.row(at),
    instances: 0,
    actual: [],
    metadata: {labels: {}, annotations: {}},
  }
  redesire(state, app, fresh, at)
  state.processes.add(fresh)
  deployment.newProcessGuid = fresh.guid
  deployment.oldProcessGuids = webs.map((p) => p.guid)
  state.deployments.add(deployment)

  const firstBatch = req.strategy === 'canary' ? canaryCount(deployment) : req.maxInFlight
  for (let i = 0; i < Math.min(firstBatch, deployment.targetInstances); i++) launchNext(state, deployment, at)
  if (deployment.targetInstances === 0) finalize(state, deployment, at)
  return deployment
}

function canaryCount(d: Deployment): number {
  const weight = d.canarySteps?.[0]
  if (weight === undefined) return 1
  return Math.max(1, Math.ceil((d.targetInstances * weight) / 100))
}

function launchNext(state: SimState, d: Deployment, at: number): void {
  const process = state.processes.get(d.newProcessGuid)
  if (!process || d.nextIndex >= d.targetInstances) return
  const index = d.nextIndex++
  process.instances = Math.max(process.instances, index + 1)
  launchInstance(state, process, index, at, (instance, readyAt) =>
    onNewInstanceReady(state, d, instance, readyAt),
  )
}

function onNewInstanceReady(state: SimState, d: Deployment, _instance: Instance, at: number): void {
  if (d.statusValue !== 'ACTIVE' || d.statusReason !== 'DEPLOYING') return
  d.lastHealthcheck = at
  const process = state.processes.get(d.newProcessGuid)
  if (!process) return
  const running = process.actual.filter((i) => i.state === 'RUNNING').length
  if (d.strategy === 'canary' && d.canarySteps !== null && running >= canaryCount(d)) {
    setStatus(state, d, 'ACTIVE', 'PAUSED', at)
    return
  }
  stopOneOld(state, d)
  if (running >= d.targetInstances) {
    finalize(state, d, at)
    return
  }
  launchNext(state, d, at)
}

/** Removes one old instance: not-yet-running ones first, newest interim process first, highest index first. */
function stopOneOld(state: SimState, d: Deployment): void {
  const olds = d.oldProcessGuids
    .map((g) => state.processes.get(g))
    .filter((p): p is Process => p !== undefined)
  let best: {p: Process; i: Instance; rank: number[]} | null = null
  olds.forEach((p, order) => {
    for (const i of p.actual) {
      const rank = [i.state === 'RUNNING' ? 1 : 0, -order, -i.index]
      if (!best || compareRank(rank, best.rank) < 0) best = {p, i, rank}
    }
  })
  const chosen = best as {p: Process; i: Instance} | null
  if (!chosen) return
  chosen.p.actual = chosen.p.actual.filter((x) => x !== chosen.i)
  chosen.p.instances = Math.max(0, chosen.p.instances - 1)
}

function compareRank(a: number[], b: number[]): number {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! - b[k]!
  return 0
}

function finalize(state: SimState, d: Deployment, at: number): void {
  for (const guid of d.oldProcessGuids) state.processes.delete(guid)
  const app = state.apps.get(d.appGuid)
  if (app) {
    for (const p of processesOf(state, app.guid)) {
      if (p.type === 'web') continue
      // Non-web processes are restarted, not rolled: downtime for workers.
      redesire(state, app, p, at)
      p.actual = []
      for (let i = 0; i < p.instances; i++) launchInstance(state, p, i, at)
    }
  }
  setStatus(state, d, 'FINALIZED', 'DEPLOYED', at)
}

export function cancelDeployment(state: SimState, d: Deployment, at: number): void {
  const app = state.apps.get(d.appGuid)
  state.processes.delete(d.newProcessGuid)
  const [original, ...interim] = d.oldProcessGuids
  for (const guid of interim) state.processes.delete(guid)
  const restored = original ? state.processes.get(original) : undefined
  if (restored && app) {
    restored.instances = Math.max(restored.instances, d.targetInstances)
    const present = new Set(restored.actual.map((i) => i.index))
    // Back to the previous LRP: the restored instances get its (old) environment.
    for (let i = 0; i < restored.instances; i++) if (!present.has(i)) launchInstance(state, restored, i, at)
    app.dropletGuid = d.previousDropletGuid
  }
  setStatus(state, d, 'FINALIZED', 'CANCELED', at)
}

export function continueDeployment(state: SimState, d: Deployment, at: number): void {
  d.canarySteps = null
  setStatus(state, d, 'ACTIVE', 'DEPLOYING', at)
  const process = state.processes.get(d.newProcessGuid)
  const running = process?.actual.filter((i) => i.state === 'RUNNING').length ?? 0
  for (let i = 0; i < running; i++) stopOneOld(state, d)
  if (running >= d.targetInstances) {
    finalize(state, d, at)
    return
  }
  for (let i = 0; i < d.maxInFlight; i++) launchNext(state, d, at)
}
