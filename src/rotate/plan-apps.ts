/** The apps a run touches: which ones roll, how many web instances each replaces, and why not. */

import type {Observation} from './observe.js'
import {isAppRolled, upsRollTarget} from './phase.js'
import type {PlannedApp, RotationPlan} from './plan.js'
import type {AppInfo} from './platform.js'
import type {Phase, RotationAction} from './types.js'

/** Will the roll step deploy this app? (A rolling deployment replaces every web instance.) */
function needsRoll(action: RotationAction, obs: Observation, phase: Phase, app: AppInfo): boolean {
  if (app.state !== 'STARTED') return false
  if (obs.ups) {
    const changed = action === 'rollback' ? phase === 'rb-restored' : phase === 'updated' || phase === 'grace'
    // Before the change every started app rolls; after it, those not yet running it.
    return changed
      ? !isAppRolled(app, upsRollTarget(obs.ups.credentialsUpdatedAt), obs.changeDeployments)
      : true
  }
  const facts = obs.binding?.apps.find((a) => a.appGuid === app.guid)
  return facts ? !facts.fresh : true
}

export function plannedApps(
  action: RotationAction,
  obs: Observation,
  phase: Phase,
  rollRuns: boolean,
): PlannedApp[] {
  if (obs.key) return []
  return obs.apps.map((app) => {
    const unknown = app.state === 'STARTED' && app.instancesUnknown !== undefined
    const live = unknown ? null : app.webInstances.filter((i) => i.state !== 'DOWN').length
    const roll = rollRuns && needsRoll(action, obs, phase, app)
    const note =
      app.state !== 'STARTED'
        ? 'stopped: not rolled, picks up the new credentials when it starts'
        : unknown
          ? `web instances cannot be read (${app.instancesUnknown}): their count is unknown`
          : roll && app.processTypes.some((t) => t !== 'web')
            ? `non-web processes (${app.processTypes.filter((t) => t !== 'web').join(', ')}) restart, not roll, when the deployment finishes`
            : null
    return {
      guid: app.guid,
      name: app.name,
      space: obs.shared?.spaceNames[app.spaceGuid] ?? null,
      state: app.state,
      webInstances: live,
      toReplace: roll ? live : 0,
      roll,
      restartedProcesses: roll ? app.processTypes.filter((t) => t !== 'web') : [],
      note,
    }
  })
}

/** Web instances replaced (null when a rolled app's count is unknown) and the processes restarted. */
export function expectedRestarts(apps: PlannedApp[]): RotationPlan['expectedRestarts'] {
  return {
    webInstances: apps.reduce<number | null>(
      (n, a) => (!a.roll ? n : n === null || a.toReplace === null ? null : n + a.toReplace),
      0,
    ),
    processes: apps
      .filter((a) => a.roll && a.restartedProcesses.length > 0)
      .map((a) => ({app: a.name, types: a.restartedProcesses})),
  }
}
