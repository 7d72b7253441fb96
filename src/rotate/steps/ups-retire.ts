/**
 * Retiring the old secret of a user-provided service (step 6). UAA's DELETE removes the *older*
 * secret, so it runs only when both the new and the previous secret are accepted and every
 * instance runs the new one — never from doubt. Another identity provider's old secret is left
 * to the operator.
 */

import {CfguardError} from '../../errors.js'
import {assertFollowersHold} from '../followers.js'
import {NeedsHumanError} from '../halt.js'
import type {Step, StepResult} from '../machine.js'
import type {RunState} from './state.js'
import {
  assertAllFresh,
  changedOutside,
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
