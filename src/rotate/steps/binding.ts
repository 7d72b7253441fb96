/**
 * Managed binding rotation (docs/platform-facts.md §5.6): per app a new binding with the same name and
 * `strategy: multiple` (CC ≥ 3.205.0) → rolling deployment → delete the older bindings, only
 * after every instance runs the new one. Where the foundation (binding limit 1) or the broker
 * refuses a second binding, the run stops with a clear message, unless downtime was accepted:
 * then the old binding is deleted before the new one is created.
 *
 * The journal annotation records the apps before the first change, so a run interrupted between
 * "old binding deleted" and "new binding created" still knows the app.
 */

import {decodeJournal, encodeJournal, rotatedKindOf} from '../annotations.js'
import {ANNOTATION, LABEL} from '../../model/annotations.js'
import {halted, refused} from '../halt.js'
import type {Step} from '../machine.js'
import {bindingRollTarget, isAppRolled} from '../phase.js'
import type {AppInfo, BindingInfo, RotationPlatform} from '../platform.js'
import {appGuidsOf, createFailed, newest, newestUsable} from '../bindings.js'
import {createdByThisRun, deleteAndWait, settle} from './jobs.js'
import {rollApps, verifyInstances} from './roll.js'
import {isGrace, type RunState} from './state.js'
import {atLeast, MIN_CC_VERSION} from '../versions.js'

type BindingStep = Step<RunState>

const isOurs = createdByThisRun

function journalApps(state: RunState): string[] {
  const journal = decodeJournal(state.target.annotations[ANNOTATION.journal])
  return journal?.rotationId === state.rotationId ? journal.apps : state.observation.apps.map((a) => a.guid)
}

/** The binding each app should use after this run: ours (rotate) or the newest usable (retire). */
function currentBinding(state: RunState, mine: BindingInfo[]): BindingInfo | null {
  const live = mine.filter((b) => !createFailed(b))
  return state.action === 'rotate' ? newest(live.filter(isOurs(state))) : newestUsable(live)
}

/** Bindings per app: the journal's apps (rotate), or every bound app (retire). */
async function bindingsByApp(
  platform: RotationPlatform,
  state: RunState,
): Promise<Map<string, BindingInfo[]>> {
  const all = await platform.listBindings(state.target.guid, 'app')
  const appGuids = state.action === 'rotate' ? journalApps(state) : appGuidsOf(all)
  const byApp = new Map<string, BindingInfo[]>([...new Set(appGuids)].sort().map((g) => [g, []]))
  for (const b of all) if (b.appGuid) byApp.get(b.appGuid)?.push(b)
  return byApp
}

export const recordJournal = (when: BindingStep['when']): BindingStep => ({
  id: 'record-journal',
  title: 'Record the apps to rotate on the service instance',
  when,
  async run(platform, state) {
    const apps = state.kind === 'managed-binding' ? state.observation.apps.map((a) => a.guid) : []
    const journal = {
      rotationId: state.rotationId,
      kind: state.kind === 'service-key' ? ('service-key' as const) : ('managed-binding' as const),
      startedAt: platform.now().toISOString(),
      apps,
      keyName: state.observation.key?.keyName ?? null,
    }
    const value = encodeJournal(journal)
    await platform.updateServiceInstance(state.target.guid, {
      metadata: {annotations: {[ANNOTATION.journal]: value}},
    })
    state.target = {...state.target, annotations: {...state.target.annotations, [ANNOTATION.journal]: value}}
    state.changed = true
    state.phase = 'started'
    return {detail: apps.length > 0 ? `${apps.length} app(s)` : `key family ${journal.keyName}`, data: {apps}}
  },
})

function tooFewBindingsMessage(state: RunState, detail: string): string {
  return `${state.target.name}: a second binding per app is not allowed here (${detail}); rotating without downtime needs one`
}

export const createBindings = (when: BindingStep['when']): BindingStep => ({
  id: 'create-bindings',
  title: 'Create a new binding per app (strategy multiple)',
  when,
  async run(platform, state, ctx) {
    const byApp = await bindingsByApp(platform, state)
    const multipleOk = atLeast(state.observation.ccVersion, MIN_CC_VERSION.bindingStrategyMultiple)
    let created = 0
    let replacedWithDowntime = 0
    for (const [appGuid, mine] of byApp) {
      let ours = currentBinding(state, mine)
      if (ours && ours.lastOperation.state !== 'succeeded')
        ours = await settle(platform, state, ctx, ours, 'the new binding')
      if (ours?.lastOperation.state === 'succeeded') continue
      // Our earlier attempt failed (broker): remove it before trying again.
      if (ours) await deleteAndWait(platform, state, ctx, ours, 'a failed new binding')
      const older = mine.filter((b) => !createFailed(b) && !isOurs(state)(b))
      const name = older[0]?.name ?? mine[0]?.name ?? null
      const create = (strategy: 'single' | 'multiple') =>
        platform.createAppBinding({
          serviceInstanceGuid: state.target.guid,
          appGuid,
          name,
          strategy,
          metadata: {annotations: {[ANNOTATION.rotationId]: state.rotationId}},
        })
      let refusal: string | null = null
      if (multipleOk) {
        const outcome = await create('multiple')
        if (outcome.status === 'created') {
          state.changed = true
          const done = await settle(platform, state, ctx, outcome.binding, 'the new binding')
          if (done?.lastOperation.state === 'succeeded') {
            created++
            continue
          }
          if (done) await deleteAndWait(platform, state, ctx, done, 'the failed new binding')
          refusal = 'the service broker failed the second binding'
        } else if (outcome.reason === 'limit' || outcome.reason === 'already-bound') {
          refusal = outcome.message
        } else {
          throw halted(
            `cannot bind app ${appGuid} again: ${outcome.message}`,
            'wait for the other binding operation, then re-run',
          )
        }
      } else {
        refusal = `Cloud Controller ${state.observation.ccVersion} predates strategy multiple (${MIN_CC_VERSION.bindingStrategyMultiple})`
      }
      if (!state.options.allowDowntime) {
        await forgetIfUntouched(platform, state, byApp)
        throw refused(
          tooFewBindingsMessage(state, refusal),
          'ask the platform team to allow 2+ bindings (cc.max_service_credential_bindings_per_app_service_instance) and a broker that supports them',
          'or accept downtime: re-run with --allow-downtime (the old binding is deleted first)',
        )
      }
      ctx.warn(
        `app ${appGuid}: ${refusal}; deleting the old binding first (downtime until the roll finishes)`,
      )
      for (const b of older) await deleteAndWait(platform, state, ctx, b, 'the old binding')
      const outcome = await create(multipleOk ? 'multiple' : 'single')
      if (outcome.status !== 'created')
        throw halted(`cannot bind app ${appGuid}: ${outcome.message}`, 're-run')
      const done = await settle(platform, state, ctx, outcome.binding, 'the new binding')
      if (done?.lastOperation.state !== 'succeeded')
        throw halted(`the new binding of app ${appGuid} failed`, 're-run to try again')
      replacedWithDowntime++
    }
    state.phase = 'bound'
    return {
      detail: `${created} new binding(s)${replacedWithDowntime ? `, ${replacedWithDowntime} replaced with downtime` : ''}`,
    }
  },
})

/** Nothing created yet: drop the journal so the instance looks as before (the lease goes on failure). */
async function forgetIfUntouched(
  platform: RotationPlatform,
  state: RunState,
  byApp: Map<string, BindingInfo[]>,
) {
  const fresh = await platform.listBindings(state.target.guid, 'app')
  if (fresh.some(isOurs(state)) || [...byApp.values()].some((bs) => bs.some(isOurs(state)))) return
  await platform.updateServiceInstance(state.target.guid, {
    metadata: {annotations: {[ANNOTATION.journal]: null}},
  })
  state.changed = false
}

async function rollTargets(platform: RotationPlatform, state: RunState) {
  const byApp = await bindingsByApp(platform, state)
  return {
    appGuids: [...byApp.keys()],
    targetOf: (app: AppInfo) => bindingRollTarget(currentBinding(state, byApp.get(app.guid) ?? [])),
  }
}

export const rollBindings = (when: BindingStep['when']): BindingStep => ({
  id: 'roll-apps',
  title: 'Rolling deployment of every bound app',
  when,
  async run(platform, state, ctx) {
    const {appGuids, targetOf} = await rollTargets(platform, state)
    return rollApps(platform, state, ctx, appGuids, targetOf)
  },
})

export const verifyBindings = (when: BindingStep['when']): BindingStep => ({
  id: 'verify-instances',
  title: 'Check every instance started after its new binding',
  when,
  async run(platform, state) {
    const {appGuids, targetOf} = await rollTargets(platform, state)
    const result = await verifyInstances(platform, appGuids, targetOf)
    state.phase = 'rolled'
    return result
  },
})

export const deleteOldBindings = (when: BindingStep['when']): BindingStep => ({
  id: 'delete-old-bindings',
  title: 'Delete the older bindings',
  when,
  async run(platform, state, ctx) {
    const byApp = await bindingsByApp(platform, state)
    const appGuids = [...byApp.keys()]
    const [apps, labelled] = await Promise.all([
      platform.listApps(appGuids),
      platform.listDeployments({appGuids, labelSelector: LABEL.credentialsChange}),
    ])
    let deleted = 0
    for (const [appGuid, mine] of byApp) {
      const current = currentBinding(state, mine)
      const older = mine.filter((b) => b.guid !== current?.guid && !createFailed(b))
      if (older.length === 0) continue
      if (!current || current.lastOperation.state !== 'succeeded') {
        throw halted(
          `app ${appGuid} has no usable new binding; not deleting its older ones`,
          're-run `cfguard credentials rotate`',
        )
      }
      const app = apps.find((a) => a.guid === appGuid)
      if (app && !isAppRolled(app, bindingRollTarget(current), labelled)) {
        throw halted(
          `app ${app.name} does not run its new binding yet; not deleting the older ones`,
          're-run `cfguard credentials rotate`',
        )
      }
      for (const b of older) {
        await deleteAndWait(platform, state, ctx, b, 'an older binding')
        deleted++
      }
    }
    state.phase = 'retired'
    return {detail: `${deleted} older binding(s) deleted`}
  },
})

/** Binding and key rotations: one PATCH records everything and drops lease and journal. */
export const finalizeAnnotations = (when: BindingStep['when']): BindingStep => ({
  id: 'finalize',
  title: 'Record the rotation and release the lease',
  when,
  async run(platform, state) {
    const now = platform.now()
    if (state.action === 'retire') {
      await platform.updateServiceInstance(state.target.guid, {
        metadata: {annotations: {[ANNOTATION.retireAfter]: null, [ANNOTATION.lease]: null}},
      })
      state.leaseToken = null
      state.phase = 'done'
      return {detail: 'grace mark cleared'}
    }
    const grace = isGrace(state.options) && state.phase !== 'retired'
    state.retireAfter = grace ? new Date(now.getTime() + state.options.graceMs!).toISOString() : null
    await platform.updateServiceInstance(state.target.guid, {
      metadata: {
        annotations: {
          [ANNOTATION.rotatedAt]: now.toISOString(),
          [ANNOTATION.rotatedBy]: state.options.owner,
          [ANNOTATION.rotatedKind]: rotatedKindOf(state.kind, state.observation.key?.keyName ?? null),
          [ANNOTATION.rotationId]: state.rotationId,
          [ANNOTATION.retireAfter]: state.retireAfter,
          [ANNOTATION.journal]: null,
          [ANNOTATION.lease]: null,
        },
      },
    })
    state.leaseToken = null
    state.changed = true
    state.phase = grace ? 'grace' : 'done'
    return {detail: grace ? `older ones stay until ${state.retireAfter}` : 'rotation recorded'}
  },
})
