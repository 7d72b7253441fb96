/**
 * Labels and annotations on any resource: `PATCH /v3/<resource>/:guid {"metadata": …}`
 * (docs/platform-facts.md §6).
 */
import {type CcCore, enc} from './core.js'
import {decodeMetadata} from './decode.js'
import type {Metadata} from '../../model/snapshot.js'
import type {WireMetadata} from './wire.js'

/** Deep merge: a new key adds, an existing key changes, `null` deletes, an omitted key stays. */
export interface MetadataPatch {
  labels?: Record<string, string | null>
  annotations?: Record<string, string | null>
}

export type MetadataResource =
  | 'apps'
  | 'processes'
  | 'deployments'
  | 'revisions'
  | 'routes'
  | 'route_policies'
  | 'domains'
  | 'service_instances'
  | 'service_credential_bindings'
  | 'service_route_bindings'
  | 'service_offerings'
  | 'service_plans'
  | 'spaces'
  | 'organizations'

export function metadataResource(core: CcCore) {
  return {
    /**
     * Patches metadata and returns the resulting labels and annotations. Note: on a UPS this also
     * resets `last_operation` and bumps `updated_at` (never use those as a rotation marker).
     */
    async update(resource: MetadataResource, guid: string, patch: MetadataPatch): Promise<Metadata> {
      const res = await core.send<{metadata?: WireMetadata}>('PATCH', `/v3/${resource}/${enc(guid)}`, {
        json: {metadata: patch},
      })
      return decodeMetadata(res.data?.metadata)
    },
  }
}
