/** `/v3/routes` (+ destinations) — docs/platform-facts.md §4.1–4.4. */
import {type CcCore, enc} from './core.js'
import {decodeDestination, decodeRoute} from './decode.js'
import type {MetadataPatch} from './metadata.js'
import type {CommonListOptions} from './query.js'
import type {CcRoute, Destination, JobRef} from './types.js'
import type {WireDestination, WireRoute} from './wire.js'

type RouteInclude = 'domain' | 'space' | 'space.organization' | 'route_policies'

export interface RouteListOptions extends CommonListOptions {
  appGuids?: readonly string[]
  domainGuids?: readonly string[]
  hosts?: readonly string[]
  paths?: readonly string[]
  ports?: readonly string[]
  organizationGuids?: readonly string[]
  spaceGuids?: readonly string[]
  serviceInstanceGuids?: readonly string[]
  include?: RouteInclude | readonly RouteInclude[]
}

export interface RouteOptionsInput {
  loadbalancing?: string | null
  hash_header?: string | null
  hash_balance?: string | null
}

export interface RouteCreate {
  spaceGuid: string
  domainGuid: string
  host?: string
  path?: string
  port?: number
  options?: RouteOptionsInput
  metadata?: MetadataPatch
}

export interface DestinationInput {
  appGuid: string
  processType?: string
  port?: number
  protocol?: 'http1' | 'http2' | 'tcp'
}

function wireDestination(d: DestinationInput) {
  return {
    app: {guid: d.appGuid, ...(d.processType ? {process: {type: d.processType}} : {})},
    ...(d.port !== undefined ? {port: d.port} : {}),
    ...(d.protocol ? {protocol: d.protocol} : {}),
  }
}

export function routesResource(core: CcCore) {
  const path = (guid: string, rest = '') => `/v3/routes/${enc(guid)}${rest}`
  const destinationsOf = (body: {destinations?: WireDestination[]}): Destination[] =>
    (body.destinations ?? []).map(decodeDestination)

  return {
    ...core.lister<WireRoute, CcRoute, RouteListOptions>('/v3/routes', decodeRoute, 'route'),
    get: async (guid: string): Promise<CcRoute> => decodeRoute(await core.get<WireRoute>(path(guid))),
    async create(input: RouteCreate): Promise<CcRoute> {
      return decodeRoute(
        await core.post<WireRoute>('/v3/routes', {
          relationships: {space: {data: {guid: input.spaceGuid}}, domain: {data: {guid: input.domainGuid}}},
          ...(input.host !== undefined ? {host: input.host} : {}),
          ...(input.path !== undefined ? {path: input.path} : {}),
          ...(input.port !== undefined ? {port: input.port} : {}),
          ...(input.options ? {options: input.options} : {}),
          ...(input.metadata ? {metadata: input.metadata} : {}),
        }),
      )
    },
    /** Options merge (null removes a key) and take effect at once; metadata merges. */
    async update(
      guid: string,
      patch: {options?: RouteOptionsInput; metadata?: MetadataPatch},
    ): Promise<CcRoute> {
      return decodeRoute(await core.patch<WireRoute>(path(guid), patch))
    },
    async delete(guid: string): Promise<JobRef | null> {
      return (await core.sendMaybeJob('DELETE', path(guid))).job ?? null
    },
    async destinations(guid: string, filter: {appGuids?: readonly string[]} = {}): Promise<Destination[]> {
      return destinationsOf(
        await core.get<{destinations?: WireDestination[]}>(path(guid, '/destinations'), filter),
      )
    },
    /** Adds destinations, keeps the others; returns the full list. */
    async addDestinations(guid: string, destinations: DestinationInput[]): Promise<Destination[]> {
      return destinationsOf(
        await core.post(path(guid, '/destinations'), {destinations: destinations.map(wireDestination)}),
      )
    },
    /** Replaces all destinations (unlisted ones are removed). */
    async replaceDestinations(guid: string, destinations: DestinationInput[]): Promise<Destination[]> {
      return destinationsOf(
        await core.patch(path(guid, '/destinations'), {destinations: destinations.map(wireDestination)}),
      )
    },
    async removeDestination(guid: string, destinationGuid: string): Promise<void> {
      await core.send('DELETE', path(guid, `/destinations/${enc(destinationGuid)}`), {accept: 'none'})
    },
  }
}
