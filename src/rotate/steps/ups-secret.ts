/**
 * The new secret of a user-provided service rotation (docs/architecture.md "Rotation protocol",
 * steps 2–3): generate or take it, store it on the platform before anything else changes, add it
 * to the UAA client as its second secret, and check the identity provider accepts it.
 */

import {CfguardError, isCfguardError} from '../../errors.js'
import {registerSecret} from '../../redact.js'
import {encodeRotationRecord, secretSetAtOf} from '../annotations.js'
import {halted, NeedsHumanError, refused} from '../halt.js'
import type {Step, StepContext, StepResult} from '../machine.js'
import type {ProbeResult, RotationPlatform} from '../platform.js'
import {createStore, readStore} from '../store.js'
import type {RunState} from './state.js'
import {changedOutside, fp, locatorOf, pendingOf, probe, probeError, readCurrent} from './ups-common.js'

type UpsStep = Step<RunState>

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
