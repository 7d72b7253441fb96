/**
 * The runtime side (Diego): actual instances of processes. An instance starts STARTING and
 * becomes RUNNING `instanceStartupMs` later (simulated time, driven by SimState timers). Every
 * instance holds the env of the LRP it was created from, so tests can see which credentials
 * each running container has.
 */
import type {App, EnvSnapshot, Instance, Process} from '../core/model.js'
import type {SimState} from '../core/state.js'
import {snapshotEnv} from './vcap.js'

export type ReadyHook = (instance: Instance, at: number) => void

export function placeInstance(
  state: SimState,
  process: Process,
  index: number,
  at: number,
  env: EnvSnapshot,
  running: boolean,
): Instance {
  const r = state.random
  const instance: Instance = {
    guid: state.guid(),
    index,
    processGuid: process.guid,
    state: running ? 'RUNNING' : 'STARTING',
    since: at,
    startedAt: at,
    readyAt: running ? null : at + state.config.instanceStartupMs,
    routable: running,
    env,
    host: `10.0.${r.int(16, 31)}.${r.int(2, 250)}`,
    internalIp: `10.255.${r.int(0, 254)}.${r.int(2, 250)}`,
    externalPort: r.int(61000, 64999),
    externalTlsPort: r.int(61000, 64999),
  }
  process.actual.push(instance)
  process.actual.sort((a, b) => a.index - b.index)
  return instance
}

/** Starts a new instance at `index` that becomes RUNNING after the startup time. */
export function launchInstance(
  state: SimState,
  process: Process,
  index: number,
  at: number,
  onReady?: ReadyHook,
): Instance {
  const instance = placeInstance(state, process, index, at, process.lrpEnv, false)
  state.schedule(instance.readyAt!, (readyAt) => {
    if (!process.actual.includes(instance) || instance.state !== 'STARTING') return
    instance.state = 'RUNNING'
    instance.since = readyAt
    instance.readyAt = null
    instance.routable = true
    onReady?.(instance, readyAt)
  })
  return instance
}

/** Desires a new LRP for the process: new env from the app's current bindings, new version. */
export function redesire(state: SimState, app: App, process: Process, at: number): void {
  process.lrpEnv = snapshotEnv(state, app, at)
  process.version = state.guid()
  process.updatedAt = at
}

export function startProcess(state: SimState, app: App, process: Process, at: number): void {
  redesire(state, app, process, at)
  process.actual = []
  for (let i = 0; i < process.instances; i++) launchInstance(state, process, i, at)
}

export function processesOf(state: SimState, appGuid: string): Process[] {
  return state.processes.lookup('app', appGuid)
}

export function startApp(state: SimState, app: App, at: number): void {
  app.state = 'STARTED'
  app.updatedAt = at
  for (const p of processesOf(state, app.guid)) startProcess(state, app, p, at)
}

export function stopApp(state: SimState, app: App, at: number): void {
  app.state = 'STOPPED'
  app.updatedAt = at
  for (const p of processesOf(state, app.guid)) p.actual = []
}

/** Downtime restart: every instance of every process is replaced at once. */
export function restartApp(state: SimState, app: App, at: number): void {
  stopApp(state, app, at)
  startApp(state, app, at)
}

/** Scaling changes only the instance count of the existing LRP (same env). */
export function scaleProcess(
  state: SimState,
  app: App,
  process: Process,
  instances: number,
  at: number,
): void {
  process.instances = instances
  process.updatedAt = at
  if (app.state !== 'STARTED') return
  process.actual = process.actual.filter((i) => i.index < instances)
  const present = new Set(process.actual.map((i) => i.index))
  for (let i = 0; i < instances; i++) if (!present.has(i)) launchInstance(state, process, i, at)
}

/** Kills one instance; Diego replaces it from the same LRP (same env, new instance guid). */
export function killInstance(state: SimState, process: Process, index: number, at: number): boolean {
  const victim = process.actual.find((i) => i.index === index)
  if (!victim) return false
  process.actual = process.actual.filter((i) => i !== victim)
  launchInstance(state, process, index, at)
  return true
}
