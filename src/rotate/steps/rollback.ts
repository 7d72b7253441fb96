/**
 * Rollback of a user-provided service rotation, back to the previous secret while UAA still
 * accepts it: put it back into the service, roll every app, and only then make it the only
 * secret at UAA (`UPDATE`; `DELETE` would remove the older secret — the one being restored), so
 * no running instance ever holds a rejected secret.
 */

import {decodeRotationRecord} from '../annotations.js'
import {ANNOTATION} from '../../model/annotations.js'
import {lookAtStore} from '../store.js'
import {withSecret} from '../credentials.js'
import {assertFollowersHold, moveFollowers} from '../followers.js'
import {NeedsHumanError} from '../halt.js'
import type {Step, StepContext} from '../machine.js'
import type {RunState} from './state.js'
import {
  assertAllFresh,
  changedOutside,
  credentialsUpdatedAt,
  followersOf,
  fp,
  locatorOf,
  pendingOf,
  previousOf,
  probe,
  probeError,
  readCurrent,
} from './ups-common.js'

type UpsStep = Step<RunState>

export const restoreCredentials = (when: UpsStep['when']): UpsStep => ({
  id: 'restore-credentials',
  title: 'Put the previous secret back into the service',
  when,
  async run(platform, state) {
    const previous = previousOf(state)
    const followers = followersOf(state)
    const {credentials, secret} = await readCurrent(platform, state)
    if (secret !== pendingOf(state) && !(secret === previous && followers.length > 0))
      throw changedOutside(state)
    if (state.kind === 'ups-uaa') {
      const ok = await probe(platform, state, previous)
      if (ok === 'error') throw probeError('the previous secret')
      if (ok !== 'accepted')
        throw new NeedsHumanError('the previous secret is no longer valid: too late to roll back')
    }
    // The restored secret keeps its age: the time it was first put in place, kept by the rotation.
    const kept = await lookAtStore(platform, state.target)
    const setAt = (kept.status === 'present' ? kept.previousSecretSetAt : null) ?? 'unknown'
    // Followers first, as in the forward rotation: the target's mark is written last.
    const moved = await moveFollowers(platform, followers, pendingOf(state), previous, setAt)
    if (secret === previous && moved.length === 0) {
      state.phase = 'rb-restored'
      return {detail: 'the service and the other holders hold the previous secret already'}
    }
    const at = platform.now().toISOString()
    const marks = {[ANNOTATION.credentialsUpdatedAt]: at, [ANNOTATION.secretSetAt]: setAt}
    await platform.updateServiceInstance(state.target.guid, {
      ...(secret === previous ? {} : {credentials: withSecret(credentials, locatorOf(state), previous)}),
      metadata: {annotations: marks},
    })
    state.changed = true
    state.credentialsUpdatedAt = at
    state.target = {...state.target, annotations: {...state.target.annotations, ...marks}}
    state.phase = 'rb-restored'
    return {
      detail:
        `the service holds ${fp(state, previous)} again` +
        (moved.length > 0 ? `; so do ${moved.join(', ')}` : ''),
    }
  },
})

/**
 * UAA `UPDATE` (replace all secrets with the previous one) only once every instance runs the
 * previous secret: DELETE would remove the older secret — the one being restored.
 */
export const revertClient = (when: UpsStep['when']): UpsStep => ({
  id: 'revert-client',
  title: 'Make the previous secret the only one at UAA (changeMode UPDATE)',
  when,
  async run(platform, state, ctx: StepContext) {
    const previous = previousOf(state)
    const pending = pendingOf(state)
    const clientId = locatorOf(state).clientId
    const {secret} = await readCurrent(platform, state)
    if (secret !== previous) throw changedOutside(state)
    if (state.kind === 'ups-external') {
      ctx.warn(`remove the new secret (${fp(state, pending)}) of client ${clientId} at its identity provider`)
      state.phase = 'rb-reverted'
      return {detail: 'left to the operator (another identity provider)'}
    }
    // Instances can hold the new secret only if the service ever held it (then it was restored).
    const startedAt = state.observation.ups?.store?.startedAt
    const changedAt = credentialsUpdatedAt(state)
    if (startedAt && changedAt && Date.parse(changedAt) > Date.parse(startedAt))
      await assertAllFresh(platform, state)
    await assertFollowersHold(
      platform,
      followersOf(state),
      previous,
      'reverting the UAA client',
      `re-run \`cfguard credentials rollback ${state.target.name}\` to move it first`,
    )
    const [oldOk, newOk] = [await probe(platform, state, previous), await probe(platform, state, pending)]
    if (oldOk === 'error' || newOk === 'error') throw probeError('a secret')
    if (oldOk !== 'accepted')
      throw new NeedsHumanError('the previous secret is no longer valid; not changing UAA')
    if (newOk === 'rejected') {
      state.phase = 'rb-reverted'
      return {detail: 'UAA accepts only the previous secret already'}
    }
    await platform.changeClientSecret({clientId, changeMode: 'UPDATE', secret: previous, oldSecret: previous})
    state.changed = true
    if ((await probe(platform, state, previous)) !== 'accepted') {
      throw new NeedsHumanError(`UAA rejects the restored secret of client ${clientId} after UPDATE`)
    }
    state.phase = 'rb-reverted'
    return {
      detail: `UAA accepts only ${fp(state, previous)} now`,
      data: {removed_fingerprint: fp(state, pending)},
    }
  },
})

export const finalizeRollback = (when: UpsStep['when']): UpsStep => ({
  id: 'finalize',
  title: 'Record the rollback and release the lease',
  when,
  async run(platform, state) {
    // An undone rotation is no recent rotation: put the record of the one before it back.
    const kept = await lookAtStore(platform, state.target)
    const record = decodeRotationRecord(
      kept.status === 'present' ? (kept.previousRotation ?? undefined) : undefined,
    )
    await platform.updateServiceInstance(state.target.guid, {
      metadata: {
        annotations: {
          ...record,
          [ANNOTATION.rolledBackAt]: platform.now().toISOString(),
          [ANNOTATION.retireAfter]: null,
          [ANNOTATION.lease]: null,
        },
      },
    })
    state.leaseToken = null
    state.changed = true
    if (state.storeGuid) await platform.deleteServiceInstance(state.storeGuid)
    state.phase = 'done'
    return {detail: 'rolled back; rotation state removed'}
  },
})
