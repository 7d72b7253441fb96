/**
 * Steps of a user-provided service rotation (docs/architecture.md "Rotation protocol"), of its
 * retirement and of its rollback. Each step re-reads what it is about to change and acts only
 * when the platform agrees with the phase; a step whose work is already on the platform says so
 * and moves on. Here: update the credentials (4), roll and verify (5), record (7). The new secret
 * (2–3) is in ups-secret.ts, retiring the old one (6) in ups-retire.ts, the shared helpers in
 * ups-common.ts.
 */

import {ANNOTATION} from '../../model/annotations.js'
import {withSecret} from '../credentials.js'
import {moveFollowers} from '../followers.js'
import {halted} from '../halt.js'
import type {Step} from '../machine.js'
import {upsRollTarget} from '../phase.js'
import {credentialsWord, rollApps, verifyInstances} from './roll.js'
import {isGrace, type RunState} from './state.js'
import {
  boundAppGuids,
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

// ---- 4. PATCH the UPS with the full credentials, only the secret changed ----------------

export const updateCredentials = (when: UpsStep['when']): UpsStep => ({
  id: 'update-credentials',
  title: 'Update the service credentials (only the secret changes)',
  when,
  async run(platform, state) {
    const pending = pendingOf(state)
    const followers = followersOf(state)
    const {credentials, secret} = await readCurrent(platform, state)
    if (secret === pending && followers.length === 0) {
      state.phase = 'updated'
      return {detail: 'the service already holds the new secret'}
    }
    if (secret !== pending && secret !== previousOf(state)) throw changedOutside(state)
    const check = await probe(platform, state, pending)
    if (check === 'error') throw probeError('the new secret')
    if (check === 'rejected') throw halted('the identity provider no longer accepts the new secret', 're-run')
    // Followers first: the target's mark, written last, is the time every app must have started after.
    const moved = await moveFollowers(
      platform,
      followers,
      previousOf(state),
      pending,
      platform.now().toISOString(),
    )
    if (moved.length > 0) state.changed = true
    if (secret === pending && moved.length === 0) {
      state.phase = 'updated'
      return {detail: 'the service and the other holders already hold the new secret'}
    }
    const at = platform.now().toISOString()
    await platform.updateServiceInstance(state.target.guid, {
      ...(secret === pending ? {} : {credentials: withSecret(credentials, locatorOf(state), pending)}),
      metadata: {
        annotations: {
          [ANNOTATION.credentialsUpdatedAt]: at,
          [ANNOTATION.secretSetAt]: at,
          [ANNOTATION.clientId]: locatorOf(state).clientId,
        },
      },
    })
    state.changed = true
    state.credentialsUpdatedAt = at
    state.target = {
      ...state.target,
      annotations: {
        ...state.target.annotations,
        [ANNOTATION.credentialsUpdatedAt]: at,
        [ANNOTATION.secretSetAt]: at,
      },
    }
    state.phase = 'updated'
    return {
      detail:
        `the service holds ${fp(state, pending)} since ${at}` +
        (moved.length > 0 ? `; so do ${moved.join(', ')}` : ''),
      data: {pending_fingerprint: fp(state, pending), ...(moved.length > 0 ? {followers: moved} : {})},
    }
  },
})

// ---- 5. roll and verify ------------------------------------------------------------------

export const rollUps = (when: UpsStep['when']): UpsStep => ({
  id: 'roll-apps',
  title: 'Rolling deployment of every bound app',
  when,
  async run(platform, state, ctx) {
    const target = upsRollTarget(credentialsUpdatedAt(state))
    return rollApps(platform, state, ctx, await boundAppGuids(platform, state), () => target)
  },
})

export const verifyUps = (when: UpsStep['when'], next: RunState['phase']): UpsStep => ({
  id: 'verify-instances',
  title: 'Check every instance started after the update',
  when,
  async run(platform, state) {
    const target = upsRollTarget(credentialsUpdatedAt(state))
    const result = await verifyInstances(
      platform,
      await boundAppGuids(platform, state),
      () => target,
      credentialsWord(state),
    )
    state.phase = next
    return result
  },
})

// ---- 7. record, release, clean up ---------------------------------------------------------

export const finalizeUps = (when: UpsStep['when']): UpsStep => ({
  id: 'finalize',
  title: 'Record the rotation and release the lease',
  when,
  async run(platform, state) {
    const now = platform.now()
    const grace = state.action === 'rotate' && isGrace(state.options) && state.phase === 'rolled'
    if (state.phase !== 'recorded') {
      state.retireAfter = grace ? new Date(now.getTime() + state.options.graceMs!).toISOString() : null
      await platform.updateServiceInstance(state.target.guid, {
        metadata: {
          annotations: {
            [ANNOTATION.rotatedAt]: now.toISOString(),
            [ANNOTATION.rotatedBy]: state.options.owner,
            [ANNOTATION.rotatedKind]: state.kind,
            [ANNOTATION.rotationId]: state.rotationId,
            [ANNOTATION.retireAfter]: state.retireAfter,
            [ANNOTATION.clientId]: locatorOf(state).clientId,
            [ANNOTATION.lease]: null,
          },
        },
      })
    } else {
      await platform.updateServiceInstance(state.target.guid, {
        metadata: {annotations: {[ANNOTATION.retireAfter]: null, [ANNOTATION.lease]: null}},
      })
    }
    state.leaseToken = null
    state.changed = true
    if (grace) {
      state.phase = 'grace'
      return {detail: `old secret valid until ${state.retireAfter}; the rotation state keeps it for rollback`}
    }
    if (state.storeGuid) await platform.deleteServiceInstance(state.storeGuid)
    state.phase = 'done'
    return {detail: 'rotation recorded; pending state removed', data: {rotation_id: state.rotationId}}
  },
})
