/**
 * Steps 5a/5b: a rolling deployment of every started app that still runs instances older than the
 * credential change (apps in parallel up to `parallelApps`, `max_in_flight` per app), waiting for
 * FINALIZED/DEPLOYED within `timeoutMs`; then the check that no instance predates the change.
 * Deployments carry the rotation id, so a re-run waits for its own instead of starting another.
 */

import pLimit from 'p-limit'

import {ANNOTATION} from '../annotations.js'
import {halted} from '../halt.js'
import type {StepContext, StepResult} from '../machine.js'
import {staleInstances} from '../phase.js'
import type {AppInfo, DeploymentInfo, RotationPlatform} from '../platform.js'
import type {RunState} from './state.js'
import {CfguardError} from '../../errors.js'

/** Per app: the time its instances must have started at or after (null = every live instance). */
export type FreshSince = (app: AppInfo) => string | null

export async function rollApps(
  platform: RotationPlatform,
  state: RunState,
  ctx: StepContext,
  appGuids: string[],
  freshSince: FreshSince,
): Promise<StepResult> {
  if (appGuids.length === 0) return {detail: 'no bound apps'}
  const [apps, active] = await Promise.all([
    platform.listApps(appGuids),
    platform.listActiveDeployments(appGuids),
  ])
  const stopped = apps.filter((a) => a.state !== 'STARTED')
  for (const a of stopped)
    ctx.warn(`app ${a.name} is stopped: not rolled, it picks up the new credentials when it starts`)
  const toRoll = apps.filter((a) => a.state === 'STARTED' && staleInstances(a, freshSince(a)).length > 0)
  const deadline = platform.now().getTime() + state.options.timeoutMs
  const limit = pLimit(state.options.parallelApps)
  const deployments = await Promise.all(
    toRoll.map((app) =>
      limit(async () => {
        const mine = active.filter((d) => d.appGuid === app.guid)
        const ours = mine.find((d) => d.annotations[ANNOTATION.rotationId] === state.rotationId)
        const foreign = mine.filter((d) => d !== ours)
        if (foreign.length > 0) {
          throw halted(
            `app ${app.name} has an active deployment not started by this rotation (${foreign[0]!.guid})`,
            'wait for it to finish, then re-run to continue the rotation',
          )
        }
        const deployment =
          ours ??
          (await platform.createDeployment({
            appGuid: app.guid,
            maxInFlight: state.options.maxInFlight,
            metadata: {annotations: {[ANNOTATION.rotationId]: state.rotationId}},
          }))
        state.changed = true
        await waitForDeployment(platform, state, ctx, app, deployment, deadline)
        return deployment.guid
      }),
    ),
  )
  const skipped = apps.length - toRoll.length
  return {
    detail: `${toRoll.length} app(s) rolled${skipped > 0 ? `, ${skipped} already current or stopped` : ''}`,
    data: {apps: toRoll.map((a) => a.guid), deployments},
  }
}

async function waitForDeployment(
  platform: RotationPlatform,
  state: RunState,
  ctx: StepContext,
  app: AppInfo,
  first: DeploymentInfo,
  deadline: number,
): Promise<void> {
  let d = first
  for (;;) {
    if (d.statusValue === 'FINALIZED') {
      if (d.statusReason === 'DEPLOYED') return
      throw halted(
        `the deployment of app ${app.name} ended ${d.statusReason}${d.error ? `: ${d.error}` : ''}`,
        'look at the app (`cf events`), then re-run to roll it again',
      )
    }
    if (platform.now().getTime() >= deadline) {
      throw halted(
        `the deployment of app ${app.name} (${d.guid}) is still ${d.statusReason} after the timeout`,
        're-run to keep waiting (or raise --timeout); the old credentials stay valid meanwhile',
      )
    }
    await ctx.heartbeat()
    await platform.sleep(pollDelay(platform, state, deadline))
    d = await platform.getDeployment(d.guid)
  }
}

/** Sleep until the next poll, never past the deadline. */
export function pollDelay(platform: RotationPlatform, state: RunState, deadline: number): number {
  return Math.max(1, Math.min(state.options.pollIntervalMs, deadline - platform.now().getTime()))
}

export async function verifyInstances(
  platform: RotationPlatform,
  appGuids: string[],
  freshSince: FreshSince,
): Promise<StepResult> {
  if (appGuids.length === 0) return {detail: 'no bound apps'}
  const apps = await platform.listApps(appGuids)
  const stale = apps.flatMap((a) => staleInstances(a, freshSince(a)).map((i) => ({app: a, index: i.index})))
  if (stale.length > 0) {
    const first = stale[0]!
    throw new CfguardError(
      'ROTATION_HALTED',
      `${stale.length} instance(s) still predate the credential change (app ${first.app.name}, index ${first.index})`,
      {suggestions: ['re-run to roll the app again']},
    )
  }
  const instances = apps.reduce((n, a) => n + a.webInstances.filter((i) => i.state !== 'DOWN').length, 0)
  return {detail: `${instances} instance(s) in ${apps.length} app(s) run the new credentials`}
}
