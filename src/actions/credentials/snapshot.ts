/**
 * The Snapshot the credential commands judge: the collector's identity family without reading a
 * secret (`secrets: false`, so no `*.show` audit event): identity is recognised from names, tags,
 * the service catalogue and cfguard's own marks; ages from credential-change audit events and
 * annotations; instances from the embedded process instances.
 */
import {collectSnapshot, type CollectOptions} from '../../collect/index.js'
import {loadOrCreateSalt} from '../../config/salt.js'
import type {Snapshot} from '../../model/snapshot.js'
import type {RunContext} from '../../context.js'
import type {Session} from '../../cf/session.js'

export async function collectCredentialSnapshot(
  session: Session,
  ctx: RunContext,
  options: {skipSslValidation?: boolean} = {},
): Promise<Snapshot> {
  const {snapshot} = await collectSnapshot(
    session,
    ctx,
    identityCollection(ctx, {
      scope: await session.resolveScope(),
      secrets: false,
      cache: false,
      skipSslValidation: options.skipSslValidation ?? false,
    }),
  )
  return snapshot
}

/** The identity family alone, no opt-in probes: what the credential commands collect. */
export function identityCollection(
  ctx: RunContext,
  o: Pick<CollectOptions, 'scope' | 'secrets' | 'cache' | 'skipSslValidation'>,
): CollectOptions {
  return {
    ...o,
    families: ['identity'],
    concurrency: 16,
    checkIssuers: false,
    verifyCredentials: false,
    traffic: null,
    routeBaseline: null,
    salt: loadOrCreateSalt(ctx.home),
  }
}
