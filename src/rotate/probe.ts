/**
 * Where a secret is probed: a UAA secret at this foundation's UAA; another identity provider's
 * at the token endpoint or issuer its credentials name, and nowhere when they name neither.
 */

import type {SecretLocator} from './credentials.js'
import type {ProbeResult, RotationPlatform} from './platform.js'
import type {RotationKind} from './types.js'

export async function probeSecret(
  platform: RotationPlatform,
  kind: RotationKind,
  locator: SecretLocator,
  secret: string,
): Promise<ProbeResult | null> {
  if (kind === 'ups-external' && locator.tokenEndpoint === null && locator.issuer === null) return null
  return platform.probeClientSecret({
    clientId: locator.clientId,
    secret,
    tokenEndpoint: kind === 'ups-uaa' ? null : locator.tokenEndpoint,
    issuer: kind === 'ups-uaa' ? null : locator.issuer,
  })
}
