/**
 * Opens what a rotation command works with: the session, the rotation port over it
 * (rotate/platform-cf.ts), the keyed fingerprint of this installation, who acts (the lease
 * owner), and the service instance a name on the command line means.
 */
import {hostname} from 'node:os'

import type {CcServiceInstance} from '../../cf/ccv3/types.js'
import {decodeJwtClaims} from '../../cf/http/tokens.js'
import {loadOrCreateSalt} from '../../config/salt.js'
import {noMatchMessage} from '../../util/suggest.js'
import {CfguardError} from '../../errors.js'
import {keyedFingerprint, type Fingerprint} from '../../model/fingerprint.js'
import type {HolderFinder} from '../../rotate/holders.js'
import {createCfRotationPlatform} from '../../rotate/platform-cf.js'
import type {RotationPlatform} from '../../rotate/platform.js'
import type {RunContext} from '../../context.js'
import {holderFinder} from './holders.js'
import {type Session} from '../../cf/session.js'
import {openSession, type SessionOptions} from '../session.js'

export interface RotationConnection {
  session: Session
  platform: RotationPlatform
  fingerprint: Fingerprint
  /** Lease owner and `rotated-by`: `<user or client>@<host>`. */
  owner: string
  /** CC's audit actor guid for this token (user id, else client id). */
  actorGuid: string | null
  /** Every other holder of a service's client, across all the token can see (the blast radius). */
  findHolders: HolderFinder
  close(): void
}

export async function openRotation(ctx: RunContext, options: SessionOptions): Promise<RotationConnection> {
  const fingerprint = keyedFingerprint(loadOrCreateSalt(ctx.home))
  // Ctrl-C interrupts the waits (deployments, jobs) at once, but not the requests: the run then
  // stops between steps and can still give its lease back.
  const requests: RunContext = {...ctx, signal: new AbortController().signal}
  const session = await openSession(requests, options)
  try {
    // UAA secret changes are sent once (the UAA client never retries them): a lost answer fails
    // the step, and the re-run decides from platform state.
    const platform = createCfRotationPlatform({
      cc: session.cc,
      uaa: session.uaa,
      transport: session.transport,
      tokens: session.tokens,
      ccVersion: session.target.ccVersion,
      now: ctx.now,
      sleep: (ms) => ctx.sleep(ms, ctx.signal),
    })
    const who = session.target.user ?? session.target.client ?? 'unknown'
    const claims = decodeClaims(session)
    return {
      session,
      platform,
      fingerprint,
      owner: `${who}@${hostname()}`,
      actorGuid: claims,
      findHolders: holderFinder(session, requests, options),
      close: () => session.close(),
    }
  } catch (err) {
    session.close()
    throw err
  }
}

function decodeClaims(session: Session): string | null {
  const token = session.tokens.current()?.accessToken
  const claims = token ? decodeJwtClaims(token) : null
  const id = claims?.user_id ?? claims?.client_id
  return typeof id === 'string' ? id : null
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The service instance `ref` (a name in scope, or a guid) names; exactly one, else a usage error. */
export async function resolveServiceInstance(session: Session, ref: string): Promise<CcServiceInstance> {
  if (GUID.test(ref)) {
    try {
      return await session.cc.serviceInstances.get(ref)
    } catch (err) {
      if (!(err instanceof CfguardError && err.code === 'NOT_FOUND')) throw err
    }
  }
  const scope = await session.resolveScope()
  const within = scope.space
    ? {spaceGuids: [scope.space.guid]}
    : scope.org
      ? {organizationGuids: [scope.org.guid]}
      : {}
  const found = await session.cc.serviceInstances.listAll({names: [ref], ...within})
  const where = scope.space ? ` in space ${scope.space.name}` : scope.org ? ` in org ${scope.org.name}` : ''
  if (found.length === 0) {
    // The closest names in the same scope (one more list, only on this error path).
    const others = await session.cc.serviceInstances.listAll(within).then(
      (all) => all.map((si) => si.name),
      () => [],
    )
    throw new CfguardError(
      'NOT_FOUND',
      noMatchMessage(`service instance named "${ref}"${where}`, ref, others),
      {
        suggestions: [
          'list rotatable credentials with `cfguard credentials list`',
          'pick the space with --org/--space',
        ],
      },
    )
  }
  if (found.length > 1) {
    throw new CfguardError('USAGE', `${found.length} service instances are named "${ref}"${where}`, {
      suggestions: ['pick one with --org ORG --space SPACE, or pass its guid'],
    })
  }
  return found[0]!
}
