/**
 * Managed instances: app bindings (one rotation covers every bound app, or the journal's apps)
 * and service key families. What a rotation in progress made is told apart by its rotation id.
 */

import {noMatchMessage} from '../util/suggest.js'
import {ANNOTATION} from '../model/annotations.js'
import {decodeJournal} from './annotations.js'
import {loadApps} from './observe-apps.js'
import type {BindingObservation, KeyObservation, Observation} from './observe.js'
import {bindingRollTarget, isAppRolled} from './phase.js'
import {appGuidsOf, createFailed, keyFamilyOf, newest, newestUsable} from './bindings.js'
import type {BindingInfo, RotationPlatform} from './platform.js'

export async function observeBindings(
  platform: RotationPlatform,
  base: Observation,
  only: string[] | null,
): Promise<Observation> {
  const si = base.target
  const journal = decodeJournal(si.annotations[ANNOTATION.journal])
  const rotationId = journal?.kind === 'managed-binding' ? journal.rotationId : null
  const bindings = await platform.listBindings(si.guid, 'app')
  // A rotation in progress covers the apps its journal recorded (even if one is unbound right now).
  const bound = appGuidsOf(bindings)
  const appGuids = rotationId && journal ? journal.apps : only ? bound.filter((g) => only.includes(g)) : bound
  const loaded = await loadApps(platform, appGuids)
  const facts = loaded.apps.map((app) => {
    const live = bindings.filter((b) => b.appGuid === app.guid && !createFailed(b))
    const ours =
      rotationId === null
        ? null
        : newest(live.filter((b) => b.annotations[ANNOTATION.rotationId] === rotationId))
    // Without a rotation in progress (grace), the binding apps use is the newest usable one.
    const inUse = rotationId === null ? newestUsable(live) : ours
    return {
      appGuid: app.guid,
      ours,
      older: live.filter((b) => b.guid !== inUse?.guid),
      fresh: isAppRolled(app, bindingRollTarget(inUse), loaded.changeDeployments),
    }
  })
  const binding: BindingObservation = {
    journal: rotationId ? {rotationId} : null,
    retireAfter: si.annotations[ANNOTATION.retireAfter] ?? null,
    apps: facts,
    bindings,
  }
  return {...base, ...loaded, kind: 'managed-binding', binding}
}

/** Keys of one family: the key named `keyName`, and keys cfguard created to replace it. */
export function keyFamily(keys: BindingInfo[], keyName: string): BindingInfo[] {
  return keys.filter((k) => k.name === keyName || k.annotations[ANNOTATION.keyFamily] === keyName)
}

export async function observeKey(
  platform: RotationPlatform,
  base: Observation,
  keyName: string,
): Promise<Observation> {
  const si = base.target
  const journal = decodeJournal(si.annotations[ANNOTATION.journal])
  const rotationId =
    journal?.kind === 'service-key' && journal.keyName === keyName ? journal.rotationId : null
  const keys = await platform.listBindings(si.guid, 'key')
  const family = keyFamily(keys, keyName)
  const live = family.filter((k) => !createFailed(k))
  const ours =
    rotationId === null
      ? null
      : (live.find((k) => k.annotations[ANNOTATION.rotationId] === rotationId) ?? null)
  const inUse = rotationId === null ? newestUsable(live) : ours
  const key: KeyObservation = {
    journal: rotationId ? {rotationId} : null,
    retireAfter: si.annotations[ANNOTATION.retireAfter] ?? null,
    ours,
    delivered: ours !== null && ours.annotations[ANNOTATION.deliveredAt] !== undefined,
    older: live.filter((k) => k.guid !== inUse?.guid),
    keyName,
    family,
  }
  const problem =
    family.length === 0 && rotationId === null
      ? noMatchMessage(`service key named "${keyName}"`, keyName, keys.map(keyFamilyOf)).replace(
          /^no /,
          'it has no ',
        )
      : null
  return {...base, kind: problem ? null : 'service-key', problem, key}
}
