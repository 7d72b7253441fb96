/**
 * Service key rotation: create a new key of the family (named `<family>-<rotation id>`, annotated
 * with the family and the rotation), hand its credentials to the output sink, mark it handed
 * over, delete the older keys of the family (now, or after the grace period).
 */

import {ANNOTATION} from '../../model/annotations.js'
import {secretLeaves} from '../credentials.js'
import {halted, refused} from '../halt.js'
import type {Step, StepContext} from '../machine.js'
import {keyFamily} from '../observe.js'
import type {BindingInfo, RotationPlatform} from '../platform.js'
import {createFailed, newestUsable} from '../bindings.js'
import {createdByThisRun, deleteAndWait, settle} from './jobs.js'
import type {RunState} from './state.js'
import {registerSecret} from '../../redact.js'

type KeyStep = Step<RunState>

function familyName(state: RunState): string {
  const name = state.observation.key?.keyName
  if (!name) throw new TypeError('key rotation without a key name')
  return name
}

export function newKeyName(family: string, rotationId: string): string {
  return `${family}-${rotationId.replace(/[^A-Za-z0-9-]/g, '').toLowerCase()}`
}

async function family(platform: RotationPlatform, state: RunState): Promise<BindingInfo[]> {
  return keyFamily(await platform.listBindings(state.target.guid, 'key'), familyName(state))
}

const isOurs = createdByThisRun

const deleteKey = (platform: RotationPlatform, state: RunState, ctx: StepContext, key: BindingInfo) =>
  deleteAndWait(platform, state, ctx, key, `key ${key.name}`)

export const createKey = (when: KeyStep['when']): KeyStep => ({
  id: 'create-key',
  title: 'Create the new service key',
  when,
  async run(platform, state, ctx) {
    const keys = await family(platform, state)
    for (const failed of keys.filter((k) => isOurs(state)(k) && createFailed(k)))
      await deleteKey(platform, state, ctx, failed)
    let ours = keys.find((k) => isOurs(state)(k) && !createFailed(k)) ?? null
    if (!ours) {
      ours = await platform.createServiceKey({
        serviceInstanceGuid: state.target.guid,
        name: newKeyName(familyName(state), state.rotationId),
        metadata: {
          annotations: {[ANNOTATION.rotationId]: state.rotationId, [ANNOTATION.keyFamily]: familyName(state)},
        },
      })
      state.changed = true
    }
    const done = await settle(platform, state, ctx, ours, 'the new key')
    if (done?.lastOperation.state !== 'succeeded') {
      if (done) await deleteKey(platform, state, ctx, done)
      throw halted(
        `the service broker failed to create the new key of ${state.target.name}`,
        're-run to try again',
      )
    }
    state.phase = 'created'
    return {detail: `key ${done.name}`, data: {key_guid: done.guid}}
  },
})

export const deliverKey = (when: KeyStep['when']): KeyStep => ({
  id: 'deliver-key',
  title: 'Hand the new credentials to the output',
  when,
  async run(platform, state) {
    const sink = state.options.keySink
    if (!sink) throw refused('no output for the new key credentials', 'pass --output FILE (0600) or --reveal')
    const ours = (await family(platform, state)).find((k) => isOurs(state)(k) && !createFailed(k))
    if (!ours) throw halted('the new key disappeared before it was handed over', 're-run to create another')
    const credentials = await platform.readBindingDetails(ours.guid)
    for (const s of secretLeaves(credentials)) registerSecret(s)
    const where = await sink.deliver({
      serviceInstanceGuid: state.target.guid,
      serviceInstanceName: state.target.name,
      keyGuid: ours.guid,
      keyName: ours.name ?? '',
      credentials,
    })
    await platform.updateBindingMetadata(ours.guid, {
      annotations: {[ANNOTATION.deliveredAt]: platform.now().toISOString()},
    })
    state.changed = true
    state.phase = 'delivered'
    return {detail: `key ${ours.name} ${where}`, data: {key_guid: ours.guid}}
  },
})

export const deleteOldKeys = (when: KeyStep['when']): KeyStep => ({
  id: 'delete-old-keys',
  title: 'Delete the older keys',
  when,
  async run(platform, state, ctx) {
    const keys = (await family(platform, state)).filter((k) => !createFailed(k))
    const keep = state.action === 'rotate' ? keys.find(isOurs(state)) : newestUsable(keys)
    if (!keep || keep.lastOperation.state !== 'succeeded') {
      throw halted('no usable new key; not deleting the older ones', 're-run `cfguard credentials rotate`')
    }
    if (state.action === 'rotate' && keep.annotations[ANNOTATION.deliveredAt] === undefined) {
      throw halted(
        'the new key was not handed over yet; not deleting the older ones',
        're-run to hand it over',
      )
    }
    let deleted = 0
    for (const k of keys) {
      if (k.guid === keep.guid) continue
      await deleteKey(platform, state, ctx, k)
      deleted++
    }
    state.phase = 'retired'
    return {detail: `${deleted} older key(s) deleted`, data: {kept_key_guid: keep.guid}}
  },
})
