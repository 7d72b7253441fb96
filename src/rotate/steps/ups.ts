/**
 * Steps of a user-provided service rotation (docs/architecture.md "Rotation protocol", steps 2–7), of its
 * retirement and of its rollback. Each step re-reads what it is about to change and acts only
 * when the platform agrees with the phase; a step whose work is already on the platform says so
 * and moves on. UAA's DELETE removes the *older* secret, so it runs only when both the new and
 * the previous secret are accepted and every instance runs the new one — never from doubt.
 */

import {encodeRotationRecord, secretSetAtOf} from '../annotations.js'
import {ANNOTATION} from '../../model/annotations.js'
import {secretAt, secretLeaves, withSecret, type SecretLocator} from '../credentials.js'
import {assertFollowersHold, followerAppGuids, moveFollowers} from '../followers.js'
import {halted, NeedsHumanError, refused} from '../halt.js'
import type {Step, StepContext, StepResult} from '../machine.js'
import type {ProbeResult, RotationPlatform} from '../platform.js'
import {upsRollTarget} from '../phase.js'
import {createStore, readStore} from '../store.js'
import {credentialsWord, rollApps, verifyInstances} from './roll.js'
import {isGrace, type RunState} from './state.js'
import {CfguardError, isCfguardError} from '../../errors.js'
import {registerSecret} from '../../redact.js'

type UpsStep = Step<RunState>

export function locatorOf(state: RunState): SecretLocator {
  const locator = state.secrets.locator
  if (!locator) throw new TypeError('UPS rotation without a located secret')
  return locator
}

export function pendingOf(state: RunState): string {
  if (state.pending === null) throw new TypeError('no pending secret in state')
  return state.pending
}

export function previousOf(state: RunState): string {
  if (state.previous === null) throw new TypeError('no previous secret in state')
  return state.previous
}

export const fp = (state: RunState, secret: string) => state.options.fingerprint(secret)

export async function probe(
  platform: RotationPlatform,
  state: RunState,
  secret: string,
): Promise<ProbeResult | null> {
  const locator = locatorOf(state)
  if (state.kind === 'ups-external' && locator.tokenEndpoint === null && locator.issuer === null) return null
  return platform.probeClientSecret({
    clientId: locator.clientId,
    secret,
    tokenEndpoint: state.kind === 'ups-uaa' ? null : locator.tokenEndpoint,
    issuer: state.kind === 'ups-uaa' ? null : locator.issuer,
  })
}

export function probeError(what: string): CfguardError {
  return new CfguardError('API_UNAVAILABLE', `the token endpoint did not say whether ${what} is valid`, {
    suggestions: ['re-run when the identity provider answers; nothing was changed by this step'],
  })
}

/** The UPS credentials as they are now (registered as secrets) and the secret at the locator. */
export async function readCurrent(platform: RotationPlatform, state: RunState) {
  const credentials = await platform.readUpsCredentials(state.target.guid)
  for (const s of secretLeaves(credentials)) registerSecret(s)
  const secret = secretAt(credentials, locatorOf(state))
  return {credentials, secret}
}

export function changedOutside(state: RunState): NeedsHumanError {
  return new NeedsHumanError(
    `the credentials of ${state.target.name} hold neither the new nor the previous secret: they were changed outside this rotation`,
    ['find out who changed them; roll back with `cfguard credentials rollback` or finish by hand'],
  )
}

/** Other user-provided services holding the client, carried through this run. */
export const followersOf = (state: RunState) => state.observation.ups?.followers ?? []

/** Apps bound to the service and to its followers: every app that must run the new secret. */
export async function boundAppGuids(platform: RotationPlatform, state: RunState): Promise<string[]> {
  const bindings = await platform.listBindings(state.target.guid, 'app')
  const own = bindings.flatMap((b) => (b.appGuid ? [b.appGuid] : []))
  return [...new Set([...own, ...(await followerAppGuids(platform, followersOf(state)))])].sort()
}

export const credentialsUpdatedAt = (state: RunState) =>
  state.target.annotations[ANNOTATION.credentialsUpdatedAt] ?? state.credentialsUpdatedAt

// ---- 2. generate / take the new secret and persist it on the platform -------------------

export function persistSecret(when: UpsStep['when']): UpsStep {
  return {
    id: 'persist-secret',
    title: 'Generate the new secret and store it on the platform',
    when,
    async run(platform, state, ctx) {
      const existing = await readStore(platform, state.target)
      if (existing.status === 'foreign') {
        throw refused(
          `a service named like cfguard's rotation state exists but is not cfguard's`,
          'rename or delete it, then re-run',
        )
      }
      if (existing.status === 'present') return adopt(state, existing.guid, existing.state)
      const {secret: current} = await readCurrent(platform, state)
      if (current === null || current !== state.secrets.locator?.secret) throw changedOutside(state)
      const pending = state.kind === 'ups-external' ? state.supplied : platform.generateSecret()
      if (pending === null || pending === '')
        throw refused('no new secret was supplied', 'pass it with --secret-file or on stdin')
      registerSecret(pending)
      if (pending === current) throw refused('the supplied secret is the one the service holds already')
      const created = await createStore(platform, state.target, {
        // What a rollback puts back besides the secret: its age and the rotation record.
        previousSecretSetAt: secretSetAtOf(
          state.target.annotations,
          await newestCredentialsEvent(platform, state, ctx),
        ),
        previousRotation: encodeRotationRecord(state.target.annotations),
        rotationId: state.rotationId,
        kind: state.kind === 'ups-external' ? 'ups-external' : 'ups-uaa',
        targetGuid: state.target.guid,
        clientId: locatorOf(state).clientId,
        startedAt: platform.now().toISOString(),
        pending,
        previous: current,
      })
      if (created.status === 'name-taken') {
        const again = await readStore(platform, state.target)
        if (again.status !== 'present')
          throw halted('the rotation state appeared and vanished while creating it', 're-run')
        return adopt(state, again.guid, again.state)
      }
      state.storeGuid = created.guid
      state.pending = pending
      state.previous = current
      state.changed = true
      state.phase = 'generated'
      return {
        detail: `new secret ${fp(state, pending)} stored in the rotation state of ${state.target.name}`,
        data: {
          state_guid: created.guid,
          pending_fingerprint: fp(state, pending),
          previous_fingerprint: fp(state, current),
        },
      }
    },
  }
}

/**
 * When the service's credentials were last changed by anyone (audit trail). Only the age a
 * rollback restores depends on it, so an unreadable trail is a warning, not a stop.
 */
async function newestCredentialsEvent(
  platform: RotationPlatform,
  state: RunState,
  ctx: StepContext,
): Promise<string | null> {
  try {
    return await platform.lastCredentialsEvent(state.target.guid)
  } catch (err) {
    if (!isCfguardError(err)) throw err
    ctx.warn(
      `cannot read the audit events of ${state.target.name} (${err.message}): after a rollback its secret's age would be taken from cfguard's marks only`,
    )
    return null
  }
}

function adopt(
  state: RunState,
  guid: string,
  stored: {rotationId: string; pending: string; previous: string},
): StepResult {
  state.storeGuid = guid
  state.pending = stored.pending
  state.previous = stored.previous
  state.rotationId = stored.rotationId
  state.phase = 'generated'
  return {
    detail: `continuing rotation ${stored.rotationId} already stored on the platform`,
    data: {state_guid: guid},
  }
}

// ---- 3. UAA changeMode ADD, then verify ------------------------------------------------

export const addSecret = (when: UpsStep['when']): UpsStep => ({
  id: 'add-secret',
  title: 'Add the new secret to the UAA client (changeMode ADD)',
  when,
  async run(platform, state) {
    const pending = pendingOf(state)
    const clientId = locatorOf(state).clientId
    const before = await probe(platform, state, pending)
    if (before === 'error') throw probeError('the new secret')
    if (before === 'accepted') {
      state.phase = 'added'
      return {detail: 'UAA already accepts the new secret (not added twice)'}
    }
    const outcome = await platform.changeClientSecret({clientId, changeMode: 'ADD', secret: pending})
    if (outcome === 'two-secrets') {
      const again = await probe(platform, state, pending)
      if (again !== 'accepted') {
        // Neither secret at UAA is ours: drop our never-accepted pending secret, touch nothing else.
        if (state.storeGuid) await platform.deleteServiceInstance(state.storeGuid)
        state.storeGuid = null
        throw new NeedsHumanError(
          `UAA client ${clientId} already has two secrets and neither is the one cfguard prepared: someone else is rotating it, or an earlier rotation never retired its old secret`,
          [
            'find which secret the apps use, remove the other one (UAA changeMode DELETE removes the older), then re-run',
          ],
        )
      }
    } else if (outcome !== 'ok') {
      throw new CfguardError(
        'API_ERROR',
        `UAA answered "${outcome}" to adding a secret to client ${clientId}`,
      )
    }
    state.changed = true
    state.phase = 'added'
    return {detail: `UAA client ${clientId} has the new secret as its second`, data: {client_id: clientId}}
  },
})

export const verifySecret = (when: UpsStep['when']): UpsStep => ({
  id: 'verify-secret',
  title: 'Verify the identity provider accepts the new secret',
  when,
  async run(platform, state, ctx) {
    const pending = pendingOf(state)
    let result: ProbeResult | null = null
    for (let attempt = 0; attempt < 3; attempt++) {
      result = await probe(platform, state, pending)
      if (result !== 'rejected' || state.kind === 'ups-external') break
      await platform.sleep(state.options.pollIntervalMs)
    }
    if (result === null) {
      ctx.warn(
        'the credentials name no token endpoint or issuer: the new secret was not verified before rollout',
      )
      state.phase = 'added'
      return {detail: 'not verified (no token endpoint known)'}
    }
    if (result === 'error') throw probeError('the new secret')
    if (result === 'rejected') {
      throw halted(
        state.kind === 'ups-external'
          ? `the identity provider rejects the new secret of client ${locatorOf(state).clientId}`
          : `UAA does not accept the new secret of client ${locatorOf(state).clientId} after adding it`,
        state.kind === 'ups-external'
          ? 'add it at the identity provider first, then re-run (nothing was rolled out)'
          : 're-run; nothing was rolled out',
      )
    }
    state.phase = 'added'
    return {detail: `accepted (${fp(state, pending)})`, data: {pending_fingerprint: fp(state, pending)}}
  },
})

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

// ---- 6. retire the old secret -------------------------------------------------------------

export async function assertAllFresh(platform: RotationPlatform, state: RunState): Promise<void> {
  const target = upsRollTarget(credentialsUpdatedAt(state))
  try {
    await verifyInstances(platform, await boundAppGuids(platform, state), () => target)
  } catch (err) {
    throw halted(
      `not retiring: ${(err as Error).message}`,
      're-run `cfguard credentials rotate` to roll them first',
    )
  }
}

export const retireSecret = (when: UpsStep['when'], next: RunState['phase']): UpsStep => ({
  id: 'retire-secret',
  title: 'Retire the old secret (changeMode DELETE)',
  when,
  async run(platform, state, ctx): Promise<StepResult> {
    const pending = pendingOf(state)
    const previous = previousOf(state)
    const clientId = locatorOf(state).clientId
    const {secret} = await readCurrent(platform, state)
    if (secret !== pending) throw changedOutside(state)
    if (state.kind === 'ups-external') {
      ctx.warn(
        `remove the old secret (${fp(state, previous)}) of client ${clientId} at its identity provider`,
      )
      state.phase = next
      return {
        detail: 'left to the operator (another identity provider)',
        data: {previous_fingerprint: fp(state, previous)},
      }
    }
    await assertFollowersHold(
      platform,
      followersOf(state),
      pending,
      'retiring the old secret',
      state.action === 'retire'
        ? `give it the new secret (or delete it), or go back with \`cfguard credentials rollback ${state.target.name}\``
        : `re-run \`cfguard credentials rotate ${state.target.name} --include-shared\` to move it first`,
    )
    await assertAllFresh(platform, state)
    const [newOk, oldOk] = [await probe(platform, state, pending), await probe(platform, state, previous)]
    if (newOk === 'error' || oldOk === 'error') throw probeError('a secret')
    if (newOk !== 'accepted') {
      throw new NeedsHumanError(
        `UAA no longer accepts the new secret of client ${clientId}; not retiring anything`,
      )
    }
    if (oldOk === 'rejected') {
      state.phase = next
      return {detail: 'the old secret is already retired (no second DELETE)'}
    }
    const outcome = await platform.changeClientSecret({clientId, changeMode: 'DELETE'})
    if (outcome !== 'ok' && outcome !== 'one-secret') {
      throw new CfguardError(
        'API_ERROR',
        `UAA answered "${outcome}" to retiring a secret of client ${clientId}`,
      )
    }
    state.changed = true
    const [newAfter, oldAfter] = [
      await probe(platform, state, pending),
      await probe(platform, state, previous),
    ]
    if (newAfter === 'rejected') {
      throw new NeedsHumanError(
        `after DELETE, UAA rejects the new secret of client ${clientId}: the older secret was not the one cfguard replaced`,
        ['set the secret by hand (changeMode UPDATE) to the one in the service credentials'],
      )
    }
    if (oldAfter === 'accepted') {
      throw new NeedsHumanError(`UAA still accepts the old secret of client ${clientId} after DELETE`)
    }
    state.phase = next
    return {
      detail: `UAA accepts only ${fp(state, pending)} now`,
      data: {retired_fingerprint: fp(state, previous)},
    }
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
