/** `/v3/deployments` — zero-downtime rolling (or canary) deployments, docs/platform-facts.md §3.7. */
import {type CcCore, enc} from './core.js'
import {decodeDeployment} from './decode.js'
import type {MetadataPatch} from './metadata.js'
import type {CommonListOptions} from './query.js'
import type {CcDeployment} from './types.js'
import type {WireDeployment} from './wire.js'

export interface DeploymentListOptions extends CommonListOptions {
  appGuids?: readonly string[]
  states?: readonly string[]
  statusValues?: readonly ('ACTIVE' | 'FINALIZED')[]
  statusReasons?: readonly string[]
}

export interface DeploymentCreate {
  appGuid: string
  /** Default `rolling`. */
  strategy?: 'rolling' | 'canary'
  /** Neither droplet nor revision: redeploy the current droplet (picks up env and bindings). */
  dropletGuid?: string
  revisionGuid?: string
  maxInFlight?: number
  /** Canary steps (CC ≥ 3.189.0). */
  canarySteps?: {instanceWeight: number}[]
  metadata?: MetadataPatch
}

export function deploymentsResource(core: CcCore) {
  const path = (guid: string, rest = '') => `/v3/deployments/${enc(guid)}${rest}`
  return {
    ...core.lister<WireDeployment, CcDeployment, DeploymentListOptions>(
      '/v3/deployments',
      decodeDeployment,
      'deployment',
    ),
    get: async (guid: string): Promise<CcDeployment> =>
      decodeDeployment(await core.get<WireDeployment>(path(guid))),
    async create(input: DeploymentCreate): Promise<CcDeployment> {
      const options = {
        ...(input.maxInFlight !== undefined ? {max_in_flight: input.maxInFlight} : {}),
        ...(input.canarySteps
          ? {canary: {steps: input.canarySteps.map((s) => ({instance_weight: s.instanceWeight}))}}
          : {}),
      }
      return decodeDeployment(
        await core.post<WireDeployment>('/v3/deployments', {
          relationships: {app: {data: {guid: input.appGuid}}},
          strategy: input.strategy ?? 'rolling',
          ...(input.dropletGuid ? {droplet: {guid: input.dropletGuid}} : {}),
          ...(input.revisionGuid ? {revision: {guid: input.revisionGuid}} : {}),
          ...(Object.keys(options).length > 0 ? {options} : {}),
          ...(input.metadata ? {metadata: input.metadata} : {}),
        }),
      )
    },
    /** Rolls back to the previous droplet. */
    cancel: async (guid: string) =>
      decodeDeployment(await core.post<WireDeployment>(path(guid, '/actions/cancel'))),
    /** Advances a PAUSED canary. */
    continue: async (guid: string) =>
      decodeDeployment(await core.post<WireDeployment>(path(guid, '/actions/continue'))),
  }
}
