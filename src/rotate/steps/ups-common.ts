/**
 * What the steps of a user-provided service rotation, retirement and rollback share: the secrets
 * in the run's state, probes at the identity provider, the credentials as they are now, and the
 * apps that must run the new secret.
 */

import {ANNOTATION} from '../../model/annotations.js'
import {CfguardError} from '../../errors.js'
import {registerSecret} from '../../redact.js'
import {appGuidsOf} from '../bindings.js'
import {secretAt, secretLeaves, type SecretLocator} from '../credentials.js'
import {followerAppGuids} from '../followers.js'
import {halted, NeedsHumanError} from '../halt.js'
import {upsRollTarget} from '../phase.js'
import type {ProbeResult, RotationPlatform} from '../platform.js'
import {probeSecret} from '../probe.js'
import {verifyInstances} from './roll.js'
import type {RunState} from './state.js'

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

/** Asks the identity provider about a secret of this run's client (null: nowhere to ask). */
export function probe(
  platform: RotationPlatform,
  state: RunState,
  secret: string,
): Promise<ProbeResult | null> {
  return probeSecret(platform, state.kind, locatorOf(state), secret)
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
  const own = appGuidsOf(bindings)
  return [...new Set([...own, ...(await followerAppGuids(platform, followersOf(state)))])].sort()
}

export const credentialsUpdatedAt = (state: RunState) =>
  state.target.annotations[ANNOTATION.credentialsUpdatedAt] ?? state.credentialsUpdatedAt

/** Retiring is safe only once every instance of every bound app runs the new credentials. */
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
