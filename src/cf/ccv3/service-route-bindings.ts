/** `/v3/service_route_bindings` (route services) — docs/platform-facts.md §5.7. */
import {type CcCore, enc} from './core.js'
import {decodeRouteBinding} from './decode.js'
import type {MetadataPatch} from './metadata.js'
import type {CommonListOptions} from './query.js'
import type {CcRouteBinding, JobRef} from './types.js'
import type {WireRouteBinding} from './wire.js'

export interface RouteBindingListOptions extends CommonListOptions {
  routeGuids?: readonly string[]
  serviceInstanceGuids?: readonly string[]
  serviceInstanceNames?: readonly string[]
  include?: 'route' | 'service_instance' | readonly ('route' | 'service_instance')[]
}

export function routeBindingsResource(core: CcCore) {
  const path = (guid: string) => `/v3/service_route_bindings/${enc(guid)}`
  return {
    ...core.lister<WireRouteBinding, CcRouteBinding, RouteBindingListOptions>(
      '/v3/service_route_bindings',
      decodeRouteBinding,
      'service route binding',
    ),
    get: async (guid: string): Promise<CcRouteBinding> =>
      decodeRouteBinding(await core.get<WireRouteBinding>(path(guid))),
    async create(input: {
      routeGuid: string
      serviceInstanceGuid: string
      parameters?: Record<string, unknown>
      metadata?: MetadataPatch
    }): Promise<{binding?: CcRouteBinding; job?: JobRef}> {
      const {resource, job} = await core.sendMaybeJob<WireRouteBinding>(
        'POST',
        '/v3/service_route_bindings',
        {
          relationships: {
            route: {data: {guid: input.routeGuid}},
            service_instance: {data: {guid: input.serviceInstanceGuid}},
          },
          ...(input.parameters ? {parameters: input.parameters} : {}),
          ...(input.metadata ? {metadata: input.metadata} : {}),
        },
      )
      return {binding: resource ? decodeRouteBinding(resource) : undefined, job}
    },
    async delete(guid: string): Promise<JobRef | null> {
      return (await core.sendMaybeJob('DELETE', path(guid))).job ?? null
    },
  }
}
