/**
 * The rotation port over the real API layer (`src/cf`): one Cloud Controller / UAA call per port
 * method where CC has one, bulk lists elsewhere (`listApps`: apps, their processes with embedded
 * instances, and stats only on foundations older than CC 3.211). Thin on purpose: the engine
 * decides, these modules translate (platform-cf/: service instances, bindings, apps and
 * deployments, the client secret; decode.ts and cc-errors.ts read CC's answers).
 *
 * Errors: transport, auth and API failures stay `CfguardError`s (exit 4/5). The outcomes the
 * engine branches on come back as values: a taken companion name, CC's refusals of a second
 * binding (docs/platform-facts.md §5.6, by CC's detail text — CC sends all of them as
 * CF-UnprocessableEntity), UAA's "already has two secrets" / "only one secret" 400s (§9.5).
 *
 * Secret changes are sent once (`uaa.changeClientSecret` is never retried by the transport: a
 * repeated DELETE after a cut response would drop the next-older secret), so a lost answer fails
 * the step and the engine decides from platform state on the re-run.
 */

import type {CcClient} from '../cf/ccv3/client.js'
import type {TokenManager} from '../cf/http/tokens.js'
import type {Transport} from '../cf/http/transport.js'
import type {UaaClient} from '../cf/uaa/client.js'
import type {RotationPlatform} from './platform.js'
import {appOps} from './platform-cf/apps.js'
import {bindingOps} from './platform-cf/bindings.js'
import {serviceInstanceOps} from './platform-cf/instances.js'
import {secretOps} from './platform-cf/uaa.js'

export interface CfPlatformDeps {
  cc: CcClient
  /** The session's UAA client (token endpoint, client reads, secret changes). */
  uaa: UaaClient
  transport: Transport
  tokens: Pick<TokenManager, 'current'>
  ccVersion: string
  now(): Date
  sleep(ms: number): Promise<void>
}

/** The port, one concern per module under platform-cf/: service instances, bindings, apps, the secret. */
export function createCfRotationPlatform(deps: CfPlatformDeps): RotationPlatform {
  return {
    ccVersion: async () => deps.ccVersion,
    ...serviceInstanceOps(deps.cc),
    ...bindingOps(deps.cc),
    ...appOps(deps.cc, deps.ccVersion),
    ...secretOps(deps),
    now: () => deps.now(),
    sleep: (ms) => deps.sleep(ms),
  }
}
