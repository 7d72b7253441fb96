/** `/v3/route_policies` (CC ≥ 3.224.0, experimental) — docs/platform-facts.md §4.7. */
import {type CcCore, enc} from './core.js'
import {decodeRoutePolicy} from './decode.js'
import type {MetadataPatch} from './metadata.js'
import type {CommonListOptions} from './query.js'
import type {CcRoutePolicy} from './types.js'
import type {WireRoutePolicy} from './wire.js'

export interface RoutePolicyListOptions extends CommonListOptions {
  routeGuids?: readonly string[]
  spaceGuids?: readonly string[]
  /** `cf:app:<guid>` | `cf:space:<guid>` | `cf:org:<guid>` | `cf:any` */
  sources?: readonly string[]
  sourceGuids?: readonly string[]
  include?: 'route' | 'source' | readonly ('route' | 'source')[]
}

export function routePoliciesResource(core: CcCore) {
  const path = (guid: string) => `/v3/route_policies/${enc(guid)}`
  return {
    ...core.lister<WireRoutePolicy, CcRoutePolicy, RoutePolicyListOptions>(
      '/v3/route_policies',
      decodeRoutePolicy,
      'route policy',
    ),
    get: async (guid: string): Promise<CcRoutePolicy> =>
      decodeRoutePolicy(await core.get<WireRoutePolicy>(path(guid))),
    async create(input: {
      source: string
      routeGuid: string
      metadata?: MetadataPatch
    }): Promise<CcRoutePolicy> {
      return decodeRoutePolicy(
        await core.post<WireRoutePolicy>('/v3/route_policies', {
          source: input.source,
          relationships: {route: {data: {guid: input.routeGuid}}},
          ...(input.metadata ? {metadata: input.metadata} : {}),
        }),
      )
    },
    async delete(guid: string): Promise<void> {
      await core.send('DELETE', path(guid), {accept: 'none'})
    },
  }
}
