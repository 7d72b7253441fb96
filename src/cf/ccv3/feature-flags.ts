/** `/v3/feature_flags` (e.g. `hash_based_routing`, `route_sharing`, `env_var_visibility`). */
import {type CcCore, enc} from './core.js'
import {decodeFeatureFlag} from './decode.js'
import type {CcFeatureFlag} from './types.js'
import type {WireFeatureFlag} from './wire.js'

export function featureFlagsResource(core: CcCore) {
  return {
    async listAll(): Promise<CcFeatureFlag[]> {
      const out: CcFeatureFlag[] = []
      for await (const page of core.pages<WireFeatureFlag>('/v3/feature_flags', {perPage: 5000})) {
        out.push(...page.resources.map(decodeFeatureFlag))
      }
      return out
    },
    get: async (name: string): Promise<CcFeatureFlag> =>
      decodeFeatureFlag(await core.get<WireFeatureFlag>(`/v3/feature_flags/${enc(name)}`)),
  }
}
